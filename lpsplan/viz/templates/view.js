(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var lang = data.lang === "en" ? "en" : "zh";
  var hierarchical = !!(data.options.layout && data.options.layout.hierarchical && data.options.layout.hierarchical.enabled !== false);
  function localise(n) {
    return Object.assign({}, n, { label: n["label_" + lang] || n.label, title: n["title_" + lang] || n.title });
  }
  var nodes = new vis.DataSet(data.nodes.map(localise));
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("network"), { nodes: nodes, edges: edges }, data.options);
  var view = window.lpsplanView = { network: network, nodes: nodes, edges: edges, stable: false, lang: function () { return lang; } };

  function visibleIds() {
    return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; });
  }

  // Label boxes in canvas coordinates, as drawn at the current zoom: [id, left, top, width, height].
  function labelBoxes() {
    network.redraw();
    var boxes = [];
    visibleIds().forEach(function (id) {
      var node = network.body.nodes[id];
      var size = node && node.labelModule && node.labelModule.size;
      if (node && node.options.label && size && size.width) { boxes.push([id, size.left, size.top, size.width, size.height]); }
    });
    return boxes;
  }

  // The share of drawn labels whose box overlaps another label's box (0 = every label legible).
  view.labelOverlap = function () {
    var b = labelBoxes(), hit = {};
    for (var i = 0; i < b.length; i++) {
      for (var j = i + 1; j < b.length; j++) {
        if (b[i][1] < b[j][1] + b[j][3] && b[j][1] < b[i][1] + b[i][3] && b[i][2] < b[j][2] + b[j][4] && b[j][2] < b[i][2] + b[i][4]) {
          hit[b[i][0]] = true; hit[b[j][0]] = true;
        }
      }
    }
    return b.length ? Object.keys(hit).length / b.length : 0;
  };

  // Move nodes apart until no two labels overlap (a hierarchical layout keeps its levels: nodes move
  // only across them), then fit the view.  Deterministic: same graph, same picture.
  function separate() {
    network.fit();
    var boxes = labelBoxes(), pad = hierarchical ? 10 : 4;
    if (!boxes.length) { return; }
    var pos = network.getPositions(boxes.map(function (b) { return b[0]; }));
    var items = boxes.map(function (b) {
      var p = pos[b[0]];
      return { id: b[0], x: p.x, y: p.y, dx: b[1] - p.x, dy: b[2] - p.y, w: b[3] + pad, h: b[4] + pad };
    });
    if (hierarchical) {
      // each level (a column) stacked from the top in its current order: folded nodes leave no gaps
      var levels = {};
      items.forEach(function (it) { (levels[Math.round(it.x)] = levels[Math.round(it.x)] || []).push(it); });
      Object.keys(levels).forEach(function (x) {
        var column = levels[x].sort(function (a, b) { return a.y - b.y; });
        var height = column.reduce(function (sum, it) { return sum + it.h; }, 0), y = -height / 2;
        column.forEach(function (it) { it.y = y - it.dy; y += it.h; });
      });
    }
    for (var round = 0; round < 300; round++) {
      var moved = false;
      for (var i = 0; i < items.length; i++) {
        for (var j = i + 1; j < items.length; j++) {
          var a = items[i], c = items[j];
          var ax = a.x + a.dx, ay = a.y + a.dy, cx = c.x + c.dx, cy = c.y + c.dy;
          var ox = Math.min(ax + a.w, cx + c.w) - Math.max(ax, cx);
          var oy = Math.min(ay + a.h, cy + c.h) - Math.max(ay, cy);
          if (ox <= 0 || oy <= 0) { continue; }
          moved = true;
          if (hierarchical || oy <= ox) {
            var sy = (ay + a.h / 2 <= cy + c.h / 2 ? -1 : 1) * (oy / 2 + 0.5);
            a.y += sy; c.y -= sy;
          } else {
            var sx = (ax + a.w / 2 <= cx + c.w / 2 ? -1 : 1) * (ox / 2 + 0.5);
            a.x += sx; c.x -= sx;
          }
        }
      }
      if (!moved) { break; }
    }
    items.forEach(function (it) { network.moveNode(it.id, it.x, it.y); });
    network.fit();
  }

  var settled = false;
  function settle() {
    if (settled) { return; }
    settled = true;
    network.setOptions({ physics: false });  // laid out once: the graph stays put while people read it
    separate();
    view.stable = true;
  }

  function setLang(l) {
    lang = l;
    nodes.update(data.nodes.map(function (n) { var m = localise(n); delete m.hidden; return m; }));
    document.querySelectorAll("[data-zh]").forEach(function (el) { el.textContent = el.getAttribute("data-" + l); });
    document.documentElement.lang = l;
    var field = document.querySelector("input[name=lang]");
    if (field) { field.value = l; }
    if (view.stable) { separate(); }
  }
  document.getElementById("lang-zh").addEventListener("click", function () { setLang("zh"); });
  document.getElementById("lang-en").addEventListener("click", function () { setLang("en"); });

  // Collapsible levels: a node with children (the tree's parts and clauses) shows or hides them on click;
  // a node listing `expand` nodes (the one-unit view's domains and tasks) adds its clauses on click.
  var children = {};
  data.edges.forEach(function (e) { (children[e.from] = children[e.from] || []).push(e.to); });
  function hideBelow(id) {
    (children[id] || []).forEach(function (c) { if (!nodes.get(c).hidden) { nodes.update({ id: c, hidden: true }); hideBelow(c); } });
  }
  network.on("click", function (params) {
    if (!params.nodes.length) { return; }
    var id = params.nodes[0], node = data.nodes.filter(function (n) { return n.id === id; })[0];
    if (!node) { return; }
    if (node.expand && !nodes.get(node.expand.nodes[0].id)) {
      nodes.add(node.expand.nodes.map(localise));
      edges.add(node.expand.edges);
      separate();
    } else if (node.collapsible) {
      var shown = (children[id] || []).some(function (c) { return !nodes.get(c).hidden; });
      if (shown) { hideBelow(id); } else { (children[id] || []).forEach(function (c) { nodes.update({ id: c, hidden: false }); }); }
      separate();
    }
  });

  if (data.options.physics && data.options.physics.enabled !== false && data.nodes.length) {
    network.once("stabilizationIterationsDone", settle);
    network.once("stabilized", settle);
  } else {
    setTimeout(settle, 0);
  }
  // every node is in the DataSet and the network's body now: the view is ready to be read and used
  view.ready = true;
})();
