# FILM'IT — the two commands a newcomer needs:
#   make demo   creates the virtual environment, installs everything, loads demo data and
#               starts the platform on http://127.0.0.1:8000 with its task worker;
#   make test   runs the whole test suite.

PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install system-deps venv migrate demo-data serve test-sqlite test-postgres lint messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || \
		{ echo "Python 3.12 or newer is required (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)

venv: $(BIN)/python

system-deps:
	@bash scripts/system-deps.sh

install: system-deps venv
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo-data: migrate
	$(BIN)/python manage.py load_demo_data

demo: demo-data
	@bash scripts/serve.sh $(HOST) $(PORT)

test: install
	@bash scripts/test.sh

lint:
	$(BIN)/ruff check .
