# Two commands set everything up: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
## The suite mostly waits on live fakes and databases, so a few workers finish it far sooner on 2 cores.
TEST_WORKERS ?= 3

.PHONY: install lock run test lint bench postgres chromium clean clean-data

install: $(VENV)/.installed

# requirements.lock pins every package to the versions the suite last passed with (reproducible installs);
# pyproject.toml only states compatible ranges. `make lock` refreshes the pins.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

## Re-resolve the dependencies within pyproject.toml's ranges, in a scratch venv, into requirements.lock.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install -q --upgrade pip
	.lock-venv/bin/python -m pip install -q '.[test]'
	{ echo "# Pinned versions for \`make install\` (pip install -c requirements.lock). Refresh: make lock."; \
	  .lock-venv/bin/python -m pip freeze --all --exclude atsbridge --exclude pip; } > requirements.lock
	rm -rf .lock-venv build

## Install, migrate, create a key and a sandbox integration (first run), then serve on :8000.
run: install
	$(VENV)/bin/atsbridge quickstart
	$(VENV)/bin/atsbridge serve

## The whole suite, on SQLite and PostgreSQL (started if it is down), plus lint and types.
test: install postgres chromium lint
	$(PY) -m pytest -n $(TEST_WORKERS)

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
	rm -rf $(VENV) .lock-venv atsbridge.db atsbridge.db-wal atsbridge.db-shm .pytest_cache .mypy_cache .ruff_cache

## Delete the data directory (`atsbridge info` shows it): the next `make run` starts from scratch.
clean-data: install
	@dir="$$($(VENV)/bin/atsbridge info --data-dir)" && test -n "$$dir" && rm -rf "$$dir" && echo "deleted $$dir"
