#!/bin/bash
# The whole suite CI runs: setup, type check, the vitest suite (a real single-node Pacemaker
# cluster, the simulator, the packages), the live OpenStack contract suite (IHA_SKIP_OPENSTACK=1
# skips it), then the end-to-end suite on the full testbed (remote compute nodes, IPMI BMCs, our
# .deb; IHA_SKIP_E2E=1 skips it) on the simulator, and scenarios 1 and 4 of it on the real
# OpenStack (IHA_SKIP_E2E_REAL=1 skips those), then the scale suite on a testbed of IHA_SCALE_N
# (default 25) remote computes (IHA_SKIP_SCALE=1 skips it). Last line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/node_modules/.bin:$PATH"
failed_steps=0
tsc -p tsconfig.json --noEmit || { echo "type check failed"; failed_steps=1; }
mkdir -p build
rm -f build/vitest.json build/vitest-openstack.json build/vitest-e2e.json build/vitest-e2e-real.json build/vitest-scale.json
vitest run --reporter=default --reporter=json --outputFile.json=build/vitest.json "$@"
reports=build/vitest.json
# the live contract suite: the simulator and a real Keystone + Nova + Glance (Zed) from Debian
if [ -z "${IHA_SKIP_OPENSTACK:-}" ]; then
    vitest run -c vitest.openstack.config.ts --reporter=default --reporter=json --outputFile.json=build/vitest-openstack.json
    reports="$reports build/vitest-openstack.json"
fi
if [ -z "${IHA_SKIP_E2E:-}" ]; then
    vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=build/vitest-e2e.json
    reports="$reports build/vitest-e2e.json"
fi
if [ -z "${IHA_SKIP_E2E:-}${IHA_SKIP_E2E_REAL:-}" ]; then
    vitest run -c vitest.e2e-real.config.ts --reporter=default --reporter=json --outputFile.json=build/vitest-e2e-real.json
    reports="$reports build/vitest-e2e-real.json"
fi
if [ -z "${IHA_SKIP_SCALE:-}" ]; then
    vitest run -c vitest.scale.config.ts --reporter=default --reporter=json --outputFile.json=build/vitest-scale.json
    reports="$reports build/vitest-scale.json"
fi
# shellcheck disable=SC2086
node scripts/summarize-tests.ts "$failed_steps" $reports
