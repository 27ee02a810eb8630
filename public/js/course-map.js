// Course page: "show on a map" with the venue as the one marker (leaflet-loader.js draws it).
(function () {
  'use strict';
  var button = document.querySelector('[data-course-map-toggle]');
  var box = document.querySelector('[data-course-map]');
  if (!button || !box || !window.siteMap) return;
  window.siteMap(button, box, [{ lat: Number(box.getAttribute('data-lat')), lng: Number(box.getAttribute('data-lng')), label: box.getAttribute('data-label') || '' }]);
})();
