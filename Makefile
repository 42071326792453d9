# Mutualis — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed
# every core (pytest-xdist; tests sharing a platform stay on one worker: tests/conftest.py)
PYTEST_ARGS ?= -n auto --durations=15

.PHONY: run test lint typecheck pytest lock clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || python3 -m venv --without-pip $(VENV)
	@test -x $(UV) || python3 -m pip --python $(PY) install --quiet --disable-pip-version-check uv
	$(UV) pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	$(UV) pip install --quiet --compile-bytecode --python $(PY) --no-deps -e .
	@touch $(STAMP)

run: $(STAMP)  ## set up and run the whole platform on SQLite files under var/
	@$(PY) -m mutualis run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP)
	@scripts/ensure-postgres
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint typecheck pytest  ## set up and run the whole test suite (SQLite and PostgreSQL)

lock:  ## re-resolve requirements.lock after editing pyproject.toml
	$(UV) pip compile --quiet --extra dev pyproject.toml -o requirements.lock

clean:
	rm -rf var/*.sqlite3* var/run
