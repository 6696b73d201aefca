#!/usr/bin/env bash
# Debian's chromium for the browser suite (test/browser), installed with apt-get when missing.
# Idempotent: prints the browser's path and returns at once when it is installed. Playwright never
# downloads a browser: the suite drives this one through playwright-core.
set -euo pipefail
# Ubuntu's apt "chromium" is a snap wrapper that does not run in containers; GitHub's Ubuntu
# runners ship Google Chrome instead, which playwright-core drives the same way.
find_chromium() {
  command -v chromium || command -v google-chrome-stable || command -v google-chrome ||
    command -v chromium-browser || true
}
path="$(find_chromium)"
if [ -z "$path" ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  echo "installing Debian's chromium with apt-get…" >&2
  $SUDO apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-liberation >&2
  path="$(find_chromium)"
fi
if [ -z "$path" ]; then echo "chromium is still missing after apt-get install" >&2; exit 1; fi
echo "$path"
