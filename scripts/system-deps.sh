#!/usr/bin/env bash
# Installs the operating system's packages the platform needs: ffmpeg (the media pipeline)
# and gettext (translations). As root they come from apt-get; otherwise we say how.
set -euo pipefail

missing=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# Certificates and reports are typeset in DejaVu, which has every French character.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "${FILMIT_BROWSER_TESTS:-0}" = "1" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

LOG="${FILMIT_INSTALL_LOG:-/dev/null}"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "• Paquets du système (apt-get) : ${missing[*]}…"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >>"$LOG" 2>&1 || { echo "Échec d'apt-get (journal : $LOG)." >&2; exit 1; }
else
  echo "Paquets du système manquants : ${missing[*]}." >&2
  echo "Installez-les avec le gestionnaire de paquets, par exemple :" >&2
  echo "  sudo apt-get install ${missing[*]}      (Debian, Ubuntu)" >&2
  echo "  brew install ${missing[*]}              (macOS)" >&2
  exit 1
fi
