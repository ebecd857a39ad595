#!/usr/bin/env bash
# Starts the platform on http://HOST:PORT with its background workers, until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${1:-127.0.0.1}"
PORT="${2:-8000}"
BIN=.venv/bin

LOGS="${FILMIT_VAR_DIR:-var}/logs"
mkdir -p "$LOGS"

echo "• Démarrage du site et de ses tâches de fond (journaux et e-mails envoyés : $LOGS/)…"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# Two task workers: one for the media pipeline, one for everything else, so that a long
# transcoding never delays the rest.
$BIN/python manage.py db_worker --queue-name media --no-reload >>"$LOGS/worker-media.log" 2>&1 &
pids+=($!)
$BIN/python manage.py db_worker --queue-name default --no-reload >>"$LOGS/worker.log" 2>&1 &
pids+=($!)
# The watchdog requeues jobs whose worker died.
$BIN/python manage.py media_watchdog --loop 60 >>"$LOGS/watchdog.log" 2>&1 &
pids+=($!)
# Hourly chores (cron does this in production): abandoned uploads, jury and teacher reminders,
# a scheduled palmarès whose time came while no worker ran, the audience of the days past,
# finalists' announcements due, the retention of originals and consents.
(
  while true; do
    $BIN/python manage.py expire_uploads
    $BIN/python manage.py send_jury_reminders
    $BIN/python manage.py send_teacher_reminders
    $BIN/python manage.py announce_finalists
    $BIN/python manage.py publish_scheduled_palmares
    $BIN/python manage.py fold_audience
    $BIN/python manage.py apply_retention
    sleep 3600
  done
) >>"$LOGS/chores.log" 2>&1 &
pids+=($!)

# The web server too writes to its log: the terminal keeps only the address and the logins.
$BIN/python manage.py runserver "$HOST:$PORT" --noreload >>"$LOGS/server.log" 2>&1 &
server=$!
pids+=("$server")
# The demo data is there (`make demo` loads it first); this only makes sure and prints the logins.
accounts="$($BIN/python manage.py load_demo_data --no-videos 2>>"$LOGS/server.log" | sed -n '/Comptes/,$p')"
until $BIN/python -c "import urllib.request as u; u.urlopen('http://$HOST:$PORT/', timeout=2)" \
  2>/dev/null; do
  kill -0 "$server" 2>/dev/null || { echo "Le serveur ne démarre pas : voir $LOGS/server.log."; exit 1; }
  sleep 0.5
done

cat <<MSG

  FILM'IT est ouvert sur http://$HOST:$PORT/

$accounts

  Arrêt : Ctrl-C.
MSG
wait "$server"
