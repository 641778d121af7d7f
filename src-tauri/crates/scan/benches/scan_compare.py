#!/usr/bin/env python3
"""The scan bench's comparison (run by `make bench`; prints figures, asserts nothing).

Scans the generated tree (examples/bench_tree.rs) with our scanner, ripsecrets and detect-secrets,
one after the other on a warm page cache, and prints for each: wall seconds, CPU seconds, files/s,
MB/s (on wall time), MB per CPU second, peak RSS (of the tool's largest process, from wait4), how many planted tokens
it found (a finding on the planted line) and named (the right provider), how many near-miss lines
it flagged and attributed to a provider, and its other findings. Python's standard library only.

detect-secrets runs about a thousand times slower than the others, so by default it scans a tenth
of the tree (the folders pkg00 to pkg04: a tenth of the files, bytes, planted tokens and
near-misses) and its row says so; SCAN_BENCH_FULL=1 has it scan the whole tree (about half an hour
on two cores).

usage: scan_compare.py TREE MANIFEST OURS RIPSECRETS DETECT_SECRETS
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

# detect-secrets' finding types that name a provider of our catalog.
DETECT_SECRETS_NAMES = {
    "github": "github",
    "gitlab": "gitlab",
    "aws": "aws",
    "slack": "slack",
    "stripe": "stripe",
    "sendgrid": "sendgrid",
    "openai": "openai",
    "twilio": "twilio",
}


def load_manifest(path):
    planted, near = {}, {}
    with open(path, encoding="utf-8") as f:
        for row in f:
            kind, rel, line, what = row.rstrip("\n").split("\t")
            (planted if kind == "planted" else near)[(rel, int(line))] = what
    return planted, near


def warm(tree):
    """Reads every file once; returns {top-level folder: (files, bytes)}."""
    sizes = {}
    for root, _dirs, names in os.walk(tree):
        top = os.path.relpath(root, tree).split(os.sep)[0]
        files, total = sizes.get(top, (0, 0))
        for name in names:
            with open(os.path.join(root, name), "rb") as f:
                total += len(f.read())
            files += 1
        if files:
            sizes[top] = (files, total)
    return sizes


def run(argv, cwd):
    """Runs argv with stdout to a temp file; returns (stdout text, wall s, cpu s, peak RSS MB)."""
    with tempfile.TemporaryFile() as out:
        start = time.monotonic()
        child = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
        _pid, _status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - start
        child.returncode = 0
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return text, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def ours(text):
    """(rel, line) -> provider or None, from `bench_tree scan` lines: path, line, provider, certainty."""
    found = {}
    for row in text.splitlines():
        rel, line, provider, certainty = row.split("\t")
        name = provider if provider != "-" and certainty == "likely" else None
        found[(rel, int(line))] = found.get((rel, int(line))) or name
    return found


def ripsecrets(text, tree):
    """ripsecrets prints matching lines like grep: `path:line:text`. It names no provider."""
    found = {}
    for row in text.splitlines():
        m = re.match(r"^(.*?):(\d+):", row)
        if m:
            found[(os.path.relpath(m.group(1), tree), int(m.group(2)))] = None
    return found


def detect_secrets(text):
    found = {}
    for rel, results in json.loads(text).get("results", {}).items():
        for r in results:
            kind = r.get("type", "").lower()
            name = next((p for k, p in DETECT_SECRETS_NAMES.items() if k in kind), None)
            key = (rel, int(r["line_number"]))
            found[key] = found.get(key) or name
    return found


def main():
    tree, manifest, our_bin, ripsecrets_bin, detect_secrets_bin = sys.argv[1:6]
    tree = os.path.abspath(tree)
    our_bin, ripsecrets_bin, detect_secrets_bin = map(os.path.abspath, (our_bin, ripsecrets_bin, detect_secrets_bin))
    planted_all, near_all = load_manifest(manifest)
    t = time.monotonic()
    sizes = warm(tree)
    files, total = map(sum, zip(*sizes.values()))
    print(f"tree: {files} files, {total / 1e6:.0f} MB, {len(planted_all)} planted tokens, {len(near_all)} near-misses "
          f"(page cache warmed in {time.monotonic() - t:.1f} s; {os.cpu_count()} cores)")
    share = sorted(sizes) if os.environ.get("SCAN_BENCH_FULL") == "1" else [f"pkg{i:02}" for i in range(5)]
    everything = (None, files, total)
    part = (share, sum(sizes[d][0] for d in share), sum(sizes[d][1] for d in share))
    tools = [
        ("tokenwarden-scan", [our_bin, "scan", tree], everything, ours),
        ("ripsecrets", [ripsecrets_bin, tree], everything, lambda s: ripsecrets(s, tree)),
        ("detect-secrets", [detect_secrets_bin, "scan", "--all-files", *share], part, detect_secrets),
    ]
    header = (f"{'tool':<17}{'wall s':>8}{'cpu s':>8}{'files/s':>9}{'MB/s':>8}{'MB/cpu-s':>9}{'RSS MB':>8}"
              f"{'found':>9}{'named':>9}{'near: flagged':>15}{'attributed':>12}{'other':>7}")
    rows = []
    notes = []
    for name, argv, (dirs, files, total), parse in tools:
        mb = total / 1e6
        load = os.getloadavg()[0]
        text, wall, cpu, rss = run(argv, tree)
        found = parse(text)
        planted_here = {k: v for k, v in planted_all.items() if dirs is None or k[0].split("/")[0] in dirs}
        near_here = {k: v for k, v in near_all.items() if dirs is None or k[0].split("/")[0] in dirs}
        planted, near = planted_here, near_here
        if dirs is not None and len(dirs) < len(sizes):
            notes.append(f"{name} scanned {len(dirs)} of {len(sizes)} folders ({files} files, {mb:.0f} MB); "
                         "SCAN_BENCH_FULL=1 scans the whole tree")
        hit = [k for k in planted if k in found]
        named = [k for k in hit if found[k] == planted[k]]
        flagged = [k for k in near if k in found]
        attributed = [k for k in flagged if found[k]]
        other = len([k for k in found if k not in planted and k not in near])
        named_text = f"{len(named)}/{len(planted)}" if name != "ripsecrets" else "n/a"
        rows.append(
            f"{name:<17}{wall:>8.1f}{cpu:>8.1f}{files / wall:>9.0f}{mb / wall:>8.1f}{mb / cpu:>9.1f}{rss:>8.0f}"
            f"{len(hit):>5}/{len(planted):<3}{named_text:>9}{len(flagged):>11}/{len(near):<3}"
            f"{len(attributed):>12}{other:>7}"
        )
        print(f"  {name} done in {wall:.1f} s (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)",
              flush=True)
        missed = sorted({planted[k] for k in planted if k not in named})
        if name == "tokenwarden-scan" and missed:
            notes.append(f"{name} did not name: {', '.join(missed)}")
    print(header)
    for row in rows:
        print(row)
    for note in notes:
        print(note)
    print("found: a finding on a planted token's line; named: with the right provider (ripsecrets names none);")
    print("near: near-miss lines flagged at all / attributed to a provider; other: findings on filler lines.")
    print("tokenwarden-scan counts only `likely` findings as named or attributed; `possible` ones are flagged.")
    print("MB/s is on wall time and shares the cores with whatever else runs (see the load averages);")
    print("MB/cpu-s is per second of CPU the tool used, all its threads and processes together.")


if __name__ == "__main__":
    main()
