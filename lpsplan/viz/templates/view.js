(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var lang = data.lang === "en" ? "en" : "zh";
  function localise(n) {
    return Object.assign({}, n, { label: n["label_" + lang] || n.label, title: n["title_" + lang] || n.title });
  }
  var nodes = new vis.DataSet(data.nodes.map(localise));
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("network"), { nodes: nodes, edges: edges }, data.options);
  window.lpsplanView = { network: network, nodes: nodes, edges: edges, lang: function () { return lang; } };
  function setLang(l) {
    lang = l;
    nodes.update(data.nodes.map(localise));
    document.querySelectorAll("[data-zh]").forEach(function (el) { el.textContent = el.getAttribute("data-" + l); });
    document.documentElement.lang = l;
    var field = document.querySelector("input[name=lang]");
    if (field) { field.value = l; }
  }
  document.getElementById("lang-zh").addEventListener("click", function () { setLang("zh"); });
  document.getElementById("lang-en").addEventListener("click", function () { setLang("en"); });
  // once laid out, freeze the layout so the graph stays put while people read it
  network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); });
  // every node is in the DataSet and the network's body now: the view is ready to be read and used
  window.lpsplanView.ready = true;
})();
