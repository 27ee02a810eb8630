// Leaflet from the app itself (no CDN), loaded once and only when a map is opened.
window.loadLeaflet = function () {
  'use strict';
  return window.L ? Promise.resolve() : new Promise(function (resolve, reject) {
    document.head.append(
      Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/assets/leaflet/leaflet.css' }),
      Object.assign(document.createElement('script'), { src: '/assets/leaflet/leaflet.js', onload: resolve, onerror: reject }),
    );
  });
};

// A Leaflet map in `box` with the configured tiles; a tile that cannot load (no network) stays empty, markers still show.
window.tiledMap = function (box) {
  'use strict';
  var L = window.L;
  var url = box.getAttribute('data-tile-url');
  var credit = document.createElement('i');
  L.Icon.Default.imagePath = '/assets/leaflet/images/';
  var map = L.map(box, { scrollWheelZoom: false });
  credit.textContent = box.getAttribute('data-attribution'); // Leaflet takes HTML: escaped
  if (url) L.tileLayer(url, { attribution: credit.innerHTML, maxZoom: 19 }).addTo(map);
  return map;
};

// Shared by the results and course maps: the button opens a map of points. Leaflet loads only then.
window.siteMap = function (button, box, points) {
  'use strict';
  var label = button.lastChild && button.lastChild.nodeType === 3 ? button.lastChild : null;
  var texts = [label && label.nodeValue, button.getAttribute('data-hide-text')];
  var map, loading;

  function draw() {
    var L = window.L;
    map = window.tiledMap(box);
    map.fitBounds(points.map(function (p) { return [p.lat, p.lng]; }), { padding: [24, 24], maxZoom: 15 });
    points.forEach(function (p) {
      var popup = document.createElement(p.href ? 'a' : 'span');
      popup.textContent = p.label;
      if (p.href) popup.href = p.href;
      L.marker([p.lat, p.lng], { title: p.label, alt: p.label }).bindPopup(popup).addTo(map);
    });
  }

  if (!points.length) return;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', box.getAttribute('data-label'));
  button.hidden = false;
  button.addEventListener('click', function () {
    var open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', open);
    if (label && texts[1]) label.nodeValue = texts[+open];
    box.hidden = !open;
    if (!open || loading) return;
    if (map) return map.invalidateSize();
    box.setAttribute('aria-busy', loading = true);
    window.loadLeaflet().then(draw, function () {
      box.textContent = box.getAttribute('data-failed');
    }).then(function () {
      loading = false;
      box.removeAttribute('aria-busy');
    });
  });
};
