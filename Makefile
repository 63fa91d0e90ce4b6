# Two commands set everything up: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: install run test lint bench postgres chromium clean clean-data

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

## Install, migrate, create a key and a sandbox integration (first run), then serve on :8000.
run: install
	$(VENV)/bin/atsbridge quickstart
	$(VENV)/bin/atsbridge serve

## The whole suite, on SQLite and PostgreSQL (started if it is down), plus lint and types.
test: install postgres chromium lint
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

postgres:
	@scripts/ensure-postgres.sh

## The browser the end-to-end tests drive (Debian's chromium package; installed when missing).
chromium:
	@scripts/ensure-chromium.sh

bench: install postgres
	$(PY) bench/read_api.py

## The virtualenv and caches (and a database older versions left here). Your data is kept: see clean-data.
clean:
	rm -rf $(VENV) atsbridge.db atsbridge.db-wal atsbridge.db-shm .pytest_cache .mypy_cache .ruff_cache

## Delete the data directory (`atsbridge info` shows it): the next `make run` starts from scratch.
clean-data: install
	@dir="$$($(VENV)/bin/atsbridge info --data-dir)" && test -n "$$dir" && rm -rf "$$dir" && echo "deleted $$dir"
