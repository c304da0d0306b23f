#!/usr/bin/env bash
# The whole suite: lint, the fast session on SQLite, then the session that
# needs PostgreSQL (row locks under real concurrency).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_ENV=test
VENV=.venv/bin

$VENV/ruff check .
$VENV/ruff format --check .

$VENV/python -m pytest -m "not postgres" "$@"

PG_URL="${DATABASE_URL_TEST:-postgres://postgres@127.0.0.1:5432/ipeg}"
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || [ -n "${CI:-}" ]; then
  DATABASE_URL="$PG_URL" $VENV/python -m pytest -m postgres -p no:cacheprovider "$@"
else
  echo "PostgreSQL is not reachable on 127.0.0.1:5432: the PostgreSQL session is skipped (it fails under CI)." >&2
fi
