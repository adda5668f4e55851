#!/bin/bash
# Builds build/instance-ha-agents_<version>_amd64.deb with dpkg-deb from `make install`.
# No debhelper: dh_strip / dh_dwz would strip the single executable, which breaks it.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(node -p 'require("./package.json").version')
root=build/deb/root
rm -rf build/deb && mkdir -p "$root/DEBIAN"
make -s install DESTDIR="$PWD/$root"
size=$(du -sk "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" packaging/debian/control.in > "$root/DEBIAN/control"
install -m 0755 packaging/debian/preinst packaging/debian/postrm "$root/DEBIAN/"
deb=build/instance-ha-agents_${version}_amd64.deb
dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$deb" >/dev/null
echo "$deb"
