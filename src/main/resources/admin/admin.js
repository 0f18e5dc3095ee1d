// Tessera admin UI behaviour. No inline script anywhere (the Content-Security-Policy forbids it): charts are drawn
// from data- attributes, and the live field checks mark their field here.
(function () {
  'use strict';

  function drawCharts(root) {
    if (typeof Chart === 'undefined' || !root.querySelectorAll) return;
    root.querySelectorAll('canvas.chart').forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      canvas.dataset.drawn = 'yes';
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels: JSON.parse(canvas.dataset.labels || '[]'),
          datasets: [{label: canvas.dataset.label, data: JSON.parse(canvas.dataset.values || '[]')}]
        },
        options: {animation: false, responsive: true, maintainAspectRatio: false}
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () { drawCharts(document); });
  document.addEventListener('htmx:load', function (event) { drawCharts(event.target); });

  // A live check answers with the field's message (empty when it is fine): mark the field that points at it.
  document.addEventListener('htmx:afterSwap', function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains('error')) return;
    var field = document.querySelector('[aria-describedby~="' + target.id + '"]');
    if (!field) return;
    if (target.textContent.trim()) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
  });
})();
