# lpsplan — two commands on a fresh machine:
#   make run    set up, build and validate the plan graph (and, once the service exists, serve it)
#   make test   set up and run the test suite
# Everything is installed into .venv from PyPI by the commands themselves.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup build validate run test bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

setup: $(STAMP)

build: setup
	$(BIN)/lpsplan build

validate: build
	$(BIN)/lpsplan validate

run: validate
	@echo "The graph is in data/build/plan.ttl.  Ask it a question, e.g.:"
	@echo "  $(BIN)/lpsplan query --sparql 'PREFIX lps: <https://w3id.org/lpsplan/ontology#> SELECT (COUNT(*) AS ?clauses) { ?c a lps:Clause }'"

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/build_time.py

clean:
	rm -rf data/build bench/out .pytest_cache .hypothesis
