#!/bin/bash
# The whole suite CI runs: setup, type check, vitest (which starts and stops a real
# single-node Pacemaker cluster), then one line "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/node_modules/.bin:$PATH"
failed_steps=0
tsc -p tsconfig.json --noEmit || { echo "type check failed"; failed_steps=1; }
mkdir -p build
vitest run --reporter=default --reporter=json --outputFile.json=build/vitest.json "$@"
rc=$?
node scripts/summarize-tests.ts build/vitest.json "$failed_steps"
summary_rc=$?
[ $rc -eq 0 ] && [ $failed_steps -eq 0 ] && [ $summary_rc -eq 0 ]
