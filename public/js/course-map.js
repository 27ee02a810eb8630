// Course page: a map with the venue (drawn by leaflet-loader.js).
(function () {
  var box = document.querySelector('[data-course-map]');
  if (box && window.siteMap) window.siteMap(document.querySelector('[data-course-map-toggle]'), box, [{ lat: +box.dataset.lat, lng: +box.dataset.lng, label: box.dataset.label }]);
})();
