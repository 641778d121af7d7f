#!/usr/bin/env bash
# Installs the .deb that `make package` built, checks what a user of it gets, and removes it again:
# the app on PATH, tokenwarden-cli and tokenwarden-tray on PATH and runnable, a .desktop entry and
# the tray's autostart entry that desktop-file-validate accepts, the icon at every size, and nothing
# of it left after `dpkg -r`. Needs root (dpkg).
# Usage: tests/package/check-deb.sh DIR   (DIR holds the .deb, e.g. target/debug/bundle/deb)
set -euo pipefail

dir=${1:?the folder holding the .deb}
shopt -s nullglob
debs=("$dir"/*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "expected one .deb in $dir, found ${#debs[@]}" >&2; exit 1; }
deb=${debs[0]}
package=$(dpkg-deb --field "$deb" Package)
fail() { echo "package check: $*" >&2; exit 1; }

if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
  fail "$package is already installed on this machine: not touching it"
fi
dpkg -i "$deb" >/dev/null
trap 'dpkg -r "$package" >/dev/null 2>&1 || true' EXIT

installed=$(dpkg -L "$package")
[ -x /usr/bin/tokenwarden ] || fail "no /usr/bin/tokenwarden"
version=$(/usr/bin/tokenwarden-cli --version) || fail "tokenwarden-cli --version failed"
[[ $version == tokenwarden-cli\ * ]] || fail "tokenwarden-cli --version said: $version"

tray_version=$(/usr/bin/tokenwarden-tray --version 2>&1) || fail "tokenwarden-tray --version failed"
[[ $tray_version == tokenwarden-tray\ * ]] || fail "tokenwarden-tray --version said: $tray_version"
autostart=/etc/xdg/autostart/tokenwarden-tray.desktop
grep -qx "$autostart" <<<"$installed" || fail "no $autostart"
desktop-file-validate "$autostart" || fail "$autostart does not validate"
grep -q '^Exec=tokenwarden-tray' "$autostart" || fail "$autostart does not start tokenwarden-tray"

desktop=$(grep '^/usr/share/applications/.*\.desktop$' <<<"$installed") || fail "no .desktop entry"
desktop-file-validate "$desktop" || fail "$desktop does not validate"
# Started with the allocator settings the app would otherwise re-execute itself to get (the core's
# wiping_allocator module), which spares it loading GTK and WebKit twice, and the library order
# that links it faster (the core's window_preload module).
grep -qx 'Exec=env Malloc=1 GLIBC_TUNABLES=glibc.malloc.perturb=165:glibc.malloc.tcache_count=0:glibc.malloc.mmap_threshold=131072 LD_PRELOAD=libflite_cmu_time_awb.so.1 tokenwarden' "$desktop" ||
  fail "$desktop does not start tokenwarden with its wiping allocators: $(grep '^Exec=' "$desktop")"

for size in 16x16 24x24 32x32 48x48 64x64 128x128 256x256 512x512; do
  grep -q "^/usr/share/icons/hicolor/$size/apps/tokenwarden\.png$" <<<"$installed" ||
    fail "no $size icon"
done

dpkg -r "$package" >/dev/null
trap - EXIT
for path in /usr/bin/tokenwarden /usr/bin/tokenwarden-cli /usr/bin/tokenwarden-tray "$autostart" "$desktop"; do
  [ ! -e "$path" ] || fail "$path is still there after dpkg -r"
done
echo "package check: $(basename "$deb") installs, runs ($version), validates and removes cleanly"
