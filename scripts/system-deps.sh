#!/usr/bin/env bash
# Install the system packages the test suite drives for real: Chromium (browser tests through Playwright)
# and PostgreSQL (the server backend of the ledger). Idempotent: does nothing when both are present.
# Needs root (CI runs as root); elsewhere it says what to install and exits 0 so that `make test` goes on.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]}) to run the browser and PostgreSQL tests" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
