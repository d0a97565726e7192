"""The network views in a real headless Chromium (Debian's chromium, driven by
Playwright): no JavaScript errors, the expected number of nodes read back from
the page's vis DataSet, filters that change the graph, the language switch, and
no request leaving the machine.

Set LPSPLAN_SCREENSHOTS=DIR to keep screenshots (`make screenshots` writes the
ones in viz/screenshots/ that the README shows).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import sync_playwright

from cli import run_cli
from server import lpsplan_server

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def live(tmp_path_factory, built):
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("views")
    write_graph(built.graph, build_dir / "plan.ttl")
    with lpsplan_server(build_dir, LPSPLAN_WORKERS="1") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed for the view tests: `make setup` installs it"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Loaded:
    def __init__(self, browser, url: str, allowed: str, screenshot: str | None = None):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
        self.page.wait_for_function("window.lpsplanView && window.lpsplanView.ready === true", timeout=60_000)
        self.nodes = self.page.evaluate("window.lpsplanView.nodes.length")
        self.edges = self.page.evaluate("window.lpsplanView.edges.length")
        drawn = self.page.evaluate("Object.keys(window.lpsplanView.network.body.nodes).length")
        assert drawn >= self.nodes  # the canvas holds every node of the DataSet
        assert self.errors == [], self.errors
        assert all(u.startswith((allowed, "data:", "about:")) for u in self.requests), self.requests
        shots = os.environ.get("LPSPLAN_SCREENSHOTS")
        if shots and screenshot:
            self.page.wait_for_function("window.lpsplanView.stable === true", timeout=60_000)  # laid out, labels apart
            Path(shots).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(shots) / f"{screenshot}.png"))


@pytest.mark.parametrize("path, nodes, shot", [
    ("/viz/coownership?domain=" + quote("现代煤化工"), 5, "coownership-coal-chemical"),
    ("/viz/coownership", 29, "coownership"),
    ("/viz/coownership?color=community", 29, None),
    ("/viz/bipartite", 15 + 13, "unit-domain"),  # the 15 units on domain clauses, the 13 domains
    ("/viz/bipartite?kind=task", 28 + 9, None),
    ("/viz/ego?unit=" + quote("市科协"), 1 + 2 + 6, "ego"),  # itself, the 2 tasks of its 2 clauses, 6 co-owners
    ("/viz/tree", 333, "tree"),
])
def test_views_draw_without_errors(live, browser, path, nodes, shot):
    loaded = Loaded(browser, live + path, live, shot)
    assert loaded.nodes == nodes
    loaded.page.close()


def test_filters_change_the_graph(live, browser):
    counts = {}
    for q in ("", "?min_weight=10", "?task=9", "?domain=" + quote("其他"), "?expand_groups=1"):
        loaded = Loaded(browser, f"{live}/viz/coownership{q}", live)
        counts[q] = (loaded.nodes, loaded.edges)
        loaded.page.close()
    assert counts[""] == (29, 238)
    assert counts["?min_weight=10"][1] < 238 and counts["?task=9"][0] < 29 and counts["?domain=" + quote("其他")][0] == 9
    assert counts["?expand_groups=1"][0] == 32


def test_the_form_applies_filters(live, browser):
    loaded = Loaded(browser, f"{live}/viz/coownership", live)
    loaded.page.select_option("select[name=domain]", "钢铁")
    with loaded.page.expect_navigation():  # waiting on the page while it is being replaced races the navigation
        loaded.page.click("button[type=submit]")
    loaded.page.wait_for_function("window.lpsplanView && window.lpsplanView.ready === true && window.lpsplanView.nodes.length === 3")
    assert "domain=" in loaded.page.url
    loaded.page.close()


def test_language_switch(live, browser):
    loaded = Loaded(browser, live + "/viz/coownership?domain=" + quote("现代煤化工"), live)
    first = loaded.page.evaluate("window.lpsplanView.nodes.get()[0]")
    assert first["label"] == first["label_zh"]
    loaded.page.click("#lang-en")
    assert loaded.page.evaluate("window.lpsplanView.nodes.get()[0].label") == first["label_en"]
    assert loaded.page.evaluate("document.documentElement.lang") == "en"
    loaded.page.close()


def test_views_index_and_csp(live, browser):
    import httpx

    r = httpx.get(f"{live}/viz/coownership")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    index = httpx.get(f"{live}/viz/")
    assert index.status_code == 200 and index.text.count("/viz/") >= 4
    assert httpx.get(f"{live}/viz/nope").status_code == 404
    bad = httpx.get(f"{live}/viz/coownership", params={"domain": "不存在"})
    assert bad.status_code == 400 and "no domain" in bad.json()["detail"]


def test_written_file_opens_offline(browser, built, tmp_path):
    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    out = tmp_path / "x.html"
    done = run_cli("viz", "coownership", "--domain", "现代煤化工", "-o", out, env={**os.environ, "LPSPLAN_BUILD_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    context = browser.new_context(offline=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(out.as_uri())
    page.wait_for_function("window.lpsplanView && window.lpsplanView.ready === true", timeout=60_000)
    assert page.evaluate("window.lpsplanView.nodes.length") == 5 and errors == []
    context.close()


def test_network_api(live):
    import httpx
    import networkx as nx

    doc = httpx.get(f"{live}/api/network/coownership", params={"domain": "现代煤化工"}).json()
    assert len(doc["nodes"]) == 5 and len(doc["edges"]) == 10 and doc["metrics"][0]["clauses"] == 1
    ranking = httpx.get(f"{live}/api/network/coownership").json()["metrics"]
    assert ranking[0]["label_zh"] == "六盘水市科学技术局"
    graphml = httpx.get(f"{live}/api/network/unit-domain", params={"format": "graphml"})
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    g = nx.parse_graphml(graphml.text)
    assert sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "domain") == 13
    assert httpx.get(f"{live}/api/network/coownership", params={"format": "csv"}).text.startswith("source,")
    assert len(httpx.get(f"{live}/api/network").json()) == 13
    assert httpx.get(f"{live}/api/network/nope").status_code == 404


def test_the_one_unit_view_keeps_the_unit_it_was_asked_for(live, browser):
    """/viz/ego?unit=市科技局 (a written form): the dropdown shows that unit, and Apply redraws it."""
    loaded = Loaded(browser, live + "/viz/ego?unit=" + quote("市科技局"), live)
    assert loaded.page.evaluate("() => document.querySelector('select[name=unit]').value") == "六盘水市科学技术局"
    drawn = loaded.nodes
    with loaded.page.expect_navigation():
        loaded.page.click("button[type=submit]")
    loaded.page.wait_for_function("window.lpsplanView && window.lpsplanView.ready === true")
    assert loaded.page.evaluate("window.lpsplanView.nodes.length") == drawn and "ego?" in loaded.page.url
    loaded.page.select_option("select[name=unit]", "六盘水市科学技术协会")
    with loaded.page.expect_navigation():
        loaded.page.click("button[type=submit]")
    loaded.page.wait_for_function("window.lpsplanView && window.lpsplanView.ready === true")
    assert loaded.page.evaluate("window.lpsplanView.nodes.length") == 1 + 2 + 6  # 市科协, as in the parametrized case
    assert loaded.errors == []
    loaded.page.close()
    bad = __import__("httpx").get(f"{live}/viz/ego", params={"unit": "能源局"})
    assert bad.status_code == 400 and "did you mean" in bad.json()["detail"]


def _stable(loaded):
    loaded.page.wait_for_function("window.lpsplanView.stable === true", timeout=60_000)


@pytest.mark.parametrize("path", [
    "/viz/coownership", "/viz/coownership?lang=en", "/viz/coownership?expand_groups=1&lang=en",
    "/viz/ego?unit=" + quote("市科技局"), "/viz/ego?unit=" + quote("市科技局") + "&lang=en",
    "/viz/tree", "/viz/tree?lang=en", "/viz/bipartite?lang=en", "/viz/bipartite?kind=task",
])
def test_labels_do_not_overlap(live, browser, path):
    """After the layout settles, at the initial zoom: the share of drawn labels whose box overlaps another label's
    box (read from the page: node positions and label boxes) stays under 5%."""
    loaded = Loaded(browser, live + path, live)
    _stable(loaded)
    assert loaded.page.evaluate("window.lpsplanView.network.physics.options.enabled") is False  # it stopped
    assert loaded.page.evaluate("window.lpsplanView.labelOverlap()") < 0.05
    loaded.page.close()


def test_the_one_unit_view_aggregates_and_expands(live, browser):
    loaded = Loaded(browser, live + "/viz/ego?unit=" + quote("市科技局"), live)
    _stable(loaded)
    assert loaded.nodes < 60  # not one node per clause (93 before): its domains and tasks, and its co-owners
    part = "https://w3id.org/lpsplan/id/liupanshui-sti-2021-2023/domain/2"
    loaded.page.evaluate(f"window.lpsplanView.network.emit('click', {{nodes: ['{part}'], edges: []}})")
    assert loaded.page.evaluate("window.lpsplanView.nodes.length") == loaded.nodes + 1  # its one clause there
    assert loaded.page.evaluate("window.lpsplanView.labelOverlap()") < 0.05
    loaded.page.close()


def test_the_tree_opens_level_by_level(live, browser):
    loaded = Loaded(browser, live + "/viz/tree", live)
    _stable(loaded)
    shown = "window.lpsplanView.nodes.get({filter: n => !n.hidden}).length"
    before = loaded.page.evaluate(shown)
    assert before < 40  # plan, sections, domains and tasks; clauses and units folded
    part = "https://w3id.org/lpsplan/id/liupanshui-sti-2021-2023/task/5"
    loaded.page.evaluate(f"window.lpsplanView.network.emit('click', {{nodes: ['{part}'], edges: []}})")
    opened = loaded.page.evaluate(shown)
    assert opened > before
    assert loaded.page.evaluate("window.lpsplanView.labelOverlap()") < 0.05
    loaded.page.evaluate(f"window.lpsplanView.network.emit('click', {{nodes: ['{part}'], edges: []}})")
    assert loaded.page.evaluate(shown) == before
    loaded.page.close()
