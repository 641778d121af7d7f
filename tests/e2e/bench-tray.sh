#!/usr/bin/env bash
# The tray process's idle memory: tokenwarden-tray alone (no window), serving a vault's reminder
# index, measured as the PSS of its whole process tree once its menu is up and it has settled.
# Runs inside tests/harness/with-services.sh (D-Bus, keyring, status-notifier-watcher).
#   tests/e2e/bench-tray.sh TRAY_BIN VAULT_DIR
set -euo pipefail
tray=$1
vault=$(realpath "$2")
runtime=$(mktemp -d -t tokenwarden-bench-tray.XXXXXX)
chmod 700 "$runtime"
XDG_RUNTIME_DIR="$runtime" TOKENWARDEN_APP_BIN=/bin/false "$tray" --vault "$vault" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$runtime"' EXIT

# The socket's name comes from the vault's path (core/src/channel: sha256, first 16 hex digits).
socket="$runtime/tokenwarden/tray-$(printf '%s' "$vault" | sha256sum | cut -c1-16).sock"
menu_has_tokens() {
    gdbus call --session --timeout 5 --dest "org.kde.StatusNotifierItem-$pid-1" --object-path /MenuBar \
        --method com.canonical.dbusmenu.GetLayout -- 0 -1 '[]' 2>/dev/null | grep -q ' — '
}
for _ in $(seq 1 600); do
    [ -S "$socket" ] && menu_has_tokens && break
    kill -0 $pid 2>/dev/null || { echo "bench-tray: the tray exited" >&2; exit 1; }
    sleep 0.1
done
menu_has_tokens || { echo "bench-tray: the tray menu never listed the tokens" >&2; exit 1; }

tree_pss_kib() {
    local total=0 p
    for p in $(pstree -p "$pid" | grep -o '([0-9]*)' | tr -d '()'); do
        total=$((total + $(awk '/^Pss:/ {s += $2} END {print s + 0}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
# Idle: after the first pass, a few samples a second apart; the last one is reported.
for _ in 1 2 3 4 5; do
    sleep 1
    kib=$(tree_pss_kib)
done
# Idle CPU: the kernel's count of time on a CPU (schedstat, nanoseconds; every thread) over 20 quiet
# seconds.
cpu_ns() { cat /proc/"$pid"/task/*/schedstat | awk '{s += $1} END {printf "%d\n", s}'; }
before=$(cpu_ns)
sleep 20
after=$(cpu_ns)
idle_ms_per_min=$(( (after - before) * 3 / 1000000 ))
entries=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["entries"]))' "$vault/reminders.idx" 2>/dev/null || echo "?")
printf 'tray idle, window closed (%s index entries): %d.%d MiB PSS, whole process tree (target <= 60 MiB)\n' \
    "$entries" $((kib / 1024)) $(((kib % 1024) * 10 / 1024))
printf 'tray idle CPU: %d ms a minute (%s%% of a core), measured over 20 s\n' "$idle_ms_per_min" \
    "$(awk -v ms="$idle_ms_per_min" 'BEGIN {printf "%.3f", ms / 600}')"
