// Place fields: suggestions from /api/v1/places as an ARIA 1.2 combobox; "use my location" where the browser can.
(function () {
  'use strict';
  var here; // the located point: suggestions lean towards it

  function set(el, attrs) {
    for (var name in attrs) el.setAttribute(name, attrs[name]);
  }
  function setup(input) {
    var near = input.form.querySelector('input[name="near"]');
    var label = document.querySelector('label[for="' + input.id + '"]');
    var list = Object.assign(document.createElement('ul'), { id: input.id + '-suggestions', className: 'place-suggestions', hidden: true });
    var items = [];
    var active = -1;
    var timer, asked = 0;
    set(list, { role: 'listbox', 'aria-labelledby': label.id = label.id || input.id + '-label' });
    set(input, { role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': false, 'aria-controls': list.id });
    input.after(list);

    function mark(index) {
      active = index;
      items.forEach(function (_, i) { list.children[i].setAttribute('aria-selected', i === index); });
      if (index < 0) input.removeAttribute('aria-activedescendant');
      else input.setAttribute('aria-activedescendant', list.id + '-' + index);
    }
    function open(yes) {
      list.hidden = !yes;
      input.setAttribute('aria-expanded', yes);
      mark(-1);
    }
    function show(places) {
      items = places.slice(0, 10);
      list.textContent = '';
      items.forEach(function (place, i) {
        var li = Object.assign(document.createElement('li'), { id: list.id + '-' + i, textContent: place.name });
        set(li, { role: 'option', 'aria-selected': false });
        li.addEventListener('mousedown', function (event) {
          event.preventDefault(); // the input keeps the focus
          choose(i);
        });
        list.append(li);
      });
      open(items.length > 0 && document.activeElement === input);
    }
    function choose(index) {
      input.value = items[index].name;
      open(false);
    }

    input.addEventListener('input', function () {
      var q = input.value.trim();
      var mine = ++asked;
      if (near) near.value = ''; // the search takes a typed place or the located point, not both
      clearTimeout(timer);
      if (!q) return show([]);
      timer = setTimeout(function () {
        fetch('/api/v1/places?q=' + encodeURIComponent(q) + (here ? '&near=' + here : ''))
          .then(function (res) { return res.json(); })
          .then(function (body) { if (mine === asked) show(body.places || []); }, function () { show([]); });
      }, 150);
    });
    input.addEventListener('keydown', function (event) {
      var key = event.key;
      var n = items.length;
      if ((key === 'ArrowDown' || key === 'ArrowUp') && n) {
        event.preventDefault();
        if (list.hidden) open(true);
        mark(key === 'ArrowDown' ? (active + 1) % n : (active < 1 ? n : active) - 1);
      } else if (!list.hidden && (key === 'Escape' || (key === 'Enter' && active >= 0))) {
        event.preventDefault();
        if (key === 'Enter') choose(active);
        else open(false);
      }
    });
    input.addEventListener('blur', function () { open(false); });

    var box = input.form.querySelector('[data-locate]');
    if (!box || !near || !navigator.geolocation) return;
    var status = Object.assign(document.createElement('span'), { className: 'locate__status' });
    status.setAttribute('role', 'status');
    box.append(status);
    box.hidden = false;
    box.querySelector('button').addEventListener('click', function () {
      status.textContent = box.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        here = position.coords.latitude.toFixed(3) + ',' + position.coords.longitude.toFixed(3);
        near.value = here;
        input.value = '';
        status.textContent = box.dataset.located;
      }, function () {
        status.textContent = box.dataset.failed;
      }, { timeout: 15000, maximumAge: 600000 });
    });
  }

  document.querySelectorAll('[data-place-input]').forEach(setup);
})();
