# FILM'IT — the two commands a newcomer needs:
#   make demo   creates the virtual environment, installs everything, loads demo data and
#               starts the platform on http://127.0.0.1:8000 with its task worker;
#   make test   runs the whole test suite.

# The first Python >= 3.12 found (pyenv reads .python-version in this folder).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install system-deps venv migrate demo-data serve test-sqlite test-postgres lint messages

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required: install it (pyenv, apt)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

venv: $(BIN)/python

system-deps:
	@bash scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: system-deps $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0
	$(BIN)/python manage.py migrate --noinput

demo-data: migrate
	$(BIN)/python manage.py load_demo_data

demo: demo-data
	@bash scripts/serve.sh $(HOST) $(PORT)

test: install
	@FILMIT_BROWSER_TESTS=1 bash scripts/system-deps.sh
	@bash scripts/test.sh

lint:
	$(BIN)/ruff check .

messages: install
	$(BIN)/python manage.py makemessages -l en -l fr --no-obsolete --ignore=.venv --ignore=var \
		--ignore=tests --ignore=benchmarks
	# A fuzzy guess in the French catalogue would replace the source text: empty it first.
	msgattrib --no-wrap --clear-fuzzy --empty locale/fr/LC_MESSAGES/django.po -o locale/fr/LC_MESSAGES/django.po
	msgen --no-wrap locale/fr/LC_MESSAGES/django.po -o locale/fr/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages --ignore=.venv
