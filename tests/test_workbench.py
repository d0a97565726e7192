"""The research workbench in a real headless Chromium: every query-editor tab runs
against this service and answers what the API answers, autocompletion comes from
this graph, permalinks restore a query, /docs works offline; and entity
parameters resolve or are refused with the closest names."""

from __future__ import annotations

import time

import httpx
import pytest

from cli import run_cli
from test_views import browser, live  # noqa: F401  (the fixtures: a served plan, Debian's Chromium)

pytestmark = pytest.mark.browser


class Opened:
    """A page with everything it did recorded: JavaScript errors, requests, failed requests."""

    def __init__(self, browser, base: str, path: str):  # noqa: F811
        self.base = base
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.goto(base + path)

    def until(self, predicate: str, seconds: float = 60) -> None:
        """Poll a JavaScript function (the pages' CSP forbids eval, so no wait_for_function with a string)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.page.evaluate(predicate):
                return
            time.sleep(0.1)
        raise AssertionError(f"never true: {predicate}")

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.failed == [], self.failed
        assert all(u.startswith((self.base, "data:", "about:", "blob:")) for u in self.requests), \
            [u for u in self.requests if not u.startswith(self.base)]

    def close(self) -> None:
        self.page.close()


EDITOR_READY = "() => !!(window.lpsplanYasgui && window.lpsplanYasgui.ready)"
RUN_TAB = """async (id) => {
  const yasgui = window.lpsplanYasgui; yasgui.selectTabId(id); const tab = yasgui.getTab(id);
  await tab.getYasqe().query();
  for (let i = 0; i < 200 && !tab.getYasr().results; i++) { await new Promise(r => setTimeout(r, 50)); }
  return { endpoint: tab.getEndpoint(), rows: tab.getYasr().results.getBindings().length };
}"""


def test_every_editor_tab_runs_here_and_answers_as_the_api(live, browser):  # noqa: F811
    questions = httpx.get(f"{live}/api/queries").json()
    themes = httpx.get(f"{live}/api/vocabulary").json()["themes"]
    expected = {f"{themes[q['theme']]['zh']} · {q['title']['zh']}": len(httpx.get(f"{live}/api/queries/{q['name']}", params={"format": "rows"}).json())
                for q in questions}
    opened = Opened(browser, live, "/")
    opened.until(EDITOR_READY)
    tabs = opened.page.evaluate("() => Object.values(window.lpsplanYasgui._tabs).map(t => [t.getId(), t.getName()])")
    named = {name: tid for tid, name in tabs if name in expected}
    assert set(named) == set(expected)  # every question is a tab
    order = [themes_key for themes_key in themes]
    tab_themes = [next(k for k, v in themes.items() if name.startswith(v["zh"] + " · ")) for _, name in tabs if name in expected]
    assert tab_themes == sorted(tab_themes, key=order.index)  # grouped by theme
    answered = 0
    for name, tid in named.items():
        result = opened.page.evaluate(RUN_TAB, tid)
        assert result["endpoint"] == f"{live}/sparql", name
        assert result["rows"] == expected[name], name
        answered += result["rows"] > 0
    assert answered >= len(expected) - 3  # those about several plans or linked projects are empty with one plan
    opened.clean()
    opened.close()


def test_autocompletion_comes_from_this_graph(live, browser):  # noqa: F811
    opened = Opened(browser, live, "/")
    opened.until(EDITOR_READY)
    page = opened.page

    def hints(text: str, line: int) -> list[str]:
        page.evaluate("""([text, line]) => { const y = window.lpsplanYasgui.getTab().getYasqe(); y.setValue(text); y.focus();
                          y.getDoc().setCursor({ line: line, ch: 1000 }); }""", [text, line])
        page.keyboard.press("Control+Space")
        page.wait_for_selector(".CodeMirror-hint", timeout=10_000)
        found = page.evaluate("() => Array.from(document.querySelectorAll('.CodeMirror-hint')).map(e => e.textContent)")
        page.keyboard.press("Escape")
        return found

    prefix = "PREFIX lps: <https://w3id.org/lpsplan/ontology#>\n"
    assert "lps:Clause" in hints(prefix + "SELECT * WHERE { ?s a lps:Cl", 1)
    assert "lps:writtenForm" in hints(prefix + "SELECT * WHERE { ?s lps:wri", 1)
    assert '"现代煤化工"' in hints('SELECT * WHERE { ?s ?p "现代', 0)
    opened.clean()
    opened.close()


def test_the_address_is_a_permalink(live, browser):  # noqa: F811
    opened = Opened(browser, live, "/")
    opened.until(EDITOR_READY)
    query = "SELECT ?unit WHERE { ?r <https://w3id.org/lpsplan/ontology#unit> ?unit } LIMIT 3"
    opened.page.evaluate("(q) => window.lpsplanYasgui.getTab().getYasqe().setValue(q)", query)
    opened.page.evaluate("async () => { await window.lpsplanYasgui.getTab().getYasqe().query(); }")
    url = opened.page.url
    assert "#" in url and "query=" in url
    opened.clean()
    opened.close()
    # a link (even one naming another endpoint) opens the query, run here
    link = url.replace("endpoint=", "endpoint=https%3A%2F%2Fdbpedia.org%2Fsparql&x=") if "endpoint=" in url else url
    again = Opened(browser, live, link[len(live):])
    again.until(EDITOR_READY)
    tab = again.page.evaluate("() => { const t = window.lpsplanYasgui.getTab(); return [t.getYasqe().getValue(), t.getEndpoint()]; }")
    assert tab == [query, f"{live}/sparql"]
    again.clean()
    again.close()


def test_docs_work_offline(live, browser):  # noqa: F811
    opened = Opened(browser, live, "/docs")
    opened.until("() => document.querySelectorAll('.opblock').length > 10")
    assert opened.page.evaluate("() => document.querySelector('.info .title').textContent").startswith("lpsplan")
    opened.clean()
    opened.close()


@pytest.mark.parametrize("value", ["现代煤化工", "Modern coal chemical industry", "modern coal chemical industry",
                                   "https://w3id.org/lpsplan/id/liupanshui-sti-2021-2023/domain/2"])
def test_a_domain_by_any_of_its_names(live, value):  # noqa: F811
    rows = httpx.get(f"{live}/api/queries/coownership-domain", params={"domain": value, "format": "rows"}).json()
    assert len(rows) == 5


@pytest.mark.parametrize("name, param, value, suggestion", [
    ("coownership-domain", "domain", "煤化工", "现代煤化工"),
    ("coownership-domain", "domain", "modern coal chemical", "现代煤化工"),
    ("unit-portfolio", "unit", "能源局", "六盘水市能源局"),
])
def test_a_near_miss_is_refused_with_the_closest_names(live, name, param, value, suggestion):  # noqa: F811
    r = httpx.get(f"{live}/api/queries/{name}", params={param: value, "format": "rows"})
    assert r.status_code == 400
    assert f"did you mean {suggestion}" in r.json()["detail"]


def test_units_by_written_form_and_english_name(live):  # noqa: F811
    for value in ("市科技局", "六盘水市科学技术局", "Liupanshui Municipal Bureau of Science and Technology"):
        rows = httpx.get(f"{live}/api/queries/unit-portfolio", params={"unit": value, "format": "rows"}).json()
        assert len(rows) == 42, value
    assert httpx.get(f"{live}/api/queries/coownership-pairs", params={"domain": "", "format": "rows"}).status_code == 200


def test_vocabulary(live):  # noqa: F811
    doc = httpx.get(f"{live}/api/vocabulary").json()
    assert "https://w3id.org/lpsplan/ontology#Clause" in doc["classes"]
    assert "https://w3id.org/lpsplan/ontology#writtenForm" in doc["properties"]
    assert "现代煤化工" in doc["labels"] and "市科技局" in doc["labels"]


def test_cli_refuses_an_unknown_unit(built, tmp_path):
    import os

    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    r = run_cli("query", "unit-portfolio", "-p", "unit=能源局", env={**os.environ, "LPSPLAN_BUILD_DIR": str(tmp_path)})
    assert r.returncode != 0 and "did you mean 六盘水市能源局" in r.stderr and "Traceback" not in r.stderr
    ok = run_cli("query", "coownership-domain", "-p", "domain=Modern coal chemical industry", "--format", "json",
                 env={**os.environ, "LPSPLAN_BUILD_DIR": str(tmp_path)})
    assert ok.returncode == 0 and len(__import__("json").loads(ok.stdout)) == 5



PLAN = "/id/liupanshui-sti-2021-2023"


@pytest.mark.parametrize("path, crumbs, names", [
    ("/id/org/liupanshui/science-technology-bureau", [], ["负责的条款 Clauses (42)", "现代煤化工领域", "六盘水市能源局"]),
    (PLAN + "/domain/2", ["六盘水市科技创新三年行动计划", "重点领域"], ["煤气化", "乙二醇", "六盘水市工业和信息化局"]),
    (PLAN + "/domain/2/clause/1", ["六盘水市科技创新三年行动计划", "重点领域", "现代煤化工"], ["现代煤化工 · 条款 1"]),
    (PLAN + "/target/10", ["六盘水市科技创新三年行动计划", "工作目标", "科技创新人才队伍不断壮大"], ["引进高端人才", "≥ 138 名", "2023"]),
])
def test_resource_pages_speak_in_names(live, browser, path, crumbs, names):  # noqa: F811
    opened = Opened(browser, live, path)
    page = opened.page
    page.wait_for_selector("main")
    assert page.evaluate("() => Array.from(document.querySelectorAll('nav.breadcrumb a')).map(a => a.textContent)") == crumbs
    text = page.evaluate("() => document.body.innerText")
    for name in names:
        assert name in text, name
    # above the raw triples, every link is shown by a name, not an IRI
    shown = page.evaluate("""() => { const main = document.querySelector('main'); const raw = main.querySelector('details');
        return Array.from(main.querySelectorAll('a')).filter(a => !raw.contains(a) && !a.closest('.types')).map(a => a.textContent); }""")
    assert shown and not [s for s in shown if s.startswith(("http://", "https://"))]
    editor = page.evaluate("() => document.querySelector('p.formats a[href^=\"/#query=\"]').getAttribute('href')")
    opened.clean()
    opened.close()
    opened = Opened(browser, live, editor)  # the page's triples, run in the query editor against this service
    opened.until(EDITOR_READY)
    opened.until("() => !!window.lpsplanYasgui.getTab().getYasr().results")
    rows = opened.page.evaluate("() => window.lpsplanYasgui.getTab().getYasr().results.getBindings().length")
    count = httpx.get(f"{live}/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ <https://w3id.org/lpsplan{path}> ?p ?o }}"},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]["n"]["value"]
    assert rows == int(count) > 3
    opened.clean()
    opened.close()


def test_every_named_question_page(live, browser):  # noqa: F811
    questions = httpx.get(f"{live}/api/queries").json()
    index = Opened(browser, live, "/questions")
    links = index.page.evaluate("() => Array.from(document.querySelectorAll('main a')).map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"/questions/{q['name']}" for q in questions)
    index.clean()
    index.close()
    charted = 0
    for q in questions:
        expected = len(httpx.get(f"{live}/api/queries/{q['name']}", params={"format": "rows"}).json())
        opened = Opened(browser, live, f"/questions/{q['name']}")
        page = opened.page
        page.wait_for_selector("p.rows")
        shown = page.evaluate("() => document.querySelectorAll('table.answer tr').length")
        assert shown == (expected + 1 if expected else 0), q["name"]
        assert page.evaluate("() => document.querySelector('h1').textContent") == q["title"]["zh"]
        downloads = page.evaluate("() => Array.from(document.querySelectorAll('p.downloads a')).map(a => a.getAttribute('href'))")
        assert [d.rsplit("format=", 1)[-1] for d in downloads[:4]] == ["csv", "csv-bom", "xlsx", "rows"]
        assert downloads[4].startswith("/#query=")
        if page.evaluate("() => !!document.getElementById('answer-chart')"):  # a numeric column: a bar chart of it, drawn
            opened.until("() => !!window.lpsplanChart")
            charted += 1
            assert page.evaluate("() => window.lpsplanChart.data.labels.length") == expected
        opened.clean()
        opened.close()
    assert charted >= 5  # unit load, domains by units, targets, …


def test_a_question_page_form_resolves_and_refuses(live, browser):  # noqa: F811
    opened = Opened(browser, live, "/questions/coownership-domain")
    page = opened.page
    assert "现代煤化工" in page.evaluate("() => Array.from(document.querySelectorAll('datalist option')).map(o => o.value)")
    page.fill("input[name=domain]", "iron and steel")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.evaluate("() => document.querySelectorAll('table.answer tr').length") == 1 + 3  # 钢铁: three units
    opened.clean()
    opened.page.fill("input[name=domain]", "煤化工")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "did you mean 现代煤化工" in page.evaluate("() => document.querySelector('p.error').textContent")
    opened.close()


def test_open_in_the_editor_runs_the_question_here(live, browser):  # noqa: F811
    opened = Opened(browser, live, "/questions/unit-load")
    href = opened.page.evaluate("() => document.querySelector('p.downloads a[href^=\"/#query=\"]').getAttribute('href')")
    opened.close()
    editor = Opened(browser, live, href)
    editor.until(EDITOR_READY)
    editor.until("() => { const t = window.lpsplanYasgui.getTab(); return !!(t.getYasr().results); }")
    assert editor.page.evaluate("() => window.lpsplanYasgui.getTab().getYasr().results.getBindings().length") == 29
    editor.clean()
    editor.close()


def test_search_page_highlights_and_narrows_by_facets(live, browser):  # noqa: F811
    opened = Opened(browser, live, "/search?q=" + "玄武岩")
    page = opened.page
    assert page.evaluate("() => document.querySelectorAll('li.hit').length") == 6
    assert set(page.evaluate("() => Array.from(document.querySelectorAll('li.hit mark')).map(m => m.textContent)")) == {"玄武岩"}
    kinds = page.evaluate("() => Array.from(document.querySelectorAll('[data-facet=kind] li')).map(li => li.innerText)")
    assert kinds == ["条款 clause 3", "技术方向 technology direction 3"]
    with page.expect_navigation():
        page.click("[data-facet=kind] li:first-child a")
    assert page.evaluate("() => document.querySelectorAll('li.hit').length") == 3
    href = page.evaluate("() => document.querySelector('li.hit a').getAttribute('href')")
    assert httpx.get(live + href, headers={"Accept": "text/html"}).status_code == 200  # each hit links to its page
    opened.clean()
    opened.close()


def test_search_segments_chinese_and_keeps_latin_words(live):  # noqa: F811
    doc = httpx.get(f"{live}/api/search", params={"q": "煤化工技术"}).json()
    assert doc["words"] == ["煤化工", "技术"] and doc["total"] == 1
    assert "【煤化工】" in doc["hits"][0]["highlighted"] and "【技术】" in doc["hits"][0]["highlighted"]
    rd = httpx.get(f"{live}/api/search", params={"q": "R&D", "year": "2023"}).json()
    assert rd["words"] == ["r&d"] and {h["kind"] for h in rd["hits"]} == {"target"} and rd["total"] == 2
    facets = {f["value"]: f["count"] for f in httpx.get(f"{live}/api/search", params={"q": "人才"}).json()["facets"]["kind"]}
    assert facets == {"clause": 7, "target": 3}
    assert httpx.get(f"{live}/api/search", params={"q": " "}).status_code == 400


@pytest.mark.parametrize("path", ["/", "/docs", "/questions", "/questions/unit-load", "/search?q=人才", "/search",
                                  "/link?title=煤矿井下5G通信与智能巡检机器人研发", "/viz/", PLAN, PLAN + "/section/3",
                                  "/id/org/liupanshui/science-technology-bureau", "/api/queries"])
def test_every_page_opens_cleanly(live, browser, path):  # noqa: F811
    """No JavaScript error, no failed request, nothing fetched from another host."""
    opened = Opened(browser, live, path)
    opened.page.wait_for_load_state("networkidle", timeout=120_000)  # Swagger UI is slow to settle on a busy CI machine
    if path == "/":
        opened.until(EDITOR_READY)
    opened.clean()
    opened.close()
