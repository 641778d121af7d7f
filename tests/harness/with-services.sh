#!/usr/bin/env bash
# Runs a command inside real desktop services, isolated from the user's own session:
# a fresh Xvfb display, a private D-Bus session, an unlocked gnome-keyring Secret Service,
# a dunst notification daemon and (when installed) a StatusNotifierWatcher for tray icons.
# Fresh XDG dirs every run, so no old keyring can prompt.
#   tests/harness/with-services.sh CMD [ARGS...]
# Inside, TOKENWARDEN_TEST_SERVICES=1 tells tests that these services are there and must work;
# TOKENWARDEN_TEST_TRAY=1 that the StatusNotifierWatcher is too.
set -euo pipefail

if [ -z "${TOKENWARDEN_HARNESS_INNER:-}" ]; then
    work=$(mktemp -d -t tokenwarden-harness.XXXXXX)
    trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
    mkdir -p "$work"/{data,config,cache,runtime}
    chmod 700 "$work/runtime"
    export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
    export XDG_RUNTIME_DIR="$work/runtime"
    # Xvfb picks a free display number itself and tells us which on the given fd.
    exec 5<> <(:)
    Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
    read -r -t 10 display <&5 || { echo "harness: Xvfb did not start" >&2; cat "$work/xvfb.log" >&2; exit 1; }
    export DISPLAY=":$display"
    export TOKENWARDEN_HARNESS_INNER=1 TOKENWARDEN_HARNESS_WORK="$work"
    dbus-run-session -- "$0" "$@"
    exit $?
fi

work="$TOKENWARDEN_HARNESS_WORK"
# Secret Service: a new login keyring, unlocked with a throwaway password.
eval "$(printf '%s' "harness-keyring-password" | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# Notifications.
dunst >"$work/dunst.log" 2>&1 &
for _ in $(seq 1 50); do
    if dbus-send --session --dest=org.freedesktop.DBus --print-reply /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | grep -q true; then
        break
    fi
    sleep 0.1
done
# Tray: with a StatusNotifierWatcher the app's tray icon registers, and tests read and click its
# menu over D-Bus (com.canonical.dbusmenu).
if command -v status-notifier-watcher >/dev/null; then
    status-notifier-watcher >"$work/status-notifier-watcher.log" 2>&1 &
    for _ in $(seq 1 50); do
        if dbus-send --session --dest=org.freedesktop.DBus --print-reply /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.kde.StatusNotifierWatcher 2>/dev/null | grep -q true; then
            export TOKENWARDEN_TEST_TRAY=1
            break
        fi
        sleep 0.1
    done
fi
export TOKENWARDEN_TEST_SERVICES=1
"$@"
