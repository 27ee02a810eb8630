// Results page: "show on a map" puts one marker per listed course that has a venue (leaflet-loader.js draws it).
(function () {
  'use strict';
  var button = document.querySelector('[data-map-toggle]');
  var box = document.querySelector('[data-map]');
  if (!button || !box || !window.siteMap) return;
  var cards = document.querySelectorAll('[data-course-id][data-lat][data-lng]');
  window.siteMap(button, box, Array.prototype.map.call(cards, function (card) {
    var link = card.querySelector('.card__title a');
    return { lat: Number(card.getAttribute('data-lat')), lng: Number(card.getAttribute('data-lng')), label: link ? link.textContent : '', href: link && link.href };
  }));
})();
