#!/bin/bash
# Install what the real-OpenStack test cloud needs, from Debian 12 (bookworm) packages only. Idempotent.
# Only the python3-* libraries + rabbitmq + mariadb: the service packages (nova-api, keystone,
# glance-api ...) are not needed and their debconf/dbconfig/init scripts only get in the way.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
HERE=$(cd "$(dirname "$0")" && pwd)
APT=(apt-get -o DPkg::Lock::Timeout=900)
start=$(date +%s)

# A policy-rc.d exiting 101 keeps apt from starting system rabbitmq/mariadb (they would listen
# on 0.0.0.0). Only add one if none exists; an existing one is left alone.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\n# added by instance-ha-agents test/openstack-real/install.sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  echo "installed /usr/sbin/policy-rc.d (exit 101)"
fi

PKGS=(python3-nova python3-keystone python3-placement python3-glance rabbitmq-server mariadb-server)
all_installed() { [ "$(dpkg-query -W -f='${Status}\n' "${PKGS[@]}" 2>/dev/null | grep -c '^install ok installed$')" = "${#PKGS[@]}" ]; }
if ! all_installed; then
  "${APT[@]}" update -qq || true
  "${APT[@]}" install -y --no-install-recommends "${PKGS[@]}"
fi

# The paste pipelines live in nova-common / glance-common, whose maintainer scripts we avoid:
# unpack just the two files from the .debs (kept beside this script, git-ignored).
if [ ! -s "$HERE/etc/nova-api-paste.ini" ] || [ ! -s "$HERE/etc/glance-api-paste.ini" ]; then
  tmp=$(mktemp -d)
  chown _apt "$tmp" 2>/dev/null || true   # apt-get download runs as _apt
  ( cd "$tmp" && "${APT[@]}" download nova-common glance-common >/dev/null && for d in *.deb; do dpkg -x "$d" x; done )
  mkdir -p "$HERE/etc"
  cp "$tmp/x/usr/share/nova-common/api-paste.ini" "$HERE/etc/nova-api-paste.ini"
  cp "$tmp/x/usr/share/glance-common/glance-api-paste.ini" "$HERE/etc/glance-api-paste.ini"
  rm -rf "$tmp"
fi
echo "install took $(( $(date +%s) - start )) s"
