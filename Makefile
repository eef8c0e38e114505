# Two commands for a newcomer: `make run` (install, build, validate, serve) and `make test` (install, run every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Debian packages the tests need (set here, before the rules that name them: prerequisites expand as they are read)
CHROMIUM ?= /usr/bin/chromium
VIRTUOSO ?= /usr/bin/virtuoso-t

.PHONY: run test install lint clean bench bench-stores

run: install
	$(BIN)/partnergraph build
	$(BIN)/partnergraph serve --host $(HOST) --port $(PORT)

test: install $(CHROMIUM) $(VIRTUOSO) tests/clients/node_modules/.installed
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Our service against Oxigraph's own server, in memory, on synthetic graphs (bench/run.py --help for the options)
TRIPLES ?= 100000 1000000 5000000
bench: install $(VENV)/.bench-installed
	$(BIN)/python bench/run.py $(foreach n,$(TRIPLES),--triples $(n)) --answer-cache-mb 64 --answer-cache-mb 0 \
		--seconds $(or $(SECONDS),5)
	$(BIN)/python bench/profile.py --triples 100000

# The service in front of Oxigraph's server and Virtuoso, against each engine's own server (docs/scaling.md)
bench-stores: install $(VENV)/.bench-installed $(VIRTUOSO)
	$(BIN)/python bench/stores.py --triples 1000000 --triples 5000000 --seconds 5

$(VENV)/.bench-installed: pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

lint: install
	$(BIN)/ruff check service tests bench
	$(BIN)/mypy

VENDOR := service/partnergraph/web/static/vendor
install: $(VENV)/.installed $(VENDOR)/.copied

# Debian's chromium for the browser tests (Playwright drives it; no browser is downloaded)
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "install Debian's chromium package to run the browser tests" >&2; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Virtuoso 7.2 for the tests against a real SPARQL store (they start it as a plain process with an ini of their own);
# only the -bin and -common packages: the metapackage would ask for a dba password
$(VIRTUOSO):
	@command -v apt-get >/dev/null || { echo "install Debian's virtuoso-opensource-7-bin to run the store tests" >&2; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		virtuoso-opensource-7-bin virtuoso-opensource-7-common

# YASGUI and Cytoscape.js from the npm registry, bundled with the package (nothing is loaded from a CDN at run time);
# axe-core, a devDependency, stays in node_modules for the browser tests
$(VENDOR)/.copied: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/yasgui $(VENDOR)/cytoscape
	cp frontend/node_modules/@zazuko/yasgui/build/yasgui.min.js frontend/node_modules/@zazuko/yasgui/build/yasgui.min.css $(VENDOR)/yasgui/
	cp frontend/node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape/
	touch $@

# SPARQL clients nobody here wrote (Comunica), for tests/test_clients.py only
tests/clients/node_modules/.installed: tests/clients/package.json tests/clients/package-lock.json
	cd tests/clients && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) build frontend/node_modules tests/clients/node_modules $(VENDOR)
