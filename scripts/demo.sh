#!/bin/bash
# The main job: a real Pacemaker cluster with three pacemaker_remote compute hosts (network
# namespaces), an IPMI simulator per host, our agents installed from our .deb, and the in-repo
# OpenStack simulator. Then a compute host dies (kill -9 pacemaker-remoted): it is fenced
# (IPMI off, then fence_compute), its evacuable instances are evacuated, it boots, is unfenced
# and returns to service — narrated with timings. Everything is torn down at the end.
#   demo.sh [--real-openstack] [--maintenance]
#     --real-openstack  the real Keystone + Nova of test/openstack-real instead of the simulator
#                       (about two minutes more, ~2 GiB of RAM)
#     --maintenance     then planned maintenance with instance-ha: a host drained by live
#                       migration, powered off at its BMC (not fenced), powered on, instances back
set -euo pipefail
cloud="OpenStack simulator" maintenance=
for a in "$@"; do case $a in
    --real-openstack) export IHA_E2E_OPENSTACK=real; cloud="the real OpenStack (Keystone, Nova with the fake driver)" ;;
    --maintenance) maintenance=1 ;;
    *) echo "usage: $0 [--real-openstack] [--maintenance]" >&2; exit 2 ;;
esac; done
cd "$(dirname "$0")/.."
ROOT=$PWD
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
trap 'step "tearing the testbed down"; bash "$ROOT/test/e2e/testbed.sh" down' EXIT

step "setup: Debian packages, npm packages (Node 24), build"
bash scripts/setup.sh
step "testbed: cluster, compute hosts, BMCs, our .deb, $cloud (a minute or more)"
bash test/e2e/testbed.sh up
crm_mon -1 | sed -n '/Node List/,$p'
step "scenario 1: a compute host dies"
node_modules/.bin/node test/e2e/run-scenario1.ts
step "evacuation state as the cluster holds it (instance-ha status)"
instance-ha status
if [ -n "$maintenance" ]; then
    step "planned maintenance of compute-1 with instance-ha (drain, power off, power on, return)"
    node_modules/.bin/node test/e2e/run-maintenance.ts
    instance-ha status
fi
