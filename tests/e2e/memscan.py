#!/usr/bin/env python3
"""Counts copies of secrets in the writable memory of running processes, as an attacker with a
memory dump would find them (cheaper than gcore): for each PID, every writable mapping in
/proc/PID/maps is read through /proc/PID/mem (ranges the kernel refuses are skipped and counted),
and each needle is searched in UTF-8 and in UTF-16LE. Only pages in RAM or swap are read (from
/proc/PID/pagemap): WebKit reserves tens of GB of address space it never touches, which reads as
zeros and would take minutes. Needles come on stdin, one per line, so they
never appear on a command line; the output names them only by their label.

    printf 'secret\\tS3cr3t\\npassword\\thunter2\\n' | memscan.py PID...

Prints one JSON object: {"PID": {"comm": ..., "readable": bytes, "skipped": ranges,
"counts": {"LABEL": {"utf8": n, "utf16": n}}}}. Reading another process's memory needs ptrace
rights over it (root, or the same user with a dumpable target).
"""
import json
import os
import sys

CHUNK = 1 << 24
PAGE = os.sysconf("SC_PAGE_SIZE")
PRESENT_OR_SWAPPED = (1 << 63) | (1 << 62)


def writable_ranges(pid):
    with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) < 2 or "w" not in fields[1]:
                continue
            # [vvar] and friends cannot be read; writable device mappings are not memory.
            name = fields[5] if len(fields) > 5 else ""
            if name.startswith("/dev/") and not name.startswith("/dev/shm") and not name.startswith("/dev/zero"):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            yield start, end


def populated_runs(pagemap, start, end):
    """The runs [a, b) of pages in start..end that are in RAM or swap (others read as zeros)."""
    run_start = None
    page = start
    per_read = CHUNK // 8
    while page < end:
        pages = min(per_read, (end - page) // PAGE)
        pagemap.seek((page // PAGE) * 8)
        entries = pagemap.read(pages * 8)
        if len(entries) < pages * 8:
            raise OSError("short pagemap read")
        if entries.count(0) == len(entries):
            # Nothing here was ever touched: the usual case for reserved address space.
            if run_start is not None:
                yield run_start, page
                run_start = None
        else:
            for i, entry in enumerate(memoryview(entries).cast("Q")):
                at = page + i * PAGE
                if entry & PRESENT_OR_SWAPPED:
                    if run_start is None:
                        run_start = at
                elif run_start is not None:
                    yield run_start, at
                    run_start = None
        page += pages * PAGE
    if run_start is not None:
        yield run_start, end


def count(haystack, needle):
    n, at = 0, haystack.find(needle)
    while at != -1:
        n += 1
        at = haystack.find(needle, at + 1)
    return n


def scan(pid, needles):
    patterns = {label: {"utf8": value.encode("utf-8"), "utf16": value.encode("utf-16-le")} for label, value in needles}
    counts = {label: {"utf8": 0, "utf16": 0} for label, _ in needles}
    longest = max((len(p) for enc in patterns.values() for p in enc.values()), default=1)
    readable = 0
    skipped = 0
    with open(f"/proc/{pid}/comm", encoding="utf-8") as f:
        comm = f.read().strip()
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem, open(f"/proc/{pid}/pagemap", "rb", buffering=0) as pagemap:
        runs = [run for start, end in writable_ranges(pid) for run in populated_runs(pagemap, start, end)]
        for start, end in runs:
            tail = b""
            at = start
            while at < end:
                size = min(CHUNK, end - at)
                try:
                    mem.seek(at)
                    data = mem.read(size)
                except (OSError, OverflowError, ValueError):
                    skipped += 1
                    break
                if not data:
                    skipped += 1
                    break
                readable += len(data)
                # The previous chunk's tail is prepended so a copy across the boundary is found once.
                window = tail + data
                for label, encodings in patterns.items():
                    for enc, pattern in encodings.items():
                        found = count(window, pattern)
                        if tail:
                            found -= count(tail, pattern)
                        counts[label][enc] += found
                tail = window[-(longest - 1):] if longest > 1 else b""
                at += len(data)
    return {"comm": comm, "readable": readable, "skipped": skipped, "counts": counts}


def main():
    pids = [int(a) for a in sys.argv[1:]]
    needles = []
    for line in sys.stdin.read().splitlines():
        if not line:
            continue
        label, sep, value = line.partition("\t")
        if not sep or not value:
            print("memscan: each stdin line is LABEL<TAB>NEEDLE", file=sys.stderr)
            return 2
        needles.append((label, value))
    if not pids or not needles:
        print("usage: printf 'LABEL\\tNEEDLE\\n' | memscan.py PID...", file=sys.stderr)
        return 2
    result = {}
    for pid in pids:
        try:
            result[str(pid)] = scan(pid, needles)
        except OSError as error:
            # Never the needle: only what failed and why.
            result[str(pid)] = {"error": f"{type(error).__name__}: {error.strerror}"}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
