// Starts the offline query editor (YASGUI, served by lpsplan itself) on this
// service's /sparql.  Every tab — the named questions, new tabs and tabs opened
// from a link — runs against this service: the endpoint is not a choice.
// Autocompletion comes from this graph (/api/vocabulary: its classes,
// properties and labels; /api/prefixes: its prefixes), never from an outside
// vocabulary service.  The address bar always holds a permalink of the open
// tab (its query in the URL's #fragment), and opening such a link restores it.
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") { return; }
  var endpoint = new URL(el.getAttribute("data-endpoint") || "/sparql", window.location.href).href;
  var Yasqe = Yasgui.Yasqe;

  Yasgui.defaults.requestConfig = Object.assign({}, Yasgui.defaults.requestConfig, { endpoint: endpoint, method: "POST" });
  Yasqe.defaults.requestConfig = Object.assign({}, Yasqe.defaults.requestConfig, { endpoint: endpoint, method: "POST" });
  Yasqe.defaults.prefixCcApi = new URL("/api/prefixes", window.location.href).href;

  function graphCompleter(base, name, list) {
    // the editor's own class/property completer (prefixed names, <IRIs>), fed with this graph's terms
    Yasqe.forkAutocompleter(base, { name: name, bulk: true, persistenceId: null, get: function () { return list; } }, false);
  }

  function openString(yasqe) {
    // the string literal being typed at the cursor ("现代…), or null: its opening quote and the text so far
    var cur = yasqe.getDoc().getCursor();
    var before = yasqe.getDoc().getLine(cur.line).slice(0, cur.ch);
    var quotes = before.replace(/\\./g, "").split("\"").length - 1;
    if (quotes % 2 === 0) { return null; }
    var start = before.lastIndexOf("\"");
    return { line: cur.line, start: start, end: cur.ch, text: before.slice(start) };
  }

  function labelCompleter(labels) {
    // a string literal being typed: the graph's labels (names, titles) that start with it
    var quoted = labels.map(function (l) { return "\"" + l.replace(/\\/g, "\\\\").replace(/"/g, "\\\"") + "\""; });
    Yasqe.registerAutocompleter({
      name: "lpsplan-labels", bulk: true, autoShow: true, persistenceId: null,
      get: function () { return quoted; },
      isValidCompletionPosition: function (yasqe) {
        var open = openString(yasqe);
        return !!open && open.text.length > 1;
      },
      preProcessToken: function (yasqe, token) {
        var open = openString(yasqe);
        if (!open) { return token; }
        return Object.assign({}, token, { string: open.text, autocompletionString: open.text, start: open.start, end: open.end,
                                          from: { line: open.line, ch: open.start }, to: { line: open.line, ch: open.end } });
      }
    }, false);
  }

  function start(prefixes, vocabulary) {
    var names = ["variables", "prefixes"];
    if (vocabulary) {
      graphCompleter("class", "lpsplan-classes", vocabulary.classes);
      graphCompleter("property", "lpsplan-properties", vocabulary.properties);
      labelCompleter(vocabulary.labels);
      names = names.concat(["lpsplan-classes", "lpsplan-properties", "lpsplan-labels"]);
    }
    Yasqe.defaults.autocompleters = names;
    var head = Object.keys(prefixes || {}).map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; }).join("\n");
    Yasqe.defaults.value = head + "\n\nSELECT ?clause ?text WHERE {\n  ?clause a lps:Clause ; lps:text ?text .\n} LIMIT 10\n";
    var yasgui = new Yasgui(el, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      // a permalink may carry any endpoint: its query is kept, the endpoint is always this service's
      populateFromUrl: function (config) {
        config.requestConfig = Object.assign({}, config.requestConfig, { endpoint: endpoint });
        return config;
      },
      persistenceId: null
    });
    window.lpsplanYasgui = yasgui;
    var permalink = function () {
      var tab = yasgui.getTab();
      if (!tab) { return; }
      var url = tab.getShareableLink(window.location.origin + window.location.pathname);
      window.history.replaceState(null, "", url);
    };
    yasgui.on("tabSelect", function () { setTimeout(permalink, 0); });
    yasgui.on("query", permalink);
    yasgui.on("tabChange", function () { setTimeout(permalink, 0); });
    questions(yasgui, (vocabulary && vocabulary.themes) || {}).then(function () { window.lpsplanYasgui.ready = true; permalink(); });
  }

  function questions(yasgui, themes) {
    // the named questions as tabs, ordered by theme, and a menu that groups them by theme
    return fetch("/api/queries").then(function (r) { return r.json(); }).then(function (list) {
      var order = Object.keys(themes);
      list = list.slice().sort(function (a, b) { return order.indexOf(a.theme) - order.indexOf(b.theme); });
      var catalogue = { questions: list, themes: themes };
      return Promise.all(list.map(function (q) {
        return fetch("/api/queries/" + encodeURIComponent(q.name) + "/text").then(function (r) { return r.text(); })
          .then(function (text) { return { q: q, text: text }; });
      })).then(function (tabs) {
        var ids = {};
        tabs.forEach(function (t) {
          var theme = themes[t.q.theme] ? themes[t.q.theme].zh + " · " : "";
          var tab = yasgui.addTab(false, Object.assign({}, Yasgui.Tab.getDefaults(), {
            name: theme + t.q.title.zh,
            requestConfig: Object.assign({}, Yasgui.Tab.getDefaults().requestConfig, { endpoint: endpoint }),
            yasqe: { value: t.text }
          }));
          ids[t.q.name] = tab.getId();
        });
        menu(yasgui, catalogue, ids);
      });
    }).catch(function (e) { console.warn("the named questions could not be loaded", e); });
  }

  function menu(yasgui, catalogue, ids) {
    var select = document.getElementById("question-menu");
    if (!select) { return; }
    Object.keys(catalogue.themes).forEach(function (key) {
      var group = document.createElement("optgroup");
      group.label = catalogue.themes[key].zh + " " + catalogue.themes[key].en;
      catalogue.questions.filter(function (q) { return q.theme === key; }).forEach(function (q) {
        var option = document.createElement("option");
        option.value = q.name;
        option.textContent = q.title.zh + " — " + q.title.en;
        group.appendChild(option);
      });
      if (group.children.length) { select.appendChild(group); }
    });
    select.addEventListener("change", function () {
      if (ids[select.value]) { yasgui.selectTabId(ids[select.value]); }
    });
  }

  var prefixes = fetch("/api/prefixes").then(function (r) { return r.json(); }).catch(function () { return {}; });
  var vocabulary = fetch("/api/vocabulary").then(function (r) { return r.json(); }).catch(function () { return null; });
  Promise.all([prefixes, vocabulary]).then(function (both) { start(both[0], both[1]); });
})();
