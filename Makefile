# The two commands of the README: `make run` and `make test`. Both install first.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test system-deps lint typecheck pytest pytest-postgres clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

run: install
	$(BIN)/observatoire demo

# Django's checks with the production settings (a throwaway secret, an in-memory database):
# `check --deploy` must print no warning, and the models need no migration that is not written.
DJANGO_PRODUCTION := DJANGO_SETTINGS_MODULE=observatoire.platform.settings.production \
	DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite://:memory:

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(DJANGO_PRODUCTION) DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(DJANGO_PRODUCTION) DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(BIN)/python manage.py makemigrations --check --dry-run

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n 2 --dist loadgroup

# The platform's tests again, on a throwaway PostgreSQL server that the script starts and stops.
pytest-postgres: install
	scripts/with-postgres.sh $(BIN)/pytest -n 2 --dist loadgroup -m "not sqlite_only" tests/platform

# Chromium and PostgreSQL must be there, or every browser and PostgreSQL test would not run:
# installed when missing (as root or with sudo), else one sentence says how.
system-deps:
	scripts/install-system-deps.sh

test: system-deps lint typecheck pytest pytest-postgres

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
