"""The curated registries in ``data/registry/``: responsible units per jurisdiction,
and English labels for headings."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import SLUG_RE
from .errors import ConfigError

UNIT_TYPES = (
    "governmentDepartment", "partyOrgan", "peoplesOrganisation", "centralBankBranch", "financialRegulator",
    "zoneManagementCommittee", "countyLevelGovernment", "municipalGovernment", "partyCommittee",
)
ID_RE = SLUG_RE
_FOLD = str.maketrans({"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")"})


def read_yaml(path: Path):
    """A registry file's parsed YAML, read once per version of the file: ingesting a corpus
    builds hundreds of plans against the same registries.  Callers must not mutate it."""
    stat = path.stat()
    return _read_yaml(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _read_yaml(path: str, mtime_ns: int, size: int):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10× faster
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader either way


def fold(name: str) -> str:
    """The form names are compared in: simplified characters, NFKC (full-width → half-width),
    one kind of bracket, no spaces."""
    from .extract.traditional import simplified

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", simplified(name)).translate(_FOLD))


@dataclass(frozen=True)
class Unit:
    id: str
    zh: str
    en: str
    written: tuple[str, ...]
    type: str
    parent: str | None = None


@dataclass(frozen=True)
class Group:
    id: str
    zh: str
    en: str
    written: tuple[str, ...]
    type: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    id: str
    year: int
    original: tuple[str, ...]
    resulting: tuple[str, ...]
    zh: str
    en: str


@dataclass
class Registry:
    jurisdiction: str
    jurisdiction_zh: str
    jurisdiction_en: str
    units: dict[str, Unit]
    groups: dict[str, Group]
    changes: list[Change]
    _index: dict[str, Unit | Group] = field(default_factory=dict, repr=False)
    # the administrative division (lpsplan.divisions.Division) an unregistered unit's short name is
    # completed with (市科技局 → 滕州市科学技术局); None keeps written names as they are
    division: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for entry in [*self.units.values(), *self.groups.values()]:
            for name in (entry.zh, *entry.written):
                self._index.setdefault(fold(name), entry)

    def resolve(self, written: str) -> Unit | Group | None:
        """The unit or group a written name stands for, or None if it is not registered."""
        return self._index.get(fold(written))

    @classmethod
    def empty(cls, jurisdiction: str, division=None) -> Registry:
        """A jurisdiction with no curated units yet: every unit is created and flagged unregistered
        (named in full within ``division`` when one is given)."""
        if not ID_RE.match(jurisdiction):
            raise ConfigError(f"jurisdiction {jurisdiction!r} is not a lowercase slug")
        zh = division.name if division is not None else jurisdiction
        return cls(jurisdiction, zh, jurisdiction, {}, {}, [], division=division)

    @classmethod
    def load(cls, path: str | Path) -> Registry:
        path = Path(path)
        try:
            doc = read_yaml(path)
        except FileNotFoundError:
            raise ConfigError(f"{path}: unit registry not found") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}".splitlines()[0]) from None
        return _parse(doc, str(path))


def _parse(doc, where: str) -> Registry:
    def fail(msg: str):
        raise ConfigError(f"{where}: {msg}")

    if not isinstance(doc, dict) or not isinstance(doc.get("jurisdiction"), dict):
        fail("expected a mapping with 'jurisdiction', 'units', 'groups' and 'changes'")
    j = doc["jurisdiction"]
    units: dict[str, Unit] = {}
    for raw in doc.get("units") or []:
        unit = Unit(
            id=_req(raw, "id", fail), zh=_req(raw, "zh", fail), en=_req(raw, "en", fail),
            written=tuple(raw.get("written") or ()), type=_req(raw, "type", fail), parent=raw.get("parent"),
        )
        if unit.id in units:
            fail(f"unit id {unit.id!r} is used twice")
        units[unit.id] = unit
    groups: dict[str, Group] = {}
    for raw in doc.get("groups") or []:
        group = Group(
            id=_req(raw, "id", fail), zh=_req(raw, "zh", fail), en=_req(raw, "en", fail),
            written=tuple(raw.get("written") or ()), type=_req(raw, "type", fail), members=tuple(raw.get("members") or ()),
        )
        groups[group.id] = group
    changes = [
        Change(_req(r, "id", fail), int(_req(r, "year", fail)), tuple(r.get("original") or ()), tuple(r.get("resulting") or ()),
               _req(r, "zh", fail), _req(r, "en", fail))
        for r in doc.get("changes") or []
    ]
    for entry in [*units.values(), *groups.values()]:
        if not ID_RE.match(entry.id):
            fail(f"id {entry.id!r} is not a lowercase slug")
        if entry.type not in UNIT_TYPES:
            fail(f"{entry.id}: unknown type {entry.type!r} (one of: {', '.join(UNIT_TYPES)})")
    for unit in units.values():
        if unit.parent and unit.parent not in units:
            fail(f"{unit.id}: parent {unit.parent!r} is not a registered unit")
    for group in groups.values():
        for member in group.members:
            if member not in units:
                fail(f"group {group.id}: member {member!r} is not a registered unit")
    for change in changes:
        for uid in change.original + change.resulting:
            if uid not in units:
                fail(f"change {change.id}: {uid!r} is not a registered unit")
    seen: dict[str, str] = {}
    for entry in [*units.values(), *groups.values()]:
        for name in (entry.zh, *entry.written):
            other = seen.setdefault(fold(name), entry.id)
            if other != entry.id:
                fail(f"the name {name!r} is given to both {other} and {entry.id}")
    return Registry(str(_req(j, "id", fail)), _req(j, "zh", fail), _req(j, "en", fail), units, groups, changes)


def _req(raw, key, fail):
    if not isinstance(raw, dict) or raw.get(key) in (None, ""):
        fail(f"an entry lacks {key!r}: {raw!r}")
    return raw[key]


def load_labels(path: str | Path) -> dict[str, str]:
    """The zh → en heading labels."""
    path = Path(path)
    try:
        doc = read_yaml(path) or {}
    except FileNotFoundError:
        return {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}".splitlines()[0]) from None
    if not isinstance(doc, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in doc.items()):
        raise ConfigError(f"{path}: expected 'Chinese heading: English label' lines")
    return {fold(k): v for k, v in doc.items()}
