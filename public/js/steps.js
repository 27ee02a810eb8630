// Start page: on a phone one question at a time with Next and Back (on a wide screen, and without JavaScript,
// all at once); "add another child" up to the most children a search takes.
(function () {
  'use strict';
  var form = document.querySelector('[data-steps]');
  var steps = form ? [].slice.call(form.querySelectorAll('.step')) : [];
  var actions = form && form.querySelector('.form-actions');
  var ages = form && form.querySelector('[data-add-child]');
  var digits = new Intl.NumberFormat(document.documentElement.lang);
  var phone = window.matchMedia('(max-width: 48rem)');
  var progress = Object.assign(document.createElement('p'), { className: 'steps-progress', id: 'steps-progress' });
  var nav = Object.assign(document.createElement('div'), { className: 'steps-nav' });
  var current = 0;

  function button(text, className, parent, onClick) {
    var b = Object.assign(document.createElement('button'), { type: 'button', className: 'button ' + className, textContent: text });
    b.addEventListener('click', onClick);
    parent.append(b);
    return b;
  }
  // Translations come with {{placeholders}} for numbers, written in the page language's digits.
  function fill(template, values) {
    return template.replace(/\{\{(\w+)\}\}/g, function (_, name) { return digits.format(values[name]); });
  }
  function stepOf(link) {
    var target = link && document.getElementById(link.hash.slice(1));
    return target ? steps.indexOf(target.closest('.step')) : -1;
  }
  function show(index, focus) {
    var one = phone.matches;
    var legend = steps[index].querySelector('legend');
    current = index;
    steps.forEach(function (step, i) { step.hidden = one && i !== index; });
    progress.hidden = nav.hidden = !one;
    back.hidden = !index;
    next.hidden = index === steps.length - 1;
    actions.hidden = one && !next.hidden;
    progress.textContent = fill(form.dataset.stepOf, { step: index + 1, total: steps.length });
    if (!focus) return;
    legend.tabIndex = -1;
    legend.setAttribute('aria-describedby', progress.id);
    legend.focus({ preventScroll: true });
    progress.scrollIntoView();
  }

  if (steps.length > 1) {
    var back = button(form.dataset.back, 'button--secondary', nav, function () { show(current - 1, true); });
    var next = button(form.dataset.next, '', nav, function () { show(current + 1, true); });
    steps[0].before(progress);
    actions.before(nav);
    phone.addEventListener('change', function () { show(current); });
    // A link to a field (the error summary) shows the question that holds it; with errors, the first one opens.
    document.addEventListener('click', function (event) {
      var index = stepOf(event.target.closest('a[href^="#"]'));
      if (index >= 0) show(index);
    });
    show(Math.max(0, stepOf(document.querySelector('.error-summary a'))));
  }

  if (ages) {
    var add = button(ages.dataset.addChild, 'button--secondary', ages.parentNode, function () {
      var fields = ages.querySelectorAll('.field');
      var field = fields[fields.length - 1].cloneNode(true);
      var select = field.querySelector('select');
      var number = fields.length + 1;
      select.id = 'child-' + number;
      select.selectedIndex = 0;
      field.querySelector('label').htmlFor = select.id;
      field.querySelector('label').textContent = fill(ages.dataset.childLabel, { number: number });
      ages.append(field);
      add.hidden = number >= ages.dataset.max;
      select.focus();
    });
    add.hidden = ages.querySelectorAll('select').length >= ages.dataset.max;
  }
})();
