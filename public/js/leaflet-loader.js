// Shared by the results map and the course map: a button that opens a map of points. Leaflet (about 150 KB)
// loads only when the map is first opened, so a page costs nothing for it until then.
window.siteMap = function (button, box, points) {
  'use strict';
  var hideText = button.getAttribute('data-hide-text');
  var label = button.lastChild && button.lastChild.nodeType === 3 ? button.lastChild : null;
  var showText = label && label.nodeValue;
  var map, loading;

  function draw(L) {
    map = L.map(box, { scrollWheelZoom: false });
    var url = box.getAttribute('data-tile-url');
    if (url) {
      // Leaflet writes the attribution as HTML: the configured text is escaped first.
      var text = document.createElement('span');
      text.textContent = box.getAttribute('data-attribution') || '';
      // A tile that cannot load (no network, as in tests) stays empty; the markers still show.
      L.tileLayer(url, { attribution: text.innerHTML, maxZoom: 19 }).addTo(map);
    }
    map.fitBounds(L.latLngBounds(points.map(function (p) { return [p.lat, p.lng]; })), { padding: [24, 24], maxZoom: 15 });
    points.forEach(function (p) {
      var marker = L.marker([p.lat, p.lng], { title: p.label, alt: p.label, keyboard: true }).addTo(map);
      var content = document.createElement(p.href ? 'a' : 'span');
      content.textContent = p.label;
      if (p.href) content.href = p.href;
      marker.bindPopup(content);
    });
  }

  function load() {
    if (window.L) return Promise.resolve(window.L);
    return new Promise(function (resolve, reject) {
      var css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = '/assets/leaflet/leaflet.css';
      var script = document.createElement('script');
      script.src = '/assets/leaflet/leaflet.js';
      script.onload = function () {
        window.L.Icon.Default.imagePath = '/assets/leaflet/images/';
        resolve(window.L);
      };
      script.onerror = reject;
      document.head.appendChild(css);
      document.head.appendChild(script);
    });
  }

  if (points.length === 0) return;
  box.setAttribute('role', 'region');
  if (box.getAttribute('data-label')) box.setAttribute('aria-label', box.getAttribute('data-label'));
  button.hidden = false;
  button.addEventListener('click', function () {
    var open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    if (label && hideText) label.nodeValue = open ? hideText : showText;
    box.hidden = !open;
    if (!open || loading) return;
    if (map) return map.invalidateSize();
    loading = true;
    box.setAttribute('aria-busy', 'true');
    load().then(draw, function () {
      box.textContent = box.getAttribute('data-failed') || '';
    }).then(function () {
      loading = false;
      box.removeAttribute('aria-busy');
    });
  });
};
