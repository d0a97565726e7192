"""Target tracking: observed values with sources, the SHACL rules they obey, attainment
derived from them (and changing with them), the import's all-or-nothing report, the
named questions, the HTTP routes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from lpsplan.queries import Catalogue
from lpsplan.sparql.local import LocalBackend
from lpsplan.targets.attainment import STATUSES, attainment, growth_rate, summary_line
from lpsplan.targets.observations import (
    COLUMNS,
    curated_files,
    curated_observations,
    graph_iri,
    observation_graph,
    parse_row,
    read_table,
)
from lpsplan.targets.observe import ImportRefused, write_observations
from lpsplan.targets.units import convert
from lpsplan.validate import load_shapes, validate_graph
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from cli import run_cli

PLAN = "https://w3id.org/lpsplan/id/liupanshui-sti-2021-2023"
RD = "全社会R&D经费支出占GDP比重"
CONTRACTS = "全市技术合同成交额"
HEADER = list(COLUMNS) + ["baseline"]


def row(indicator=RD, year="2023", value="1.15", unit="%", url="https://example.org/report", publisher="某市统计局",
        date="2024-01-31", quote=None, baseline="no"):
    return [indicator, year, value, unit, url, publisher, date, quote if quote is not None else f"数值为{value}{unit}", baseline]


def table(tmp_path: Path, rows, name="obs.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


@pytest.fixture(scope="module")
def catalogue(settings):
    return Catalogue.load(settings.paths.queries)


@pytest.fixture(scope="module")
def plan_graph(built, settings) -> Graph:
    g = Graph()
    g += built.graph
    g.parse(settings.paths.ontology_file)
    return g


def store_with(built, settings, observations) -> LocalBackend:
    from lpsplan.build import serialize

    s = ox.Store()
    s.load(serialize(built.graph), format=ox.RdfFormat.TURTLE)
    s.load(path=str(settings.paths.ontology_file), format=ox.RdfFormat.TURTLE)
    s.load(observation_graph(observations, settings.base_iri).serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES,
           to_graph=ox.NamedNode(graph_iri(settings.base_iri)))
    return LocalBackend(s)


def obs(**kw):
    cells = dict(zip(HEADER, row(**kw)))
    return parse_row(cells, "liupanshui", 2)


# -- the curated data --------------------------------------------------------

def test_curated_values_are_sourced_and_quoted(settings):
    files = curated_files(settings.paths.data)
    assert [f.name for f in files] == ["liupanshui.csv"]
    rows, refused = read_table(files[0], area="liupanshui")
    assert refused == [] and rows
    for o in rows:
        assert o.source_url.startswith("http") and o.publisher and o.quote and o.retrieved
        assert format(o.value, "f") in o.quote  # the value as the source writes it


def test_every_target_has_an_attainment_record(built, settings, catalogue):
    s = store_with(built, settings, curated_observations(settings.paths.data))
    records = attainment(s.select, catalogue)
    assert [a.ordinal for a in records] == list(range(1, 13))
    assert all(a.status in STATUSES for a in records)
    rd = records[0]
    assert (rd.indicator, rd.baseline_year, rd.baseline, rd.year, rd.value) == (RD, 2020, 0.89, 2023, 1.15)
    assert rd.status == "missed" and rd.share == pytest.approx(1.15 / 1.4)
    assert rd.required_growth == pytest.approx((1.4 / 0.89) ** (1 / 3) - 1)
    assert rd.actual_growth == pytest.approx((1.15 / 0.89) ** (1 / 3) - 1)
    assert {p.source for p in rd.points} == {o.source_url for o in curated_observations(settings.paths.data) if o.indicator == RD}
    share = records[1]  # only a baseline (2020): no value in the period yet
    assert share.status == "no data" and share.baseline == 97.41
    assert summary_line(records) == "0 of 12 met, 1 missed, 11 no data"


# -- SHACL ---------------------------------------------------------------------

def _violations(plan_graph, settings, observations, drop=()):
    g = Graph()
    g += plan_graph
    data = observation_graph(observations, settings.base_iri)
    for t in drop:
        data.remove(t)
    g += data
    return validate_graph(g, load_shapes(settings.paths.shapes_file))


def test_shacl_accepts_a_sourced_value_in_a_comparable_unit(plan_graph, settings):
    report = _violations(plan_graph, settings, [obs(indicator=CONTRACTS, year="2022", value="180000", unit="万元")])
    assert report.conforms, report.describe()


@pytest.mark.slow
def test_shacl_rejects_a_unit_mismatch(plan_graph, settings):
    report = _violations(plan_graph, settings, [obs(indicator=CONTRACTS, year="2022", value="18", unit="%")])
    assert not report.conforms
    assert [v.message_en for v in report.violations] == ["unit % cannot be compared with the target's unit 亿元"]


def test_shacl_rejects_a_count_against_a_percentage(plan_graph, settings):
    report = _violations(plan_graph, settings, [obs(value="3", unit="个")])
    assert [v.message_en for v in report.violations] == ["unit 个 cannot be compared with the target's unit %"]


def test_shacl_rejects_a_sourceless_value(plan_graph, settings):
    o = obs()
    node = o.iri(settings.base_iri)
    report = _violations(plan_graph, settings, [o], drop=[(node, DCTERMS.source, URIRef(o.source_url))])
    assert not report.conforms
    assert any("without a source" in v.message_en and v.focus == str(node) for v in report.violations)


def test_shacl_rejects_a_year_before_the_period_unless_a_baseline(plan_graph, settings):
    early = _violations(plan_graph, settings, [obs(year="2019", value="0.88")])
    assert next(v.message_en for v in early.violations).startswith("year 2019 lies before the period")
    assert _violations(plan_graph, settings, [obs(year="2019", value="0.88", baseline="yes")]).conforms


# -- attainment follows the observations -----------------------------------------

def test_units_convert_and_status_follows_the_path(built, settings, catalogue):
    contracts = [obs(indicator=CONTRACTS, year="2020", value="150000", unit="万元", baseline="yes"),
                 obs(indicator=CONTRACTS, year="2022", value="19", unit="亿元")]
    a = next(r for r in attainment(store_with(built, settings, contracts).select, catalogue) if r.indicator == CONTRACTS)
    assert (a.baseline, a.value) == (15.0, 19.0)  # 150000 万元 = 15 亿元
    assert a.required == pytest.approx(15 + (25 - 15) * 2 / 3) and a.status == "behind"
    contracts[1] = obs(indicator=CONTRACTS, year="2022", value="22", unit="亿元")
    a = next(r for r in attainment(store_with(built, settings, contracts).select, catalogue) if r.indicator == CONTRACTS)
    assert a.status == "on track" and a.share == pytest.approx(22 / 25)
    assert convert(150000, "万元", "亿元", settings.paths.ontology_file) == pytest.approx(15)
    assert convert(3, "个", "%", settings.paths.ontology_file) is None
    assert growth_rate(15, 25, 3) == pytest.approx((25 / 15) ** (1 / 3) - 1) and growth_rate(0, 1, 2) is None


@pytest.fixture()
def backend(built, settings, tmp_path):
    from lpsplan.build import serialize
    from lpsplan.sparql.backend import Limits
    from lpsplan.sparql.embedded import EmbeddedBackend

    store = ox.Store()
    data = serialize(built.graph)
    store.load(data.encode("utf-8") if isinstance(data, str) else data, format=ox.RdfFormat.TURTLE)
    store.load(path=str(settings.paths.ontology_file), format=ox.RdfFormat.TURTLE)
    b = EmbeddedBackend(store, load_shapes(settings.paths.shapes_file), Limits(timeout=10), workers=1,
                        snapshot_path=tmp_path / "store.nq")
    yield b
    b.close()


def _records(backend, catalogue):
    from lpsplan.sparql.backend import select_rows

    return attainment(lambda q: select_rows(backend, q), catalogue)


@pytest.mark.slow
def test_an_updated_observation_changes_the_attainment(backend, settings, catalogue, tmp_path):
    first = write_observations(backend, settings, table(tmp_path, [row(year="2020", value="0.89", baseline="yes"), row()]))
    assert (len(first.merge.added), first.written) == (2, True)
    assert _records(backend, catalogue)[0].status == "missed"
    second = write_observations(backend, settings, table(tmp_path, [row(value="1.42")], "update.csv"))
    assert [(o.year, float(o.value)) for o in second.merge.replaced] == [(2023, 1.42)] and not second.merge.added
    after = _records(backend, catalogue)[0]
    assert (after.status, after.value) == ("met", 1.42)
    again = write_observations(backend, settings, table(tmp_path, [row(value="1.42")], "same.csv"))
    assert len(again.merge.unchanged) == 1


@pytest.mark.slow
def test_a_refused_row_writes_nothing(backend, settings, catalogue, tmp_path):
    write_observations(backend, settings, table(tmp_path, [row()]))
    before = backend.store.dump(format=ox.RdfFormat.N_QUADS)
    with pytest.raises(ImportRefused) as exc:  # a good row and a unit mismatch: neither is written
        write_observations(backend, settings, table(tmp_path, [row(value="1.3", year="2022"),
                                                               row(indicator=CONTRACTS, value="18", unit="%")], "bad.csv"))
    assert [(r.line, r.reason) for r in exc.value.report.refused] == [(3, "unit % cannot be compared with the target's unit 亿元")]
    with pytest.raises(ImportRefused) as exc:
        write_observations(backend, settings, table(tmp_path, [row(url=""), row(value="7", quote="没有这个数")], "bad2.csv"))
    assert [r.reason for r in exc.value.report.refused] == ["no source: every value needs the URL where it was published",
                                                           "the value 7 does not appear in its quote"]
    assert backend.store.dump(format=ox.RdfFormat.N_QUADS) == before


# -- the command ----------------------------------------------------------------

def _cli(*args, build_dir):
    return run_cli(*args, env={"LPSPLAN_BUILD_DIR": str(build_dir), "PATH": "/usr/bin:/bin"})


@pytest.mark.slow
def test_observe_command_reports_and_refuses(built, tmp_path):
    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    missing = tmp_path / "cols.csv"
    missing.write_text("indicator,year,value\nx,2023,1\n", encoding="utf-8")
    r = _cli("observe", "--input", str(missing), build_dir=tmp_path)
    assert r.returncode == 3 and "missing column(s) unit, source_url" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "store.nq").exists()
    bad = table(tmp_path, [row(indicator=CONTRACTS, value="18", unit="%")], "bad.csv")
    r = _cli("observe", "--input", str(bad), build_dir=tmp_path)
    assert r.returncode == 4 and "line 2: unit % cannot be compared" in r.stdout and "nothing was written" in r.stdout
    assert not (tmp_path / "store.nq").exists()
    good = table(tmp_path, [row(value="1.42")], "good.csv")
    r = _cli("observe", "--input", str(good), "--format", "json", build_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [x["value"] for x in json.loads(r.stdout)["replaced"]] == ["1.42"]  # over the curated 1.15
    r = _cli("targets", "--format", "json", "--charts", str(tmp_path / "charts"), "--chart-format", "png", build_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["status"] == "met" and "1 of 12 met" in r.stderr
    pngs = sorted((tmp_path / "charts").glob("*.png"))
    assert len(pngs) == 12 and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


# -- named questions ---------------------------------------------------------------

def test_named_questions_on_observations(built, settings, catalogue):
    s = store_with(built, settings, curated_observations(settings.paths.data) +
                   [obs(indicator=CONTRACTS, year="2022", value="18", unit="亿元")])
    ask = lambda name, **p: s.select(catalogue.get(name).render(p))
    history = ask("indicator-history", keyword="R&D经费支出占GDP比重")
    assert [(str(r["year"]), r["baseline"]) for r in history] == [("2020", True), ("2023", False)]
    assert [float(r["value"]) for r in history] == [0.89, 1.15] and all(r["quote"] and r["source"] for r in history)
    across = ask("indicator-across-plans", keyword="技术合同")
    assert {(r["kind"], r["indicator"]) for r in across} == {("target", CONTRACTS), ("target", "全市技术合同成交额年均增长"),
                                                           ("observation", CONTRACTS)}
    without = [r["ordinal"] for r in ask("targets-without-observations")]
    assert without == [3, 4, 5, 6, 7, 9, 10, 11, 12]  # 1 and 2 have values, 8 the one added here
    one_plan = ask("target-attainment", slug="liupanshui-sti-2021-2023")
    assert len(one_plan) == 12 and ask("target-attainment", slug="no-such-plan") == []


# -- HTTP ----------------------------------------------------------------------------

@pytest.mark.slow
def test_routes(backend, settings, catalogue, tmp_path):
    from lpsplan.api.app import create_app

    write_observations(backend, settings, table(tmp_path, [row(year="2020", value="0.89", baseline="yes"), row()]))
    with TestClient(create_app(settings.with_(update_token="tok"), backend)) as client:
        doc = client.get("/api/targets").json()
        assert doc["line"] == "0 of 12 met, 1 missed, 11 no data" and len(doc["targets"]) == 12
        assert client.get("/api/targets", params={"format": "csv"}).text.startswith("plan,ordinal,indicator")
        page = client.get("/targets").text
        assert "0 of 12 met, 1 missed, 11 no data" in page and page.count("data:image/svg+xml;base64,") == 12
        chart = client.get("/api/targets/liupanshui-sti-2021-2023/1/chart")
        assert chart.headers["content-type"] == "image/svg+xml" and b"<svg" in chart.content
        assert client.get("/api/targets/liupanshui-sti-2021-2023/99/chart").status_code == 404
        assert client.get("/targets", params={"plan": "Not A Slug"}).status_code == 400
        body = "\n".join(",".join(r) for r in [HEADER, row(value="1.5")]).encode("utf-8")
        assert client.post("/api/observations", content=body).status_code == 401
        ok = client.post("/api/observations", content=body, headers={"Authorization": "Bearer tok"})
        assert ok.status_code == 200 and len(ok.json()["replaced"]) == 1
        assert client.get("/api/targets").json()["line"] == "1 of 12 met, 11 no data"
        bad = "\n".join(",".join(r) for r in [HEADER, row(value="18", unit="%", indicator=CONTRACTS)]).encode("utf-8")
        refused = client.post("/api/observations", content=bad, headers={"Authorization": "Bearer tok"})
        assert refused.status_code == 422 and refused.json()["refused"][0]["line"] == 2
        garbage = client.post("/api/observations", content=b"a,b\n1,2\n", headers={"Authorization": "Bearer tok"})
        assert garbage.status_code == 400 and "missing column" in garbage.json()["detail"]


def test_xlsx_table_reads_like_csv(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([CONTRACTS, 2022, 180000, "万元", "https://example.org/r", "某局", dt.datetime(2023, 2, 1), "成交额180000万元", "no"])
    ws.append([CONTRACTS, 2021, "abc", "万元", "https://example.org/r", "某局", dt.datetime(2023, 2, 1), "成交额abc", "no"])
    wb.save(tmp_path / "obs.xlsx")
    rows, refused = read_table(tmp_path / "obs.xlsx")
    assert [(o.year, float(o.value), o.published.isoformat()) for o in rows] == [(2022, 180000.0, "2023-02-01")]
    assert [(r.line, r.reason) for r in refused] == [(3, "value 'abc' is not a number")]
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(Exception, match=r"not a readable \.xlsx workbook"):
        read_table(tmp_path / "broken.xlsx")


def test_a_plan_without_issuers_keeps_its_targets_and_no_area(built, settings, catalogue):
    s = store_with(built, settings, curated_observations(settings.paths.data))
    s.store.update("PREFIX lps: <https://w3id.org/lpsplan/ontology#> DELETE WHERE { ?p lps:issuedBy ?o }")
    records = attainment(s.select, catalogue)
    assert len(records) == 12 and {a.status for a in records} == {"no data"}  # not matched to another area's values
    assert len(s.select(catalogue.get("targets-without-observations").render())) == 12
