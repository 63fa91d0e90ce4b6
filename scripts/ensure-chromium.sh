#!/usr/bin/env bash
# Make sure the headless browser the end-to-end tests drive is installed (Debian's chromium package).
# Playwright drives it through its own bundled driver; no browser is downloaded from the internet.
set -euo pipefail
bin="${ATSBRIDGE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$bin" ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing chromium (Debian package) for the browser tests ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || {
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  }
  [ -x "$bin" ] && exit 0
fi
echo "Chromium is missing at $bin; the end-to-end tests drive it." >&2
echo "Install it (Debian: apt-get install chromium) or set ATSBRIDGE_CHROMIUM to its path." >&2
exit 1
