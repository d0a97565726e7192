"""Chinese word segmentation (jieba), created on first use and shared.

The tokenizer is jieba's own dictionary with HMM guessing off, so results are
deterministic and depend on the installed jieba version only.

jieba loads its whole prefix dictionary (498,113 entries) before cutting a
single sentence: 0.75–1.4 s per process here, most of a cold `lpsplan build`.
Cutting with HMM off only looks words up, so the same dictionary is kept in an
SQLite file (built once from jieba's, beside jieba's own cache) and looked up as
needed: the plan's text takes ~4,700 lookups, 0.09 s, and cuts exactly as before
(tests/test_build.py compares both).  Without a usable cache file jieba's own
loading is used.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import threading
from functools import lru_cache
from pathlib import Path


class Lookup:
    """jieba's prefix dictionary (word → frequency; prefixes of words with 0), read from SQLite
    as jieba asks: supports the ``in``, ``[]`` and ``get`` that jieba's cutting uses."""

    def __init__(self, path: Path):
        self.path = path
        self._seen: dict[str, int | None] = {}
        self._local = threading.local()
        self.total = int(self._execute("SELECT total FROM meta").fetchone()[0])

    def _execute(self, sql: str, args: tuple = ()):
        con = getattr(self._local, "con", None)
        if con is None or self._local.pid != os.getpid():  # one connection per thread, never across a fork
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._local.con, self._local.pid = con, os.getpid()
        return con.execute(sql, args)

    def get(self, word: str, default=None):
        try:
            found = self._seen[word]
        except KeyError:
            row = self._execute("SELECT n FROM words WHERE w = ?", (word,)).fetchone()
            found = self._seen[word] = row[0] if row else None
        return default if found is None else found

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __setitem__(self, word: str, freq: int) -> None:  # jieba's add_word: kept here, never written to the file
        self._seen[word] = freq


def _cache_file(jieba) -> Path:
    import hashlib

    dictionary = Path(jieba.__file__).parent / "dict.txt"
    stat = dictionary.stat()
    key = hashlib.sha256(f"{jieba.__version__}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"lpsplan-jieba-{key}.sqlite"


def _build_cache(path: Path) -> None:
    """Write jieba's prefix dictionary to ``path`` (atomically: a reader sees a whole file or none)."""
    import jieba

    full = jieba.Tokenizer()
    full.initialize()
    fd, tmp = tempfile.mkstemp(prefix=".lpsplan-jieba-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.execute("CREATE TABLE words (w TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
        con.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
        con.executemany("INSERT INTO words VALUES (?, ?)", full.FREQ.items())
        con.execute("INSERT INTO meta VALUES (?)", (full.total,))
        con.commit()
        con.close()
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


@lru_cache(maxsize=1)
def tokenizer():
    """The shared tokenizer (do not add words to it: use :func:`new_tokenizer`)."""
    return new_tokenizer()


def new_tokenizer():
    """A jieba tokenizer of its own (``add_word`` changes this one only)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    try:
        path = _cache_file(jieba)
        if not path.is_file():
            _build_cache(path)
        lookup = Lookup(path)
    except (OSError, sqlite3.Error):  # no writable temp folder, a damaged file: jieba's own way
        tk.initialize()
        return tk
    tk.FREQ, tk.total, tk.initialized = lookup, lookup.total, True
    return tk


def words(text: str) -> list[str]:
    """The words of ``text`` in order (punctuation included as single tokens)."""
    return tokenizer().lcut(text, HMM=False)


def frequency(word: str) -> int:
    """How often jieba's dictionary counts ``word`` (0 when it is no word of the dictionary)."""
    return int(tokenizer().FREQ.get(word) or 0)
