#!/usr/bin/env bash
# Builds the Zapier upload exactly as `zapier push` does, offline and without a login:
#   npm run build:zapier   ->  zapier/build/build.zip (what Zapier runs) and zapier/build/source.zip
#
# 1. zapier/ dependencies from its lockfile (npm ci), only zapier-platform-core: the CLI and
#    TypeScript come from the repository root, so the CLI is not copied into the build.
# 2. `zapier-platform validate --without-style`: the schema check push runs. (The style check is
#    a call to zapier.com, unreachable here; its rules that can be checked offline are tests in
#    test/zapier/style.test.ts.)
# 3. `zapier-platform build --skip-validation`: push's own build step (compile through the
#    _zapier-build script, copy to a temp folder, npm install from the lockfile, dependency
#    walk, zip) followed by its smoke test, which loads the zip and fails loudly on a missing file.
#    --skip-validation only skips the repeat of step 2 plus the online style call.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node24.sh
cli="$PWD/node_modules/.bin/zapier-platform"
cd zapier
# zapier/lib and zapier/build are shared with test/zapier/validate.test.ts: one writer at a time.
exec 9>.build.lock
flock 9
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
export ZAPIER_DISABLE_UPDATE_CHECK=1 DISABLE_ZAPIER_ANALYTICS=1
npm run --silent build
"$cli" validate --without-style
"$cli" build --skip-validation
ls -l build/build.zip
