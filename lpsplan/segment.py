"""Chinese word segmentation (jieba), created on first use and shared.

The tokenizer is jieba's own dictionary with HMM guessing off, so results are
deterministic and depend on the installed jieba version only.
"""

from __future__ import annotations

import logging
from functools import lru_cache


@lru_cache(maxsize=1)
def tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    return tk


def words(text: str) -> list[str]:
    """The words of ``text`` in order (punctuation included as single tokens)."""
    return tokenizer().lcut(text, HMM=False)
