#!/usr/bin/env bash
# Make sure the PostgreSQL the tests use (ATSBRIDGE_TEST_PG_URL, default 127.0.0.1:5432) is up.
set -euo pipefail
host=127.0.0.1
port=5432
if pg_isready -q -h "$host" -p "$port" 2>/dev/null; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "starting PostgreSQL ..." >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do
    pg_isready -q -h "$host" -p "$port" && exit 0
    sleep 1
  done
fi
echo "PostgreSQL is not reachable on $host:$port; the test suite runs every storage test on it." >&2
echo "Install and start it (Debian: apt-get install postgresql), or set ATSBRIDGE_TEST_PG_URL." >&2
exit 1
