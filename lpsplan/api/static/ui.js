// Starts the offline query editor (YASGUI, served by lpsplan itself) on this
// service's /sparql, with one tab per named question.  Remote autocompletion
// services are switched off: only the query's own variables are suggested.
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") { return; }
  var endpoint = new URL(el.getAttribute("data-endpoint") || "/sparql", window.location.href).href;
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null
  });
  window.lpsplanYasgui = yasgui;
  fetch("/api/queries").then(function (r) { return r.json(); }).then(function (questions) {
    return Promise.all(questions.map(function (q) {
      return fetch("/api/queries/" + encodeURIComponent(q.name) + "/text").then(function (r) { return r.text(); })
        .then(function (text) { return { name: q.title.zh, text: text }; });
    }));
  }).then(function (tabs) {
    tabs.forEach(function (t) {
      yasgui.addTab(false, Object.assign({}, Yasgui.Tab.getDefaults(), { name: t.name, yasqe: { value: t.text } }));
    });
  }).catch(function () { /* the editor works without the examples */ });
})();
