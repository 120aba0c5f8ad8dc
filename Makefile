# ALE Platform: `make run` to try it, `make test` to check it.
# DATABASE_URL=postgres://... switches both to PostgreSQL; SQLite otherwise.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev browser-deps lint bench load messages compilemessages clean

# Django 6 needs Python >= 3.12; the machine's python3 may be 3.11, and pip would then quietly install
# Django 5.2. Take python3.13/python3.12 from PATH, else pyenv's, else stop with a clear message.
define find_python
for cand in "$${PYTHON:-}" python3.13 python3.12 python3 \
    $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.1[23]*/bin/python3 2>/dev/null | sort -r); do \
  [ -n "$$cand" ] || continue; \
  if "$$cand" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    echo "$$cand"; exit 0; fi; \
done; exit 1
endef

$(PY):
	@py=$$($(find_python)) || { \
	  echo "ALE Platform needs Python 3.12 or newer (Django 6). Install python3.12 or python3.13," >&2; \
	  echo "or set PYTHON=/path/to/python3.12, then run make again." >&2; exit 1; }; \
	echo "Using $$py ($$("$$py" --version))"; \
	"$$py" -m venv $(VENV) && $(VENV)/bin/pip install -q --disable-pip-version-check uv

$(VENV)/.base-installed: requirements/base.txt | $(PY)
	$(UV) pip sync -q --python $(PY) requirements/base.txt
	@rm -f $(VENV)/.dev-installed; touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(PY)
	$(UV) pip sync -q --python $(PY) requirements/dev.txt
	@touch $(VENV)/.base-installed $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

node_modules/.installed: package-lock.json
	@command -v npm >/dev/null || .ci/system-deps
	npm ci --no-audit --no-fund --silent
	@touch $@

# Browser tests need Debian's chromium (Playwright cannot download its own browser here), the PDF tests
# poppler-utils and WeasyPrint's HarfBuzz subset library: .ci/system-deps installs whatever is missing.
browser-deps: node_modules/.installed
	@.ci/system-deps

# E-mail links point at the address the demo is served on (ALE_SITE_URL, unless set).
run: export ALE_SITE_URL ?= http://$(HOST):$(PORT)
run: install compilemessages
	DJANGO_DEBUG=1 ALE_DEMO=1 $(PY) manage.py migrate --noinput -v 0
	DJANGO_DEBUG=1 ALE_DEMO=1 $(PY) manage.py createcachetable
	DJANGO_DEBUG=1 ALE_DEMO=1 $(PY) manage.py seed_demo
	@echo "Web server on http://$(HOST):$(PORT) and a task worker (e-mails, PDFs, ZIPs); Ctrl-C stops both."
	@export DJANGO_DEBUG=1 ALE_DEMO=1; \
	$(PY) manage.py db_worker --queue-name '*' --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 0' INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev browser-deps lint compilemessages
	$(PY) -m pytest $(PYTEST_ARGS)

# Static analysis: ruff, bandit (no medium or high finding), import-linter (the layers of docs/architecture.md),
# Django's checks, migrations in step with models.
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r . --severity-level medium
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py check --settings=ale_platform.settings_test
	$(PY) manage.py makemigrations --check --dry-run -v 0 --settings=ale_platform.settings_test

# The benchmark (docs/performance.md) EMPTIES its database, created if missing: never DATABASE_URL's.
# BENCH_ARGS="--scale 0.01" for a quick run, "--skip-generate" to measure the data already there.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ale_bench
bench: install-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench $(BENCH_ARGS)

# Load test against gunicorn (production settings) on the local PostgreSQL; needs wrk (apt-get install wrk).
load: install-dev
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench.load $(LOAD_ARGS)

# The .mo files are not in git: compiled from locale/*/django.po before every run and test (needs gettext's msgfmt).
# Order-only on the venv: `run` and `test` install their packages first (a dependency on `install` would sync the
# venv down to base.txt in the middle of `make test`).
compilemessages: | $(PY)
	@command -v msgfmt >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	@command -v msgfmt >/dev/null || { echo "Compiling the translations needs gettext: sudo apt-get install gettext" >&2; exit 1; }
	$(PY) manage.py compilemessages --settings=ale_platform.settings_test -l nl -l de --ignore=.venv --ignore=node_modules -v 0

# Regenerates the translation catalogues (nl, de) from the French source strings.
messages: install-dev
	$(PY) manage.py makemessages --settings=ale_platform.settings_test -l nl -l de -e html,txt,py --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages --settings=ale_platform.settings_test -l nl -l de --ignore=.venv

# Regenerate the lock files after a change to pyproject.toml.
lock: | $(PY)
	$(UV) pip compile -q pyproject.toml --python-version 3.12 -o requirements/base.txt
	$(UV) pip compile -q pyproject.toml --extra dev --python-version 3.12 -o requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules staticfiles
