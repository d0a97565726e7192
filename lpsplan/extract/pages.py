"""What stored copies of government pages add to a plan's text and the plan never said.

Some mirror sites insert the pinyin of a character after it, in brackets: ``發(fā)展``,
``創(chuàng )新``, ``市經(jīng)貿(mào)委``.  Left in, the glosses lengthen title lines, split words and
stay inside unit names.  A gloss is a bracketed syllable with a tone mark right after a Chinese
character; ``(GDP)``, ``(一)`` or ``(2023年)`` are never one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..source import SourceText

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
GLOSS_RE = re.compile(rf"(?<=[\u3400-\u9fff])[((]\s?(?=[a-zü{TONED}]*[{TONED}])[a-zü{TONED}]{{1,7}}\s?[))]")


def without_glosses(text: str) -> tuple[str, int]:
    """The text without the pinyin glosses a page inserted, and how many there were."""
    return GLOSS_RE.subn("", text)


def cleaned(source: SourceText) -> tuple[SourceText, int]:
    """The source with its pinyin glosses taken out (its file's sha256 kept: it names the file read)."""
    text, n = without_glosses(source.text)
    return (replace(source, text=text), n) if n else (source, 0)
