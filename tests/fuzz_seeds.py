"""The inputs the coverage-guided fuzzing (tests/fuzz_extract.py) starts from, written to a directory.

    .venv/bin/python tests/fuzz_seeds.py CORPUS_DIR [--dev]

Always the mini plan in UTF-8 and in GB18030 and a line of the genre's tokens (what
``test_coverage_guided_fuzzing_with_atheris`` starts from); with ``--dev`` also the real texts of
the dev split (tests/data/real, manifest.yaml), whose layouts — tables one cell a line, ``|`` rows,
headers of unit columns — reach the table readers far more than the mini plan does (``make fuzz``).
Written examples and dev texts only: the test split is never read here.
"""

from __future__ import annotations

import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
# the genre's tokens: numerals, brackets, separators and the words of annotations
GENRE = list("一二三四五六十、()()〔〕[]:,;。——\n 责任单位市局政府年%个家达以上") + ["责任单位:", "(一)", "三、", "——", "\n"]


def dev_texts() -> list[Path]:
    """The real texts of the dev split, in the manifest's order."""
    import yaml

    manifest = yaml.safe_load((DATA / "real" / "manifest.yaml").read_text(encoding="utf-8"))
    paths = [DATA / "real" / f"{d['id']}.txt" for d in manifest["documents"] if d["split"] == "dev"]
    return [p for p in paths if p.exists()]


def write_seeds(directory: Path, dev: bool = False) -> int:
    """Write the seed inputs into ``directory`` (which must exist); returns how many."""
    mini = (DATA / "mini-plan.txt").read_text(encoding="utf-8")
    seeds = {"mini-utf8.txt": mini.encode("utf-8"), "mini-gb18030.txt": mini.encode("gb18030"),
             "genre.txt": "".join(GENRE).encode("utf-8")}
    if dev:
        for path in dev_texts():
            text = path.read_text(encoding="utf-8")
            seeds[f"dev-{path.stem}.txt"] = text.encode("utf-8")
            seeds[f"dev-{path.stem}-gb18030.txt"] = text.encode("gb18030")  # GB18030 codes every character
    for name, data in seeds.items():
        (directory / name).write_bytes(data)
    return len(seeds)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--dev"):
        sys.exit("usage: fuzz_seeds.py CORPUS_DIR [--dev]")
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    print(f"{write_seeds(target, dev=len(sys.argv) == 3)} seed inputs in {target}")
