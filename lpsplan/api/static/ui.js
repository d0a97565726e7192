// Starts the offline query editor (YASGUI, served by lpsplan itself) on this
// service's /sparql: the project's prefixes are preloaded and each named
// question opens as a tab.  Remote autocompletion services are switched off:
// only the query's own variables are suggested.
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") { return; }
  var endpoint = new URL(el.getAttribute("data-endpoint") || "/sparql", window.location.href).href;
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];

  function start(prefixes) {
    var head = Object.keys(prefixes || {}).map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; }).join("\n");
    Yasgui.Yasqe.defaults.value = head + "\n\nSELECT ?clause ?text WHERE {\n  ?clause a lps:Clause ; lps:text ?text .\n} LIMIT 10\n";
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
  }

  fetch("/api/prefixes").then(function (r) { return r.json(); }).then(start).catch(function () { start({}); });
})();
