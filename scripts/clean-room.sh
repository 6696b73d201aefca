#!/usr/bin/env bash
# `npm run clean-room`: CI as a new user meets it. Clones this checkout's HEAD into a temp folder
# with nothing beside it, points HOME and the npm cache at empty temp folders (so Node 24, n8n,
# Postgres… install from scratch), and runs `CI=true .ci/run` there; prints the wall time.
# The machine's network set-up travels with it (~/.npmrc, CA files, proxies): without it npm
# fails with SELF_SIGNED_CERT_IN_CHAIN on machines behind a TLS-inspecting proxy.
#   IP_CLEAN_ROOM_NPM_CACHE=<dir>  reuse an npm cache to spare downloads (default: empty)
#   IP_CLEAN_ROOM_KEEP=1           keep the temp folder (its path is printed)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$root" rev-parse HEAD)"
room="$(mktemp -d "${TMPDIR:-/tmp}/ip-clean-room.XXXXXX")"
cleanup() { [ "${IP_CLEAN_ROOM_KEEP:-}" = 1 ] && echo "kept $room" >&2 || rm -rf "$room"; }
trap cleanup EXIT

git clone --quiet --no-hardlinks "$root" "$room/repo"
git -C "$room/repo" checkout --quiet --detach "$commit"
mkdir -p "$room/home" "${IP_CLEAN_ROOM_NPM_CACHE:-$room/npm-cache}"
if [ -f "$HOME/.npmrc" ]; then cp "$HOME/.npmrc" "$room/home/.npmrc"; fi

# PATH without anything the current user installed under HOME (e.g. a cached Node 24).
path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e "^$HOME" -e node_modules | paste -sd: -)"
keep=()
for name in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR HTTP_PROXY HTTPS_PROXY NO_PROXY \
  http_proxy https_proxy no_proxy LANG TERM TMPDIR; do
  if [ -n "${!name:-}" ]; then keep+=("$name=${!name}"); fi
done

echo "clean room: $commit in $room/repo, HOME=$room/home" >&2
start=$(date +%s)
status=0
env -i "${keep[@]}" PATH="$path" HOME="$room/home" CI=true \
  npm_config_cache="${IP_CLEAN_ROOM_NPM_CACHE:-$room/npm-cache}" \
  bash -c 'cd "$1" && bash .ci/run' clean-room "$room/repo" </dev/null || status=$?
elapsed=$(($(date +%s) - start))
printf 'clean room: .ci/run %s in %dm%02ds (commit %s)\n' \
  "$([ $status = 0 ] && echo passed || echo "FAILED (exit $status)")" $((elapsed / 60)) $((elapsed % 60)) "${commit:0:12}"
exit $status
