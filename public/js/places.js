// Place fields: suggestions from /api/v1/places as an ARIA 1.2 combobox, and "use my location" where the browser can.
// Without JavaScript the field is plain text and the server resolves what was typed.
(function () {
  'use strict';
  var here; // the located point: suggestions lean towards it

  function setup(input) {
    var form = input.form;
    var near = form && form.querySelector('input[name="near"]');
    var list = document.createElement('ul');
    var label = input.id && document.querySelector('label[for="' + input.id + '"]');
    var items = [];
    var active = -1;
    var timer;
    var asked = 0;
    list.id = input.id + '-suggestions';
    list.className = 'place-suggestions';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    if (label) {
      label.id = label.id || input.id + '-label';
      list.setAttribute('aria-labelledby', label.id);
    }
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function mark(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute('aria-selected', String(i === index)); });
      if (index < 0) input.removeAttribute('aria-activedescendant');
      else input.setAttribute('aria-activedescendant', list.id + '-' + index);
    }
    function choose(index) {
      input.value = items[index].name;
      close();
    }
    function show(places) {
      items = places.slice(0, 10);
      list.textContent = '';
      items.forEach(function (place, i) {
        var li = document.createElement('li');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = place.name;
        // mousedown, not click: the input keeps the focus
        li.addEventListener('mousedown', function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(li);
      });
      if (items.length === 0 || document.activeElement !== input) return close();
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      mark(-1);
    }

    input.addEventListener('input', function () {
      if (near) near.value = ''; // a typed place replaces the located point (the search takes only one)
      clearTimeout(timer);
      var q = input.value.trim();
      var mine = ++asked;
      if (!q) {
        items = [];
        return close();
      }
      timer = setTimeout(function () {
        fetch('/api/v1/places?q=' + encodeURIComponent(q) + (here ? '&near=' + here : ''))
          .then(function (res) { return res.ok ? res.json() : { places: [] }; })
          .then(function (body) { if (mine === asked) show(body.places); }, close);
      }, 150);
    });
    input.addEventListener('keydown', function (event) {
      var open = !list.hidden;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (items.length === 0) return;
        event.preventDefault();
        if (!open) show(items);
        var step = event.key === 'ArrowDown' ? 1 : -1;
        mark((active + step + items.length + (active < 0 && step < 0 ? 1 : 0)) % items.length);
      } else if (event.key === 'Enter' && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === 'Escape' && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener('blur', close);
    return near;
  }

  function locate(box, input, near) {
    var button = box.querySelector('button');
    var status = document.createElement('span');
    status.setAttribute('role', 'status');
    status.className = 'locate__status';
    box.appendChild(status);
    box.hidden = false;
    button.addEventListener('click', function () {
      status.textContent = box.getAttribute('data-locating');
      navigator.geolocation.getCurrentPosition(function (position) {
        here = position.coords.latitude.toFixed(3) + ',' + position.coords.longitude.toFixed(3);
        near.value = here;
        input.value = ''; // the search takes a place or a point, not both
        input.placeholder = box.getAttribute('data-my-location');
        status.textContent = box.getAttribute('data-located');
      }, function () {
        status.textContent = box.getAttribute('data-failed');
      }, { timeout: 15000, maximumAge: 600000 });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-place-input]'), function (input) {
    var near = setup(input);
    var box = input.form && input.form.querySelector('[data-locate]');
    if (box && near && navigator.geolocation) locate(box, input, near);
  });
})();
