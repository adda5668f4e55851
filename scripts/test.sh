#!/bin/bash
# The whole suite CI runs: setup, type check, the vitest suite (a real single-node Pacemaker
# cluster, the simulator, the packages), then the end-to-end suite on the full testbed
# (remote compute nodes, IPMI BMCs, our .deb). Last line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/node_modules/.bin:$PATH"
failed_steps=0
tsc -p tsconfig.json --noEmit || { echo "type check failed"; failed_steps=1; }
mkdir -p build
rm -f build/vitest.json build/vitest-e2e.json
vitest run --reporter=default --reporter=json --outputFile.json=build/vitest.json "$@"
if [ -z "${IHA_SKIP_E2E:-}" ]; then
    vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=build/vitest-e2e.json
    reports="build/vitest.json build/vitest-e2e.json"
else
    reports=build/vitest.json
fi
# shellcheck disable=SC2086
node scripts/summarize-tests.ts "$failed_steps" $reports
