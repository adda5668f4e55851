#!/bin/bash
# Everything the demo and the tests need, on a fresh Debian 12 machine as root: Debian's
# cluster packages, the pinned npm packages (Node 24 among them), and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/helpers/cluster/cluster.sh install
if [ ! -x node_modules/.bin/node ] || ! cmp -s package-lock.json node_modules/.package-lock.json.ihaa 2>/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.package-lock.json.ihaa
fi
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/build.ts
