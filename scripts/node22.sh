#!/usr/bin/env bash
# Prints the path of a Node.js 22 binary, installing it first when needed.
# Zapier platform 19 runs apps on Node 22, so the built Zapier zip is tested on Node 22
# (test/zapier-zip). Like scripts/node24.sh it comes from the npm registry's `node` package,
# installed once into a user cache; nothing on the system changes.
#   scripts/node22.sh            -> /root/.cache/intelliportal/node22/node_modules/node/bin/node
set -euo pipefail
version=22.23.3
home="${IP_NODE22_HOME:-$HOME/.cache/intelliportal/node22}"
bin="$home/node_modules/node/bin/node"
installed() { [ -x "$bin" ] && [ "$("$bin" --version)" = "v$version" ]; }
if ! installed; then
  mkdir -p "$home"
  exec 9>"$home/.install.lock"   # one installer at a time (parallel test workers)
  flock 9
fi
if ! installed; then
  echo "[node22] installing Node.js $version from the npm registry into $home" >&2
  npm install --prefix "$home" --no-save --no-audit --no-fund --loglevel=error "node@$version" >&2
fi
echo "$bin"
