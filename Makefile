# Shian (食安). Quick start: `make run` (set up, migrate, load the demo, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format messages check clean

$(BIN)/shian: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Shian needs Python 3.11 or newer (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

## run: create .venv, install, migrate, load the demo (idempotent), serve on http://127.0.0.1:8000
run: $(BIN)/shian
	SHIAN_DEBUG=true $(BIN)/shian migrate --noinput -v0
	SHIAN_DEBUG=true $(BIN)/shian demo
	SHIAN_DEBUG=true $(BIN)/shian serve --bind $(HOST)

## test: the whole suite; SQLite by default, PostgreSQL when SHIAN_DATABASE_URL is set
test: $(BIN)/shian
	$(BIN)/pytest

lint: $(BIN)/shian
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/shian
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(BIN)/shian
	SHIAN_DEBUG=true $(BIN)/shian check
	SHIAN_DEBUG=true $(BIN)/shian makemigrations --check --dry-run

## messages: refresh the zh-Hans catalogue and compile it (needs GNU gettext)
messages: $(BIN)/shian
	cd shian && SHIAN_DEBUG=true ../$(BIN)/shian makemessages -l zh_Hans --no-obsolete --ignore 'static/vendor/*' --ignore 'tests/*'
	cd shian && SHIAN_DEBUG=true ../$(BIN)/shian compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) test-output .pytest_cache .ruff_cache
