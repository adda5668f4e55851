#!/bin/bash
# Builds the RPM with Debian's rpmbuild (package `rpm`), as far as it works off RHEL:
# --nodeps (no RPM database of dependencies here), no debuginfo, no strip.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v rpmbuild >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends rpm >/dev/null
version=$(node -p 'require("./package.json").version')
top=$PWD/build/rpm
rm -rf "$top" && mkdir -p "$top"
rpmbuild -bb --nodeps --quiet --define "_binary_payload w1.gzdio" --define "_topdir $top" --define "_sourcedir $PWD" --define "version $version" \
    packaging/rpm/instance-ha-agents.spec >/dev/null 2>"$top/rpmbuild.log" || { cat "$top/rpmbuild.log" >&2; exit 1; }
find "$top/RPMS" -name '*.rpm'
