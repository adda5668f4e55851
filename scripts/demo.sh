#!/bin/bash
# The main job, as far as it exists today: a real single-node Pacemaker cluster, our
# fence_compute placed where Pacemaker looks for fence agents (Debian's moved aside with
# dpkg-divert), its metadata and validation through Pacemaker's own tools. Cleans up on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
cleanup() {
    bash "$ROOT/test/harness/divert-fence-compute.sh" restore || true
    bash "$ROOT/test/harness/cluster.sh" stop || true
}
trap cleanup EXIT

step "setup: Debian packages, npm packages (Node 24), build"
bash scripts/setup.sh
step "start a single-node corosync + Pacemaker cluster"
bash test/harness/cluster.sh start
crm_mon -1 | sed -n '1,8p'
step "install our fence_compute over Debian's (dpkg-divert)"
bash test/harness/divert-fence-compute.sh install "$ROOT/build/bin/fence_compute"
dpkg-divert --list /usr/sbin/fence_compute
step "stonith_admin --metadata --agent fence_compute"
stonith_admin --metadata --agent fence_compute > build/fence_compute.metadata.xml
grep -c '<parameter ' build/fence_compute.metadata.xml | sed 's/^/parameters: /'
xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng <("$ROOT/build/bin/fence_compute" -o metadata)
step "stonith_admin --validate: a complete device"
stonith_admin --validate --agent fence_compute --option auth_url=http://127.0.0.1:35000/v3 \
    --option username=admin --option password=secret --option tenant_name=admin --option domain=localdomain
step "stonith_admin --validate: no auth_url, insecure=maybe (must fail, one line per problem)"
if stonith_admin --validate --agent fence_compute --option username=admin --option insecure=maybe; then
    echo "unexpected success"; exit 1
fi
step "the stdin protocol, as fenced speaks it"
printf 'action=validate-all\nport=compute-0\nauth-url=http://127.0.0.1:35000/v3\nlogin=admin\npasswd="s3cret"\ninsecure=false\nnodename=compute-0\nverbose=1\n' |
    "$ROOT/build/bin/fence_compute" && echo "validate-all: exit 0"
step "done: restoring Debian's fence_compute and stopping the cluster"
