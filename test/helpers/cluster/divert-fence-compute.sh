#!/bin/bash
# Puts our fence_compute at /usr/sbin/fence_compute, where Pacemaker's fenced looks for fence
# agents, moving Debian's own aside with dpkg-divert; `restore` puts Debian's back.
#   divert-fence-compute.sh install LAUNCHER | restore | status
set -euo pipefail
TARGET=/usr/sbin/fence_compute
DIVERTED=/usr/sbin/fence_compute.distrib
MARK='# instance-ha-agents test launcher'

ours_installed() { [ -f $TARGET ] && grep -qF "$MARK" $TARGET 2>/dev/null; }
diverted() { dpkg-divert --list $TARGET | grep -q .; }

restore() {
    if ours_installed; then rm -f $TARGET; fi
    if diverted; then dpkg-divert --quiet --local --rename --remove $TARGET; fi
}

case "${1:-}" in
    install)
        launcher=${2:?launcher path}
        restore   # an earlier run may have died half-way
        dpkg-divert --quiet --local --rename --divert $DIVERTED --add $TARGET
        { echo '#!/bin/sh'; echo "$MARK"; echo "exec \"$launcher\" \"\$@\""; } > $TARGET
        chmod 755 $TARGET ;;
    restore) restore ;;
    status) if ours_installed; then echo ours; elif diverted; then echo diverted; else echo debian; fi ;;
    *) echo "usage: $0 install LAUNCHER | restore | status" >&2; exit 2 ;;
esac
