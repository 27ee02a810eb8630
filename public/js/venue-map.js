// Organisation profile: with JavaScript, each venue's point can be dragged on a small map; the typed numbers stay the
// form's truth (the page works without this script), the map only writes into them and follows them.
(function () {
  'use strict';
  var rows = document.querySelectorAll('[data-venue-row]');
  Array.prototype.forEach.call(rows, function (row) {
    var opener = row.querySelector('[data-venue-map-open]');
    var box = row.querySelector('[data-venue-map]');
    var lat = row.querySelector('input[name$="[lat]"]');
    var lng = row.querySelector('input[name$="[lng]"]');
    if (!opener || !box || !lat || !lng || !window.loadLeaflet) return;
    var button = opener.querySelector('button');
    var texts = [button.textContent, button.getAttribute('data-hide-text')];
    var map, marker;

    function typedPoint() {
      var point = [parseFloat(lat.value.replace(',', '.')), parseFloat(lng.value.replace(',', '.'))];
      return isFinite(point[0]) && isFinite(point[1]) ? point : null;
    }
    function draw() {
      var centre = box.getAttribute('data-centre').split(',').map(Number);
      var point = typedPoint() || centre;
      map = window.tiledMap(box);
      map.setView(point, 15);
      marker = window.L.marker(point, { draggable: true, autoPan: true, title: box.getAttribute('data-label'), alt: box.getAttribute('data-label') }).addTo(map);
      marker.on('dragend', function () {
        var at = marker.getLatLng();
        lat.value = at.lat.toFixed(5);
        lng.value = at.lng.toFixed(5);
      });
      [lat, lng].forEach(function (input) {
        input.addEventListener('change', function () {
          var typed = typedPoint();
          if (typed) { marker.setLatLng(typed); map.panTo(typed); }
        });
      });
    }

    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', box.getAttribute('data-label'));
    opener.hidden = false;
    button.addEventListener('click', function () {
      var open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      button.textContent = texts[+open];
      box.hidden = !open;
      if (!open) return;
      if (map) { map.invalidateSize(); return; }
      window.loadLeaflet().then(draw, function () { box.textContent = box.getAttribute('data-failed'); });
    });
  });
})();
