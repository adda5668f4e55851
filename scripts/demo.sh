#!/bin/bash
# The main job: a real Pacemaker cluster with three pacemaker_remote compute hosts (network
# namespaces), an IPMI simulator per host, our agents installed from our .deb, and the in-repo
# OpenStack simulator. Then a compute host dies (kill -9 pacemaker-remoted): it is fenced
# (IPMI off, then fence_compute), its evacuable instances are evacuated, it boots, is unfenced
# and returns to service — narrated with timings. Everything is torn down at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
trap 'step "tearing the testbed down"; bash "$ROOT/test/e2e/testbed.sh" down' EXIT

step "setup: Debian packages, npm packages (Node 24), build"
bash scripts/setup.sh
step "testbed: cluster, compute hosts, BMCs, our .deb, OpenStack simulator (about a minute)"
bash test/e2e/testbed.sh up
crm_mon -1 | sed -n '/Node List/,$p'
step "scenario 1: a compute host dies"
node_modules/.bin/node test/e2e/run-scenario1.ts
step "evacuation state as the cluster holds it (instance-ha status)"
instance-ha status
