"""The one place that knows where lpsplan's folders are and how it is configured.

The top-level folders ``ontology/``, ``data/``, ``queries/``, ``api/`` and ``viz/``
live beside the package in a source checkout.  A wheel carries copies of them
under ``lpsplan/_share/`` (see ``pyproject.toml``), so an installed package finds
them too.  ``LPSPLAN_HOME`` points at another checkout-shaped folder.

Nothing here runs at import time: call :func:`project_paths` or
:meth:`Settings.from_env` when you need them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BASE_IRI = "https://w3id.org/lpsplan/id/"
PLAN_SOURCE_NAME = "liupanshui-sti-action-plan-2021-2023.txt"


@dataclass(frozen=True)
class ProjectPaths:
    """Locations of the non-code folders."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def api(self) -> Path:
        return self.root / "api"

    @property
    def viz(self) -> Path:
        return self.root / "viz"

    @property
    def registry(self) -> Path:
        return self.data / "registry"

    @property
    def source(self) -> Path:
        return self.data / "source" / PLAN_SOURCE_NAME

    @property
    def ontology_file(self) -> Path:
        return self.ontology / "lps.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.ontology / "shapes.ttl"


def _looks_like_root(path: Path) -> bool:
    return (path / "ontology" / "lps.ttl").is_file() and (path / "data" / "registry").is_dir()


def project_paths(home: str | os.PathLike[str] | None = None) -> ProjectPaths:
    """Find the project folders: ``home``, else ``$LPSPLAN_HOME``, else the
    checkout around the package, else the copies shipped inside the wheel."""
    candidates: list[Path] = []
    if home is not None:
        candidates.append(Path(home))
    elif os.environ.get("LPSPLAN_HOME"):
        candidates.append(Path(os.environ["LPSPLAN_HOME"]))
    else:
        package_dir = Path(__file__).resolve().parent
        candidates += [package_dir.parent, package_dir / "_share"]
    for candidate in candidates:
        if _looks_like_root(candidate):
            return ProjectPaths(candidate.resolve())
    tried = ", ".join(str(c) for c in candidates)
    from .errors import ConfigError

    raise ConfigError(f"cannot find lpsplan's ontology/ and data/ folders (looked in: {tried}); set LPSPLAN_HOME")


@dataclass(frozen=True)
class Settings:
    """Run-time settings.  Built by :meth:`from_env`; override with :meth:`with_`."""

    paths: ProjectPaths
    base_iri: str = DEFAULT_BASE_IRI
    build_dir: Path = field(default=Path("data/build"))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        paths = overrides.pop("paths", None) or project_paths(env.get("LPSPLAN_HOME"))
        base_iri = env.get("LPSPLAN_BASE_IRI", DEFAULT_BASE_IRI)
        build_dir = Path(env["LPSPLAN_BUILD_DIR"]) if env.get("LPSPLAN_BUILD_DIR") else paths.data / "build"
        settings = cls(paths=paths, base_iri=base_iri, build_dir=build_dir)
        return settings.with_(**overrides) if overrides else settings

    def __post_init__(self) -> None:
        if not self.base_iri.endswith(("/", "#")):
            from .errors import ConfigError

            raise ConfigError(f"base IRI must end with '/' or '#': {self.base_iri}")

    def with_(self, **changes) -> "Settings":
        changes = {k: v for k, v in changes.items() if v is not None}
        if "build_dir" in changes:
            changes["build_dir"] = Path(changes["build_dir"])
        return replace(self, **changes)

    @property
    def plan_graph_file(self) -> Path:
        return self.build_dir / "plan.ttl"

    def describe(self) -> dict[str, str]:
        """The settings as printable strings (for start-up banners and reports)."""
        return {
            "home": str(self.paths.root),
            "base_iri": self.base_iri,
            "build_dir": str(self.build_dir),
        }
