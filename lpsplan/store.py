"""The embedded store: Oxigraph (pyoxigraph) holding the plan graph.

SPARQL goes to Oxigraph as a string.  (A prepared rdflib ``Query`` object would
fall back to rdflib's own engine, which measured ~130× slower on the
co-ownership aggregate at 0.76 M triples.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from .errors import LpsplanError
from .sparql.rows import CONVERT, Rows

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class StoreError(LpsplanError):
    """A query or load the store refused."""


_NUMERIC_TYPES = {ox.NamedNode(iri): convert for iri, convert in CONVERT.items()}


def python_value(term) -> object:
    """An Oxigraph term as a plain Python value: IRIs and strings as str, numbers as numbers.
    (Called for every value of every row: the datatype is looked up as a node, not as a new string.)"""
    if type(term) is ox.Literal:
        convert = _NUMERIC_TYPES.get(term.datatype)
        if convert:
            try:
                return convert(term.value)
            except (ValueError, ArithmeticError):
                return term.value
        return term.value
    return None if term is None else term.value


class Store:
    """A thin wrapper over ``pyoxigraph.Store`` that speaks plain Python values."""

    def __init__(self, store: ox.Store):
        self.ox = store

    @classmethod
    def memory(cls) -> Store:
        return cls(ox.Store())

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Store:
        return cls(ox.Store(str(path)))

    def __len__(self) -> int:
        return len(self.ox)

    def __bool__(self) -> bool:  # a store is a store, empty or not; `store or …` must not count its quads (seconds at a million)
        return True

    def load(self, data: bytes | str, format: str = "turtle", graph: str | None = None, base_iri: str | None = None) -> None:
        """Load RDF in one transaction: all of it or, on a syntax error, none of it."""
        try:
            self.ox.load(
                data, format=FORMATS[format], base_iri=base_iri, to_graph=ox.NamedNode(graph) if graph else None
            )
        except SyntaxError as exc:
            raise StoreError(f"cannot load the data: {exc}") from None

    def load_file(self, path: str | os.PathLike[str], graph: str | None = None) -> None:
        p = Path(path)
        fmt = p.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise StoreError(f"{p}: unknown RDF format {p.suffix!r}")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise StoreError(f"{p}: {exc.strerror}") from None
        try:
            self.load(data, fmt, graph)
        except StoreError as exc:
            raise StoreError(f"{p}: {exc}") from None

    def query(self, sparql: str, **options):
        """Run a SPARQL query string; the raw pyoxigraph result."""
        try:
            return self.ox.query(sparql, **options)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from None

    def select(self, sparql: str, **options) -> Rows:
        """A SELECT query's rows as dicts of plain values (unbound variables are None), typed as
        :meth:`lpsplan.sparql.backend.Backend.select` types a server's answer."""
        result = self.query(sparql, **options)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        return Rows([dict(zip(names, map(python_value, row), strict=True)) for row in result], names)

    def ask(self, sparql: str, **options) -> bool:
        result = self.query(sparql, **options)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("ask() needs an ASK query")
        return bool(result)


def require_built(settings) -> None:
    """Reading needs a built plan graph (the service builds it; a reader says how)."""
    if not settings.plan_graph_file.is_file():
        raise StoreError(f"{settings.plan_graph_file}: no built graph; run `lpsplan build` first")


MIRROR_PREFIX = "store-"  # store-<snapshot identity>.db: the snapshot as an on-disk (RocksDB) store
MIRROR_DONE = "COMPLETE"  # written last into a mirror's folder, holding the identity it mirrors


def snapshot_identity(stat: os.stat_result) -> str:
    """Which snapshot file this is: every snapshot is a new file (written aside, then renamed)."""
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


def mirror_of(snapshot: Path) -> Path | None:
    """The finished on-disk mirror of exactly this snapshot file, if one has been written."""
    try:
        ident = snapshot_identity(snapshot.stat())
    except OSError:
        return None
    folder = snapshot.parent / f"{MIRROR_PREFIX}{ident}.db"
    try:
        stamp = (folder / MIRROR_DONE).read_text().split()
    except OSError:
        return None
    return folder if len(stamp) == 2 and stamp[0] == ident and stamp[1].isdigit() else None


def mirror_size(folder: Path) -> int | None:
    """The number of quads in a finished mirror, as counted when it was written (counting a
    store walks every quad: seconds at a million)."""
    try:
        return int((folder / MIRROR_DONE).read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None


def write_mirror(snapshot: Path) -> Path:
    """Write the snapshot as an on-disk Oxigraph (RocksDB) store beside it and return its folder.

    The snapshot (N-Quads) stays the durable state; the mirror is derived from one snapshot file,
    named after it and marked finished last, so a reader never takes a partial or stale one — it
    opens in milliseconds where parsing the N-Quads takes seconds at a million quads.  Only the
    process that holds the store's lock writes one; older mirrors but the previous are removed."""
    import shutil

    with open(snapshot, "rb") as fh:  # the identity and the content of one and the same file
        ident = snapshot_identity(os.fstat(fh.fileno()))
        final = snapshot.parent / f"{MIRROR_PREFIX}{ident}.db"
        if (final / MIRROR_DONE).is_file():
            return final
        tmp = snapshot.parent / f".{MIRROR_PREFIX}{ident}.db.{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        disk = ox.Store(str(tmp))
        disk.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
        disk.flush()
        size = len(disk)
        del disk  # closed: RocksDB releases its lock on the folder
    (tmp / MIRROR_DONE).write_text(f"{ident} {size}")
    os.replace(tmp, final)
    mirrors = sorted((m for m in snapshot.parent.glob(f"{MIRROR_PREFIX}*.db") if m != final), key=lambda m: m.stat().st_mtime)
    for old in mirrors[:-1]:  # the previous one stays: a query worker may still be reading it
        shutil.rmtree(old, ignore_errors=True)
    return final


def remove_stale_mirrors(build_dir: Path) -> None:
    """Mirrors a killed writer did not finish (called by the store's lock holder)."""
    import shutil

    for stale in build_dir.glob(f".{MIRROR_PREFIX}*.db.*"):
        shutil.rmtree(stale, ignore_errors=True)


def open_plan_store(settings) -> Store:
    """The embedded store read in this process, without the writer's lock (so it can be read while
    `lpsplan serve` runs): the service's snapshot when it is current, else the plan graph, the
    ontology and the curated observations — decided by the service's own freshness check.
    Libraries and the CLI read through :class:`lpsplan.project.Project`; this is its embedded reader."""
    from .sparql.open import load_embedded_store, snapshot_is_current

    require_built(settings)
    if snapshot_is_current(settings):
        mirror = mirror_of(settings.snapshot_file)  # read-only, no parsing: a cold query at a million quads
        if mirror is not None:
            try:
                return Store(ox.Store.read_only(str(mirror)))
            except OSError:  # removed meanwhile by the writer: read the snapshot
                pass
    store, _ = load_embedded_store(settings, writing=False)
    return Store(store)
