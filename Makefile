# quotes: make run | make test | make smoke-python | make docker-test | make bench | make load | make attack
#
# Everything installs into .venv on first use. The install is redone only
# when pyproject.toml changes (the stamp files below record the last one).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)

# Stamps live inside the venv: removing .venv forgets them too.
INSTALLED      := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

.PHONY: help install run test lint lint-openapi smoke-python docker-test bench bench-spark load attack openapi docs clean distclean docker-clean

help:
	@echo "make run          install into $(VENV) and serve on 127.0.0.1:8000 (gunicorn)"
	@echo "make test         install with the test extras and run pytest"
	@echo "make lint         ruff (style, import order) and import-linter (imports point one way)"
	@echo "make lint-openapi lint openapi.yaml with Redocly and Spectral (pinned, installed with npm ci)"
	@echo "make smoke-python pip install . on Python $(SMOKE_PYTHONS) and smoke-test each (seeds, CLI, serve)"
	@echo "make docker-test  lint the Dockerfile, build the image and smoke-test it (root, Debian)"
	@echo "make bench        speed, memory and throughput ratios, with their targets (minutes)"
	@echo "make bench-spark  the Spark job on local[1] and local[2] against extract --jsonl (minutes)"
	@echo "make load         load test: concurrent clients, one gunicorn worker killed mid-run"
	@echo "make attack       slow clients, costly requests, memory, keys and shutdown, against gunicorn"
	@echo "make openapi      regenerate openapi.yaml from the schemas"
	@echo "make docs         regenerate the settings table of docs/configuration.md from service/settings.py"
	@echo "make clean        remove caches and build leftovers; distclean also removes $(VENV)"

$(PY):
	@test -n "$(PYTHON)" || { echo "python3.11 (or python3) not found" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install -e .
	@touch $@

# The test install is a superset of the plain one, so it satisfies both stamps. It brings the
# Spark extra too: tests/test_spark.py runs the Spark job on a local master (Java 17 on PATH).
$(TEST_INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test,spark]'
	@touch $@ $(INSTALLED)

install: $(INSTALLED)

run: $(INSTALLED)
	exec $(VENV)/bin/gunicorn --config python:service.gunicorn_conf 'service:create_app()'

test: $(TEST_INSTALLED) lint lint-openapi
	bash scripts/install-browser.sh
	$(PY) -m pytest $(PYTEST_ARGS)

# Style and import order (ruff), and imports that point one way between layers (import-linter).
lint: $(TEST_INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# The linters, pinned with their dependencies in package-lock.json, live in $(LINT)/node_modules.
LINT           := scripts/openapi-lint
LINT_INSTALLED := $(LINT)/node_modules/.installed
LINT_ENV       := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

$(LINT_INSTALLED): $(LINT)/package.json $(LINT)/package-lock.json
	npm ci --prefix $(LINT) --ignore-scripts --no-audit --no-fund
	@touch $@

lint-openapi: $(LINT_INSTALLED)
	$(LINT_ENV) $(LINT)/node_modules/.bin/redocly lint --config $(LINT)/redocly.yaml openapi.yaml
	$(LINT)/node_modules/.bin/spectral lint --ruleset $(LINT)/spectral.yaml --fail-severity warn openapi.yaml

# The full suite runs on $(PYTHON); these get a wheel install and a smoke test each.
SMOKE_PYTHONS ?= 3.12 3.13

smoke-python:
	for version in $(SMOKE_PYTHONS); do bash scripts/smoke-python.sh $$version || exit 1; done

docker-test:
	bash scripts/docker-test.sh

bench: $(INSTALLED)
	$(PY) -m bench $(BENCH_ARGS)

bench-spark: $(TEST_INSTALLED)
	$(PY) -m bench.spark $(BENCH_ARGS)

load: $(INSTALLED)
	$(PY) -m bench.load $(LOAD_ARGS)

attack: $(INSTALLED)
	$(PY) -m bench.attack $(ATTACK_ARGS)

openapi: $(INSTALLED)
	$(PY) -m service.contract.openapi > openapi.yaml.tmp
	mv openapi.yaml.tmp openapi.yaml

docs: $(INSTALLED)
	$(PY) -m service.settings --write docs/configuration.md

clean:
	rm -rf build dist *.egg-info .pytest_cache .hypothesis openapi.yaml.tmp
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(LINT)/node_modules

docker-clean:
	bash scripts/docker-test.sh --clean
