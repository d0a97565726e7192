"""The embedded store's snapshot and its on-disk mirrors: which one is current, and how a
reader finds (or the writer writes) the read-only copy it opens in milliseconds.

The snapshot (``<build>/store.nq``, N-Quads) is the durable state: the plan graph and every
committed update.  :func:`snapshot_is_current` is the one freshness check — the service,
the writer and the cold reader all decide with it whether to read the snapshot or to start
again from the built plan graph.  A mirror (``store-<identity>.db``, RocksDB) is derived from
exactly one snapshot file and marked finished last, so a reader never takes a partial or a
stale one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox

MIRROR_PREFIX = "store-"  # store-<snapshot identity>.db: the snapshot as an on-disk (RocksDB) store
MIRROR_DONE = "COMPLETE"  # written last into a mirror's folder, holding the identity it mirrors


def snapshot_is_current(settings) -> bool:
    """The last run's snapshot holds the plan graph and every committed update since."""
    plan, snapshot = settings.plan_graph_file, settings.snapshot_file
    return plan.is_file() and snapshot.is_file() and snapshot.stat().st_mtime >= plan.stat().st_mtime


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

    It opens in milliseconds where parsing the N-Quads takes seconds at a million quads.  Only
    the process that holds the store's lock writes one; older mirrors but the previous are removed."""
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
    for stale in build_dir.glob(f".{MIRROR_PREFIX}*.db.*"):
        shutil.rmtree(stale, ignore_errors=True)
