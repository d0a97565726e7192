"""Shared fixtures: the plan is built once per test session, into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from lpsplan.build import build_plan
from lpsplan.config import Settings
from lpsplan.sparql.local import LocalBackend

TESTS = Path(__file__).parent
DATA = TESTS / "data"
MINI_PLAN = DATA / "mini-plan.txt"
MINI_REGISTRY = DATA / "units-mini.yaml"
PLAN_IRI = "https://w3id.org/lpsplan/id/liupanshui-sti-2021-2023"


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return Settings.from_env({}, build_dir=tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def built(settings):
    return build_plan(settings)


@pytest.fixture(scope="session")
def plan(built):
    return built.plan


@pytest.fixture(scope="session")
def mini(settings):
    return build_plan(settings, source_path=MINI_PLAN, slug="shili-digital-2024-2026", registry_path=MINI_REGISTRY)


@pytest.fixture(scope="session")
def store(built) -> LocalBackend:
    """The built plan graph and the ontology (as the service and `lpsplan query` have them), read in process."""
    import pyoxigraph as ox
    from lpsplan.build import serialize

    s = ox.Store()
    s.load(serialize(built.graph), format=ox.RdfFormat.TURTLE)
    s.load(path=str(built.settings.paths.ontology_file), format=ox.RdfFormat.TURTLE)
    return LocalBackend(s)


def clause(plan, key: str):
    return next(c for c in plan.clauses if c.key == key)
