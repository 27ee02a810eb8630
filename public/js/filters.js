// Results page: on a wide screen the filters stand open beside the results; on a phone they stay folded.
(function () {
  'use strict';
  var filters = document.querySelector('[data-filters]');
  if (filters && window.matchMedia('(min-width: 48rem)').matches) filters.open = true;
})();
