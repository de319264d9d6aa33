# Two entry points for a fresh machine (Python 3.11+): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test test-only lint install install-test

## Install, migrate, import the seed articles and serve the dashboard on http://127.0.0.1:8000
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_articles seeds/
	$(PY) manage.py runserver $(HOST)

## Install the test extras and run the whole test suite
test: install-test test-only

test-only:
	$(PY) -m pytest

## Lint with ruff (the rules are in pyproject.toml; ruff comes with the test extras)
lint: install-test
	$(VENV)/bin/ruff check .

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@
