#!/usr/bin/env bash
# Creates everything the app (or, with "test", the suite) needs on a bare Debian
# machine: Debian packages, the virtual environment, pinned Python packages.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-run}"
# WeasyPrint's system libraries and a font family with wide Unicode coverage.
debs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core python3-venv)
if [ "$profile" = "test" ]; then
  # Real services for the suite, pdftotext for PDF checks, Chromium for browser
  # tests, docker-compose to validate the compose file.
  debs+=(postgresql redis-server poppler-utils chromium docker-compose)
fi

missing=()
for deb in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
if [ "$profile" = "test" ] && ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages (install them as root): ${missing[*]}" >&2
  fi
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
requirements="requirements/base.in"
[ "$profile" = "test" ] && requirements="requirements/test.in"
stamp=".venv/.installed-$profile"
digest=$(cat requirements/*.in requirements/lock.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" -c requirements/lock.txt
  echo "$digest" > "$stamp"
fi

if [ "$profile" = "test" ]; then
  # axe-core and ical.js for the suite, exactly as package-lock.json pins them.
  npm_stamp="node_modules/.installed"
  npm_digest=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_digest" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$npm_digest" > "$npm_stamp"
  fi
fi
