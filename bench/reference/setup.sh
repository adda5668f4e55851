#!/bin/bash
# Installs what the reference benchmark (bench/evacuation-reference.ts) needs: Debian's
# fence_evacuate and the Python libraries it imports (they are only "Suggests" of fence-agents).
# Idempotent: does nothing when everything is there. Run as root on Debian 12.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

PKGS=(fence-agents python3 python3-requests python3-urllib3 python3-novaclient python3-keystoneauth1 python3-keystoneclient)

missing=()
for p in "${PKGS[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" != installed ]; then missing+=("$p"); fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then echo "setup: must run as root" >&2; exit 1; fi
  # A fresh machine may have no package lists yet; refresh when the install cannot find them.
  if ! apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"; then
    apt-get -o DPkg::Lock::Timeout=900 update
    apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"
  fi
fi

[ -x /usr/sbin/fence_evacuate ] || { echo "setup: /usr/sbin/fence_evacuate missing after install" >&2; exit 1; }
# The agent runs under /usr/bin/python3 (its shebang); check its imports there, not a pyenv python3.
/usr/bin/python3 -c 'import requests, urllib3, novaclient.client, keystoneauth1.session, keystoneclient.discover' \
  || { echo "setup: /usr/bin/python3 cannot import the agent's libraries" >&2; exit 1; }
echo "setup: reference fence_evacuate ready" >&2
