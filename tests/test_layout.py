"""House rules: layering, vocabulary, configuration, packaging."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lpsplan.config import Settings, project_paths
from lpsplan.errors import ConfigError
from lpsplan.vocab import LPS, LPS_IRI
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lpsplan"
EDGE = ("fastapi", "starlette", "uvicorn", "click", "typer", "pyvis")


def core_modules():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(("api/", "viz/", "cli/")):
            continue
        yield path


@pytest.mark.parametrize("path", list(core_modules()), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_never_imports_web_cli_or_drawing_libraries(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        for name in names:
            assert name.split(".")[0] not in EDGE, f"{path.name} imports {name}"


def imports_between_modules() -> dict[str, set[str]]:
    """Every lpsplan module and the lpsplan modules it imports anywhere in it (at the top, in a
    function, or for type hints only); ``from . import x`` counts as importing the module x."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["lpsplan", *path.relative_to(PACKAGE).with_suffix("").parts]
        package = parts[:-1]  # what a relative import starts from, for a module and for a package's __init__
        modules[".".join(package if parts[-1] == "__init__" else parts)] = (path, package)
    graph: dict[str, set[str]] = {}
    for name, (path, package) in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1] + [node.module or ""]).rstrip(".") if node.level else node.module
                subs = {f"{base}.{a.name}" for a in node.names} & modules.keys()
                found |= subs or {base}
        graph[name] = (found & modules.keys()) - {name}
    return graph


def test_no_module_imports_a_module_that_imports_it():
    graph = imports_between_modules()
    assert len(graph) > 50 and "lpsplan.sparql.open" in graph["lpsplan.project"]
    for start in graph:
        seen, todo = set(), [(start, [start])]
        while todo:
            name, trail = todo.pop()
            for nxt in graph[name]:
                assert nxt != start, "import cycle: " + " -> ".join([*trail, nxt])
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append((nxt, [*trail, nxt]))


def test_importing_the_library_builds_nothing():
    code = "import sys, lpsplan, lpsplan.build, lpsplan.sparql.open, lpsplan.validate; print(sorted(m for m in {'click','pyshacl','pyshacl_turbo','jieba'} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()  # a fresh sys.modules
    assert out == "[]"


def test_vocabulary_matches_the_ontology():
    onto = Graph().parse(ROOT / "ontology" / "lps.ttl")
    declared = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(LPS_IRI)}
    in_code = {LPS[name] for name in LPS.__annotations__}
    assert declared == in_code
    for term in declared:
        labels = list(onto.objects(term, RDFS.label)) + list(onto.objects(term, SKOS.prefLabel))
        assert {l.language for l in labels} >= {"zh", "en"}, term


def test_vocabulary_rejects_typos():
    with pytest.raises(AttributeError):
        LPS.responsibleUnits  # noqa: B018


def test_terms_used_by_shapes_exist():
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    used = {o for t in shapes for o in t if isinstance(o, URIRef) and str(o).startswith(LPS_IRI)}
    assert used <= {LPS[name] for name in LPS.__annotations__}
    text = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    import re

    assert set(re.findall(r"lps:(\w+)", text)) <= set(LPS.__annotations__)


def test_paths_and_settings(tmp_path):
    paths = project_paths()
    assert paths.root == ROOT and paths.shapes_file.is_file() and paths.source.is_file()
    s = Settings.from_env({"LPSPLAN_BASE_IRI": "http://example.org/x/", "LPSPLAN_BUILD_DIR": str(tmp_path)})
    assert s.base_iri == "http://example.org/x/" and s.plan_graph_file == tmp_path / "plan.ttl"
    with pytest.raises(ConfigError, match="must end with"):
        Settings.from_env({"LPSPLAN_BASE_IRI": "http://example.org/x"})
    with pytest.raises(ConfigError, match="cannot find"):
        project_paths(tmp_path)


@pytest.mark.slow
def test_installed_wheel_finds_its_folders(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("lpsplan-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ["lpsplan/_share/ontology/lps.ttl", "lpsplan/_share/ontology/shapes.ttl",
                   "lpsplan/_share/data/registry/units-liupanshui.yaml",
                   "lpsplan/_share/data/source/liupanshui-sti-action-plan-2021-2023.txt",
                   "lpsplan/_share/data/observations/liupanshui.csv"]:
        assert needed in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    env = {k: v for k, v in os.environ.items() if k not in ("LPSPLAN_HOME", "PYTHONPATH")}
    env["PYTHONPATH"] = str(target)
    code = "from lpsplan.config import project_paths; p = project_paths(); print(p.root); assert p.shapes_file.is_file()"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout
    assert out.strip() == str(target / "lpsplan" / "_share")
