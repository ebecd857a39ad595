#!/usr/bin/env bash
# Starts the platform on http://HOST:PORT with its background workers, until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${1:-127.0.0.1}"
PORT="${2:-8000}"
BIN=.venv/bin

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# Two task workers: one for the media pipeline, one for everything else, so that a long
# transcoding never delays the rest.
$BIN/python manage.py db_worker --queue-name media --no-reload &
pids+=($!)
$BIN/python manage.py db_worker --queue-name default --no-reload &
pids+=($!)
# The watchdog requeues jobs whose worker died; expired uploads are cleaned each hour.
if $BIN/python manage.py help media_watchdog >/dev/null 2>&1; then
  $BIN/python manage.py media_watchdog --loop 60 &
  pids+=($!)
fi

cat <<MSG

  FILM'IT runs on http://$HOST:$PORT/
MSG
$BIN/python manage.py load_demo_data --no-videos 2>/dev/null | sed -n '/Comptes/,$p'
echo "  Stop with Ctrl-C."
echo

$BIN/python manage.py runserver "$HOST:$PORT" --noreload
