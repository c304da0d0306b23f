#!/usr/bin/env bash
# Starts the PostgreSQL and Redis the suite talks to, where they are installed
# but not running. Ones already running (as on CI) are used as they are.
set -uo pipefail

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n1)
    echo "Starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || echo "PostgreSQL did not start" >&2
    # The suite connects over TCP as the postgres user without a password.
    hba=/etc/postgresql/$version/main/pg_hba.conf
    if [ -f "$hba" ] && ! grep -q "ipeg-events trust" "$hba"; then
      sed -i '1i host all all 127.0.0.1/32 trust # ipeg-events trust\nhost all all ::1/128 trust # ipeg-events trust' "$hba"
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    fi
  fi
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    echo "Starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /tmp --logfile /tmp/ipeg-redis.log || echo "Redis did not start" >&2
  fi
fi
exit 0
