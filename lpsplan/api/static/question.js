// A named question's answer as a horizontal bar chart (Chart.js, served by lpsplan
// itself); the data come from the canvas's data-chart attribute.
(function () {
  "use strict";
  var canvas = document.getElementById("answer-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(canvas.getAttribute("data-chart"));
  window.lpsplanChart = new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, backgroundColor: "#4a7ab8" }] },
    options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
               plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } }
  });
})();
