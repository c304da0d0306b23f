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
  # tests, docker-compose to validate the compose file, wrk for the benches.
  debs+=(postgresql redis-server poppler-utils chromium docker-compose wrk)
fi

missing=()
for deb in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
# npm for both profiles: the site serves the check-in scanner's QR decoder from node_modules.
if ! command -v npm >/dev/null; then
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

# JavaScript exactly as package-lock.json pins it: for both profiles the QR
# decoder the check-in page serves (dependencies); for "test" also axe-core and
# ical.js (devDependencies). The stamp names the profile: a "run" install is
# completed by the next "test" one, and a "test" install serves "run" as it is.
npm_stamp="node_modules/.installed"
npm_lock=$(sha256sum package-lock.json | cut -d' ' -f1)
npm_installed=$(cat "$npm_stamp" 2>/dev/null || true)
if [ "$profile" = "test" ]; then
  [ "$npm_installed" = "test $npm_lock" ] || npm ci --no-audit --no-fund --loglevel=error
  [ "$npm_installed" = "test $npm_lock" ] || echo "test $npm_lock" > "$npm_stamp"
elif [ "$npm_installed" != "run $npm_lock" ] && [ "$npm_installed" != "test $npm_lock" ]; then
  if command -v npm >/dev/null; then
    npm ci --omit=dev --no-audit --no-fund --loglevel=error
    echo "run $npm_lock" > "$npm_stamp"
  else
    # Not fatal for running the site: the check-in page then offers search by name only.
    echo "npm is missing, so the check-in page's QR scanner is not installed (install nodejs and npm, run make run again)." >&2
  fi
fi
