#!/usr/bin/env bash
# `npm run e2e:compat`: the real-n8n end-to-end suite (test/e2e) against the n8n versions users
# run, not only the pinned one the demo and CI use:
#   - 1.123.x, the last 1.x line (still widely self-hosted), on Node 22 as its Docker image runs it;
#   - the newest 2.x the npm registry installs (falls back to the pinned version when the newest
#     cannot be installed, e.g. 2.41.3 needs @n8n/agents@0.26.2, which the registry lacks);
#   - the pinned version (scripts/n8n/version), also with a self-hoster's manual
#     `npm install` in ~/.n8n/nodes instead of what n8n's in-app installer leaves there.
# Each n8n installs once into ~/.cache/intelliportal/n8n-<version> (scripts/n8n/install.sh).
# Only test/e2e/ (the trailing slash keeps jest's path pattern from also matching
# test/e2e-queue: queue mode is tested on the pinned version, which its launcher targets).
# Prints one line per run with install and run times; exits non-zero if any run failed.
#
#   npm run e2e:compat                              all of the above
#   IP_COMPAT_VERSIONS="1.123.81" npm run e2e:compat  just these (each: in-app installer layout)
# Release-time, not CI: see README "Supported n8n versions" for why (measured costs).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/node24.sh
pinned="$(tr -d '[:space:]' < scripts/n8n/version)"
newest2="$(npm view n8n versions --json | grep -o '"2\.[0-9.]*"' | tr -d '"' | sort -V | tail -n1)"
line1="${IP_COMPAT_LINE1:-1.123.81}"
# runs: "<version> <install method>"
if [ -n "${IP_COMPAT_VERSIONS:-}" ]; then
  runs=""; for v in $IP_COMPAT_VERSIONS; do runs="$runs$v unpack"$'\n'; done
else
  runs="$line1 unpack"$'\n'"$newest2 unpack"$'\n'"$pinned unpack"$'\n'"$pinned npm"$'\n'
fi
npm run build --silent >/dev/null
results=()
failed=0
declare -A installed=()
while read -r version method; do
  [ -n "$version" ] || continue
  key="$version $method"
  case " ${!installed[*]} " in *" $key "*) continue ;; esac
  installed[$key]=1
  start=$(date +%s)
  if ! IP_N8N_VERSION="$version" bash scripts/n8n/install.sh >/dev/null 2>"/tmp/ip-compat-install-$version.log"; then
    why="$(grep -m1 -E 'npm error (notarget|code)|Error' "/tmp/ip-compat-install-$version.log" | tr -s ' ')"
    if [ "$version" = "$newest2" ] && [ "$version" != "$pinned" ]; then
      results+=("n8n $version: not installable from the registry ($why); the pinned $pinned is the newest 2.x that installs")
    else
      results+=("n8n $version: install FAILED ($why)"); failed=1
    fi
    continue
  fi
  install_s=$(( $(date +%s) - start ))
  env_extra=()
  if [ "${version%%.*}" -lt 2 ]; then env_extra+=("IP_N8N_NODE=$(bash scripts/node22.sh)"); fi
  [ "$method" = npm ] && env_extra+=("IP_N8N_INSTALL=npm")
  start=$(date +%s)
  log="/tmp/ip-compat-e2e-$version-$method.log"
  if env IP_N8N_VERSION="$version" IP_E2E_SKIP_BUILD=1 "${env_extra[@]}" \
    npx jest --runInBand test/e2e/ >"$log" 2>&1; then status=passed; else status=FAILED; failed=1; fi
  run_s=$(( $(date +%s) - start ))
  tests="$(grep -E '^Tests:' "$log" | tail -n1)"
  label=$([ "$method" = npm ] && echo "manual npm install in ~/.n8n/nodes" || echo "in-app installer layout")
  results+=("n8n $version ($label): $status, $tests; install ${install_s}s (0 = cached), e2e ${run_s}s; log $log")
done <<< "$runs"
printf '\n== e2e:compat ==\n'
printf '%s\n' "${results[@]}"
exit $failed
