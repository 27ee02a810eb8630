/* Anonymous counts of shares and registration clicks: a click on an element with data-beacon sends an empty POST to
   that address (navigator.sendBeacon survives leaving the page for mailto:, tel: or another site). No body, no
   identifier: the server only adds one to the course's counter. Without JavaScript nothing is sent; the link to
   register online counts through its own redirect instead. */
(function () {
  'use strict';
  if (!navigator.sendBeacon) return;
  document.addEventListener('click', function (event) {
    var target = event.target && event.target.closest ? event.target.closest('[data-beacon]') : null;
    if (!target) return;
    try { navigator.sendBeacon(target.getAttribute('data-beacon')); } catch { /* counting never gets in the way */ }
  });
})();
