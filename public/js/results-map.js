// Results page: a map with one marker per listed course that has a venue (drawn by leaflet-loader.js).
(function () {
  var cards = document.querySelectorAll('[data-course-id][data-lat][data-lng]');
  var box = document.querySelector('[data-map]');
  if (box && window.siteMap) window.siteMap(document.querySelector('[data-map-toggle]'), box, Array.prototype.map.call(cards, function (card) {
    var link = card.querySelector('h2 a');
    return { lat: +card.dataset.lat, lng: +card.dataset.lng, label: link.textContent, href: link.href };
  }));
})();
