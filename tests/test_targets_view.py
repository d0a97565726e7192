"""The /targets page in a real headless Chromium (Debian's chromium, as in test_views):
the summary line, one chart per target drawn and decoded, sources linked, no script
error and no request leaving the machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from server import lpsplan_server
from test_views import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory, built):
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("targets-view")
    write_graph(built.graph, build_dir / "plan.ttl")
    with lpsplan_server(build_dir, LPSPLAN_WORKERS="1") as base:
        yield base


def test_targets_page_renders_in_chromium(live, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live}/targets", wait_until="load", timeout=120_000)
    summary = page.inner_text("#summary")
    assert "0 of 12 met, 1 missed, 11 no data" in summary and "共12项目标" in summary
    assert page.locator("table.targets tbody tr").count() == 12
    drawn = page.evaluate("Array.from(document.querySelectorAll('td.chart img')).map(i => i.complete && i.naturalWidth > 0)")
    assert drawn == [True] * 12
    assert page.get_attribute("#target-liupanshui-sti-2021-2023-1", "data-status") == "missed"
    sources = page.eval_on_selector_all("#target-liupanshui-sti-2021-2023-1 td.sources a", "as => as.map(a => a.href)")
    assert sources == ["http://gz.people.com.cn/n2/2021/1117/c401347-35009310.html",
                       "http://bkwu.com.cn/newarea/roll/202402/26/t20240226_38911882.shtml"]
    assert errors == [], errors
    assert all(u.startswith((live, "data:", "about:")) for u in requests), requests
    shots = os.environ.get("LPSPLAN_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / "targets.png"), full_page=True)
    page.close()
