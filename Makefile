# The two quick-start commands live here: `make run` and `make test`.
# Each does all of its own set-up, so either works on a fresh clone.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
DATABASE ?= build/plangraph.lbdb

.PHONY: run test install install-test explorer-assets provision lint format clean

## run: set up, build the graph from data/plans/ and serve the API on the embedded store
run: install
	$(BIN)/plangraph build --db $(DATABASE)
	$(BIN)/plangraph serve --db $(DATABASE) --host $(HOST) --port $(PORT)

## test: set up, provision Neo4j and Chromium, lint, type-check, run the whole suite
test: install-test provision
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python explorer-assets
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python explorer-assets
	$(BIN)/pip install --quiet -e '.[test]'

## explorer-assets: the explore page's graph-drawing library (cytoscape), pinned by the lockfile
explorer-assets: api/static/node_modules/.package-lock.json

api/static/node_modules/.package-lock.json: api/static/package.json api/static/package-lock.json
	npm ci --prefix api/static --no-audit --no-fund --loglevel=error

## provision: Debian's Chromium and a local Neo4j assembled from Maven Central (idempotent)
provision:
	bash scripts/install-chromium
	bash scripts/neo4j-local provision

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache api/static/node_modules
