#!/bin/bash
# The scale testbed: the end-to-end testbed (test/e2e/testbed.sh) with N compute hosts
# compute-0..N-1, each a pacemaker_remote node in its own namespaces with an ipmi_sim BMC
# (127.0.0.1:6230+i), the simulator with the same hosts and PER_HOST evacuable instances on
# each, our agents from the .deb wired by instance-ha-config.sh. `up` clears what any earlier
# run left (any size), `down` removes everything it brought.
#   scale.sh up N [PER_HOST] | down | computes N
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TESTBED=$HERE/../e2e/testbed.sh
computes() { local i; for ((i = 0; i < $1; i++)); do printf 'compute-%d ' "$i"; done | sed 's/ $//'; }

case "${1:-}" in
    up)
        n=${2:?usage: scale.sh up N [PER_HOST]}
        [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 150 ] || { echo "scale.sh: N must be 1..150 (node.sh addresses 169.254.(100+i).0/24)" >&2; exit 2; }
        COMPUTES=$(computes "$n") PER_HOST=${3:-2} exec bash "$TESTBED" up ;;
    down) exec bash "$TESTBED" down ;;
    computes) computes "${2:?usage: scale.sh computes N}"; echo ;;
    *) echo "usage: $0 up N [PER_HOST] | down | computes N" >&2; exit 2 ;;
esac
