// Start page: on a phone one question at a time, with Next and Back; on a wide screen (and without JavaScript)
// all questions at once. Also "add another child", up to the number of children a search takes.
(function () {
  'use strict';
  var form = document.querySelector('[data-steps]');
  if (!form) return;
  var steps = form.querySelectorAll('.step');
  var actions = form.querySelector('.form-actions');
  var ages = form.querySelector('[data-add-child]');
  var digits = new Intl.NumberFormat(document.documentElement.lang);
  var phone = window.matchMedia('(max-width: 48rem)');
  var progress = document.createElement('p');
  var nav = document.createElement('div');
  var back = button(form.getAttribute('data-back'), 'button button--secondary');
  var next = button(form.getAttribute('data-next'), 'button');
  var current = 0;

  function button(text, className) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = text;
    return b;
  }
  // The translation is rendered with {{placeholders}}; only numbers go in, in the page language's digits.
  function fill(template, values) {
    return template.replace(/\{\{(\w+)\}\}/g, function (_, name) { return digits.format(values[name]); });
  }
  function show(index, focus) {
    var one = phone.matches;
    current = index;
    Array.prototype.forEach.call(steps, function (step, i) { step.hidden = one && i !== index; });
    progress.hidden = nav.hidden = !one;
    back.hidden = index === 0;
    next.hidden = index === steps.length - 1;
    if (actions) actions.hidden = one && !next.hidden;
    progress.textContent = fill(form.getAttribute('data-step-of'), { step: index + 1, total: steps.length });
    var legend = focus && steps[index].querySelector('legend');
    if (legend) {
      legend.tabIndex = -1;
      legend.setAttribute('aria-describedby', progress.id);
      legend.focus();
    }
  }

  if (steps.length > 1) {
    progress.className = 'steps-progress';
    progress.id = 'steps-progress';
    nav.className = 'steps-nav';
    nav.appendChild(back);
    nav.appendChild(next);
    steps[0].parentNode.insertBefore(progress, steps[0]);
    steps[0].parentNode.insertBefore(nav, actions);
    back.addEventListener('click', function () { show(current - 1, true); });
    next.addEventListener('click', function () { show(current + 1, true); });
    phone.addEventListener('change', function () { show(current); });
    // A link to a field (the error summary) first opens the question that holds it.
    document.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('a[href^="#"]');
      var target = link && document.getElementById(link.getAttribute('href').slice(1));
      var step = target && target.closest('.step');
      if (step) show(Array.prototype.indexOf.call(steps, step));
    });
    show(0);
  }

  if (ages) {
    var add = button(ages.getAttribute('data-add-child'), 'button button--secondary');
    var max = Number(ages.getAttribute('data-max'));
    add.hidden = ages.querySelectorAll('select').length >= max;
    ages.parentNode.insertBefore(add, ages.nextSibling);
    add.addEventListener('click', function () {
      var fields = ages.querySelectorAll('.field');
      var field = fields[fields.length - 1].cloneNode(true);
      var select = field.querySelector('select');
      var label = field.querySelector('label');
      var number = fields.length + 1;
      select.id = 'child-' + number;
      select.selectedIndex = 0;
      label.htmlFor = select.id;
      label.textContent = fill(ages.getAttribute('data-child-label'), { number: number });
      ages.appendChild(field);
      add.hidden = number >= max;
      select.focus();
    });
  }
})();
