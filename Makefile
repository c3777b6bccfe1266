# The two commands of the README: `make run` and `make test`. Both install first.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test lint typecheck pytest pytest-postgres bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

run: install
	$(BIN)/observatoire demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n 2 --dist loadgroup

# The platform's tests again, on a throwaway PostgreSQL server that the script starts and stops.
pytest-postgres: install
	scripts/with-postgres.sh $(BIN)/pytest -n 2 --dist loadgroup -m "not sqlite_only" tests/platform

test: lint typecheck pytest pytest-postgres

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
