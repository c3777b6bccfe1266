#!/usr/bin/env bash
# Installs the Debian packages the project needs (browser tests, PostgreSQL, PDF rendering),
# only those missing. Safe to run again; `make test` runs it first, so that a green `make test`
# means every test ran. As root, or with sudo, it installs them; otherwise it stops with one
# sentence naming what is missing and the command that installs it.
set -euo pipefail
packages=(chromium postgresql poppler-utils fonts-dejavu-core)
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  # Not Debian: check for the programs themselves.
  missing=()
  [ -x "${OBSERVATOIRE_CHROMIUM:-/usr/bin/chromium}" ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=("PostgreSQL server (initdb)")
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  if ((${#missing[@]})); then
    echo "Missing for the tests: ${missing[*]}; this is not a Debian system, so install them with its package manager, then run make test again." >&2
    exit 1
  fi
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo_cmd=(sudo)
  else
    echo "Missing Debian packages for the tests: ${missing[*]}; install them with: sudo $here/install-system-deps.sh" >&2
    exit 1
  fi
fi
echo "Installing Debian packages: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
