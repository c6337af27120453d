# Everything a fresh machine needs comes from this file: `make run`, `make test`, `make bench`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/elearn
SQLITE_URL := sqlite:///$(CURDIR)/var/test.sqlite3
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install system-deps browser-deps messages run test lint test-postgres test-sqlite bench clean

help:
	@echo "make run    - the site at http://127.0.0.1:8000 (SQLite, demo accounts, course imported)"
	@echo "make test   - every test: lint, PostgreSQL pass, SQLite pass"
	@echo "make bench  - benchmarks (ratios measured in one run)"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --requirement requirements.lock
	touch $(STAMP)

# gettext compiles the French catalogue; Debian packages, installed only when missing.
system-deps:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)

# Debian's Chromium for the browser tests (Playwright drives it; `playwright install` cannot work here).
browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

install: $(STAMP) system-deps messages

messages: $(STAMP) system-deps
	@cd courses && ../$(PY) ../manage.py compilemessages --verbosity 0

run: install
	@mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 QUIZ_AUTO_APPROVE=1 $(PY) manage.py setup_demo
	DEBUG=1 QUIZ_AUTO_APPROVE=1 $(PY) manage.py serve 127.0.0.1:8000

lint: install
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/djlint --lint --quiet courses/templates elearn/templates
	DATABASE_URL=$(SQLITE_URL) DJANGO_SETTINGS_MODULE=elearn.settings.test $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(SQLITE_URL) DJANGO_SETTINGS_MODULE=elearn.settings.test $(PY) manage.py check --fail-level WARNING

# The whole suite on PostgreSQL (browser, worker, process and concurrency tests included), then
# the database tests again on SQLite, the `make run` default.
test-postgres: install browser-deps
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -p no:cacheprovider

test-sqlite: install
	@mkdir -p var
	DATABASE_URL=$(SQLITE_URL) $(PY) -m pytest -p no:cacheprovider -m "not postgres and not worker and not browser and not processes"

test: lint test-postgres test-sqlite

bench: install
	$(PY) bench/generation.py
	$(PY) bench/ingest.py
	$(PY) bench/run.py
	$(PY) bench/exam.py
	$(PY) bench/certificates.py
	$(PY) bench/cohorts.py
	$(PY) bench/scorm.py
	$(PY) bench/cache.py
	$(PY) bench/privacy.py
	$(PY) bench/media.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
