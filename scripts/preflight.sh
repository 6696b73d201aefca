#!/usr/bin/env bash
# Before .ci/run or ./dev test spends minutes: the system packages the suite needs that only
# apt-get can install (the browser suite's chromium, queue mode's redis-server, unzip and flock).
# With root (or password-less sudo) it installs the missing ones now, in one step; without, it
# stops at once with one message naming them, instead of a suite failing halfway through.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
missing=()
# Ubuntu's apt chromium is a snap wrapper that does not run in containers; Google Chrome does.
have chromium || have google-chrome-stable || have google-chrome || have chromium-browser ||
  missing+=(chromium fonts-liberation)
have redis-server || missing+=(redis-server)
have unzip || missing+=(unzip)
have flock || missing+=(util-linux)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo"; else
  echo "The test suite needs system packages that are missing: ${missing[*]}." >&2
  echo "Install them as root, then run again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "[preflight] installing ${missing[*]} with apt-get" >&2
if ! { $SUDO apt-get update -q >&2 &&
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }; then
  echo "apt-get could not install: ${missing[*]}. Install them, then run again." >&2
  exit 1
fi
