#!/usr/bin/env bash
# The whole test suite: lint, translations, then every test on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

$BIN/ruff check .
$BIN/lint-imports --no-cache  # the apps' layers: docs/architecture.md
$BIN/python manage.py compilemessages --ignore=.venv -v0
$BIN/python scripts/check_translations.py
$BIN/python manage.py makemigrations --check --dry-run -v0

echo "== SQLite"
env -u DATABASE_URL $BIN/python -m pytest -n "${PYTEST_WORKERS:-2}" -q "$@"

echo "== PostgreSQL (${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test})"
DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" \
  $BIN/python -m pytest -n "${PYTEST_WORKERS:-2}" -q "$@"
