# Kefu: two commands.  `make run` starts everything; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_LINK_MODE := copy

.PHONY: run test install lint typecheck format messages e2e bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install -q "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced

run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py demo --if-empty
	$(PY) manage.py serve

test: install
	$(PY) -m pytest

e2e: install
	$(PY) -m pytest tests/e2e --override-ini="addopts=-q -p no:cacheprovider"

# What users get, on SQLite and PostgreSQL: pages, their SQL alone, exports, creates; one table.
# BENCH_ROWS=20000 by default (a few minutes); BENCH_ROWS=1000000 for the full run.
bench: install
	$(PY) -m tests.bench.run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Types: core, workflow, timeline, api and every services.py (the list is in pyproject.toml).
typecheck: install
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Rebuild the translation catalogues of every app (needs GNU gettext), then fill the zh_Hans msgstr.
messages: install
	scripts/messages.sh

clean:
	rm -rf $(VENV) .tools var/static
