/* Share a course: the Web Share API where the browser has it (phones), else copy the link and say so in a live
   region. Without JavaScript the button stays hidden and the page's address is in a read-only field to copy. */
(function () {
  'use strict';
  function say(button, text) {
    var status = button.parentNode.querySelector('[data-share-status]');
    if (!status) return;
    status.textContent = '';
    // A fresh text node, a moment later, so screen readers announce the same message a second time too.
    setTimeout(function () { status.textContent = text; }, 50);
  }
  function copy(button, url) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () {
        say(button, button.getAttribute('data-share-copied'));
      }, function () {
        say(button, button.getAttribute('data-share-failed'));
      });
      return;
    }
    var field = document.getElementById('share-url');
    if (field) field.select();
    var copied = false;
    try { copied = document.execCommand('copy'); } catch { copied = false; }
    say(button, button.getAttribute(copied ? 'data-share-copied' : 'data-share-failed'));
  }
  var buttons = document.querySelectorAll('[data-share]');
  Array.prototype.forEach.call(buttons, function (button) {
    var url = button.getAttribute('data-share-url');
    var title = button.getAttribute('data-share-title');
    button.hidden = false;
    button.addEventListener('click', function () {
      if (navigator.share) {
        navigator.share({ title: title, url: url }).catch(function (error) {
          // Closing the share sheet is no failure; anything else falls back to copying.
          if (!error || error.name !== 'AbortError') copy(button, url);
        });
      } else {
        copy(button, url);
      }
    });
  });
})();
