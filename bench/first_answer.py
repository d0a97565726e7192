"""From a fresh clone to the first answer: how long `make run` takes on a new machine.

    .venv/bin/python bench/first_answer.py [--port 8799]

Clones this repository (its committed HEAD) into a temporary folder, runs `make run`
there with pip's cache off and an empty npm cache (so every package is downloaded,
as on a new machine), and times until `GET /api/queries/unit-load?format=rows`
answers.  Reports the seconds and the sizes of .venv and api/ui/node_modules, and
writes bench/out/first_answer.json.  Needs the network to PyPI and npm.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lpsplan-first-"))
    clone = work / "lpsplan"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {**os.environ, "PIP_NO_CACHE_DIR": "1", "npm_config_cache": str(work / "npm-cache"), "LPSPLAN_PORT": str(args.port)}
    env.pop("VIRTUAL_ENV", None)
    started = time.monotonic()
    log = (work / "make-run.log").open("w")
    proc = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{args.port}/api/queries/unit-load?format=rows"
    try:
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"make run exited with {proc.returncode}; see {work / 'make-run.log'}")
            if time.monotonic() - started > args.timeout:
                raise SystemExit(f"no answer after {args.timeout:.0f} s; see {work / 'make-run.log'}")
            try:
                r = httpx.get(url, timeout=2)
                if r.status_code == 200 and len(r.json()) > 0:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        seconds = time.monotonic() - started
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    result = {"seconds_to_first_answer": round(seconds, 1), "venv_mb": round(size(clone / ".venv") / 2**20),
              "node_modules_mb": round(size(clone / "api" / "ui" / "node_modules") / 2**20), "cpus": os.cpu_count()}
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "first_answer.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
