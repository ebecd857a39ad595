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

# What installing prints (pip, apt-get, migrations, demo data) goes to this log; `make demo` itself
# says in a few French lines what it does, and shows the log's end only when a step fails.
LOGS := $(or $(FILMIT_VAR_DIR),var)/logs
INSTALL_LOG := $(LOGS)/install.log
logged = { $(1); } >>$(INSTALL_LOG) 2>&1 || { echo "Échec. Fin de $(INSTALL_LOG) :"; \
	tail -n 25 $(INSTALL_LOG); exit 1; }

$(LOGS):
	@mkdir -p $@

$(BIN)/python: | $(LOGS)
	@test -n "$(PYTHON)" || { echo "Il faut Python 3.12 ou plus récent (pyenv, apt)."; exit 1; }
	@echo "• Environnement Python ($(VENV))…"
	@$(call logged,$(PYTHON) -m venv $(VENV))

venv: $(BIN)/python

system-deps: | $(LOGS)
	@FILMIT_INSTALL_LOG=$(INSTALL_LOG) bash scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "• Dépendances Python (pip, une à deux minutes la première fois)…"
	@$(call logged,$(BIN)/pip install --upgrade pip && $(BIN)/pip install -e '.[test]')
	@touch $@

install: system-deps $(VENV)/.installed

migrate: install
	@echo "• Base de données et traductions…"
	@$(call logged,$(BIN)/python manage.py compilemessages --ignore=.venv -v0 \
		&& $(BIN)/python manage.py migrate --noinput)

demo-data: migrate
	@echo "• Données de démonstration (la première fois, les films sont fabriqués : une minute)…"
	@$(call logged,$(BIN)/python manage.py load_demo_data)

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
