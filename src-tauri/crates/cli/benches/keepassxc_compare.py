#!/usr/bin/env python3
"""The CLI's side-by-side with keepassxc-cli (run by `make bench`; prints figures, asserts nothing).

Builds its own inputs in a temp dir, never reaches the network: 10,000 tokens as a CSV (ours) and
as a KeePass XML (KeePassXC's only CLI import), then times, RUNS runs each:
  import: `tokenwarden-cli import FILE.csv` into an empty vault  vs  `keepassxc-cli import FILE.xml NEW.kdbx`
  list:   `tokenwarden-cli list --json` of the 10k vault        vs  `keepassxc-cli ls` of the 10k database
and the same commands on one entry (the baseline: the tool's start-up, its KDF and one entry's work).
Our vaults are copies of one `init` (the calibrated Argon2id a user gets, never lowered); KeePassXC's
import always writes AES-KDF with its default rounds.

How the key derivation is taken out, the same for both tools in what is left (the work after it):
- Ours: the calibrated Argon2id costs ~0.8 s of CPU and its run-to-run spread (tens of ms) is as large
  as what a 10k `list` costs after it, so subtracting a baseline run's KDF from another run's total
  measured mostly that spread. Each run of ours reports its own KDF (`TOKENWARDEN_REPORT_KDF=1`: the
  CPU and wall time of the Argon2id call, timed on its own thread with the thread's CPU clock), which
  is subtracted from that same run; then the median start-up of the one-entry runs (also without their
  KDF) is subtracted.
- KeePassXC: it cannot report its KDF, so the median of its one-entry runs (start-up + AES-KDF, about
  40 ms of CPU, steady from run to run) is subtracted from each run.
Each figure is the median of RUNS runs, with the spread (min–max) of those runs beside it.
Wall and CPU (user+sys, from wait4) are both shown: on a busy machine wall time is noisy.
The runs are taken in rounds, one run of each of the eight commands a round, so that a slow spell of
the machine falls on both tools alike rather than on one tool's whole series. Every timed run starts
from a quiet disk (`sync` first), and what runs leave behind is deleted only at the end, so no run
pays for writing back or deleting what an earlier one wrote.
Python's standard library only.

usage: keepassxc_compare.py TOKENWARDEN_CLI [KEEPASSXC_CLI]
"""

import base64
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from xml.sax.saxutils import escape

ROWS = 10_000
RUNS = 7
PASSWORD = "benchmark password"
PROVIDERS = ["github", "gitlab", "slack", "stripe", "openai", "aws", "cloudflare", "vercel"]
TARGETS = {"list": 10.0, "import": 5.0}
OUR_KDF_CPU = []  # every run's Argon2id CPU seconds, as our CLI reported them


def rows(count):
    for i in range(count):
        expires = "" if i % 5 == 0 else f"2027-{1 + i % 12:02d}-{1 + i % 28:02d}"
        yield {
            "name": f"service-{i:05} deploy",
            "token": f"tw_bench_{i:08}_Q9xLm2Vb7Zr4",
            "provider": PROVIDERS[i % len(PROVIDERS)],
            "expires": expires,
            "tags": f"squad-{i % 13} ci",
        }


def write_csv(path, count):
    with open(path, "w", encoding="utf-8") as f:
        f.write("name,token,provider,expires,tags\n")
        for r in rows(count):
            f.write(f"{r['name']},{r['token']},{r['provider']},{r['expires']},{r['tags']}\n")


def write_xml(path, count):
    """A KeePass 2 XML export holding the same entries: title, password, tags, expiry."""
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<KeePassFile>')
        f.write("<Meta><Generator>tokenwarden bench</Generator><DatabaseName>bench</DatabaseName></Meta>")
        f.write("<Root><Group><UUID>AAAAAAAAAAAAAAAAAAAAAA==</UUID><Name>Root</Name>")
        for i, r in enumerate(rows(count)):
            b64 = base64.b64encode((i + 1).to_bytes(16, "big")).decode()
            expiry = (
                f"<Times><Expires>True</Expires><ExpiryTime>{r['expires']}T00:00:00Z</ExpiryTime></Times>"
                if r["expires"]
                else "<Times><Expires>False</Expires></Times>"
            )
            f.write(
                f"<Entry><UUID>{b64}</UUID><Tags>{escape(r['tags'].replace(' ', ';'))}</Tags>{expiry}"
                f"<String><Key>Title</Key><Value>{escape(r['name'])}</Value></String>"
                f"<String><Key>UserName</Key><Value>{escape(r['provider'])}</Value></String>"
                f'<String><Key>Password</Key><Value ProtectInMemory="True">{escape(r["token"])}</Value></String>'
                "</Entry>"
            )
        f.write("</Group></Root></KeePassFile>\n")


def timed(argv, env=None, stdin=b""):
    """Runs argv to completion: (wall s, CPU s of the child, stdout bytes, stderr text). Stops on a failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(argv, input=stdin, capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout, proc.stderr.decode(errors="replace")


def without_our_kdf(result):
    """(wall, CPU) of one run of ours minus the KDF that run reported on stderr."""
    wall, cpu, _, stderr = result
    line = next((l for l in stderr.splitlines() if l.startswith("tokenwarden-cli: kdf: ")), None)
    if line is None:
        sys.exit(f"tokenwarden-cli reported no KDF time (TOKENWARDEN_REPORT_KDF=1): {stderr[-400:]}")
    fields = dict(word.split("=", 1) for word in line.split()[2:])
    OUR_KDF_CPU.append(int(fields["cpu_us"]) / 1e6)
    return wall - int(fields["wall_us"]) / 1e6, cpu - int(fields["cpu_us"]) / 1e6


def median(xs):
    return sorted(xs)[len(xs) // 2]


def rounds(make_runs):
    """{name: make_run} -> {name: [(wall, cpu), ...]}: RUNS rounds, each running every make_run once,
    in turn, after a sync (see the module's notes)."""
    results = {name: [] for name in make_runs}
    for _ in range(RUNS):
        for name, make_run in make_runs.items():
            os.sync()
            results[name].append(make_run())
    return results


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    ours = os.path.abspath(sys.argv[1])
    kpx = sys.argv[2] if len(sys.argv) == 3 else "keepassxc-cli"
    if shutil.which(kpx) is None:
        print(f"keepassxc-cli not found ({kpx}): comparison skipped")
        return
    version = subprocess.run([kpx, "--version"], capture_output=True, text=True).stdout.strip()
    tmp = tempfile.mkdtemp(prefix="tw-kpx-bench-")
    try:
        password_file = os.path.join(tmp, "password")
        with open(password_file, "w", encoding="utf-8") as f:
            f.write(PASSWORD + "\n")
        csv10k, csv1 = os.path.join(tmp, "10k.csv"), os.path.join(tmp, "1.csv")
        xml10k, xml1 = os.path.join(tmp, "10k.xml"), os.path.join(tmp, "1.xml")
        write_csv(csv10k, ROWS)
        write_csv(csv1, 1)
        write_xml(xml10k, ROWS)
        write_xml(xml1, 1)

        def env(vault):
            e = dict(os.environ)
            e.update(TOKENWARDEN_VAULT=vault, TOKENWARDEN_PASSWORD_FILE=password_file, TOKENWARDEN_REPORT_KDF="1")
            e.pop("TOKENWARDEN_KDF", None)
            return e

        # One `init` (calibrated Argon2id, as a user gets it); every vault below is a copy of it.
        template = os.path.join(tmp, "template")
        init = subprocess.run(
            [ours, "--no-keyring", "--json", "init"], env=env(template), capture_output=True, text=True
        )
        if init.returncode != 0:
            sys.exit(f"tokenwarden-cli init failed: {init.stderr[-400:]}")
        kdf = json.loads(init.stdout)["kdf"]
        counter = iter(range(1_000_000))

        def fresh_vault():
            path = os.path.join(tmp, f"v{next(counter)}")
            shutil.copytree(template, path)
            return path

        # Every vault and database made is kept until the end (the first of each size is listed).
        kept10k, kept1, k10k, k1 = [], [], [], []

        def our_import(csv, kept):
            vault = fresh_vault()
            kept.append(vault)
            return without_our_kdf(timed([ours, "--no-keyring", "import", csv], env(vault)))

        pw_twice = f"{PASSWORD}\n{PASSWORD}\n".encode()

        def kpx_import(xml, kept):
            target = os.path.join(tmp, f"k{next(counter)}.kdbx")
            kept.append(target)
            return timed([kpx, "import", "-q", "-p", xml, target], stdin=pw_twice)[:2]

        imports = rounds(
            {
                "ours 10k": lambda: our_import(csv10k, kept10k),
                "kpx 10k": lambda: kpx_import(xml10k, k10k),
                "ours 1": lambda: our_import(csv1, kept1),
                "kpx 1": lambda: kpx_import(xml1, k1),
            }
        )
        pw = f"{PASSWORD}\n".encode()
        lists = rounds(
            {
                "ours 10k": lambda: without_our_kdf(timed([ours, "--no-keyring", "list", "--json"], env(kept10k[0]))),
                "kpx 10k": lambda: timed([kpx, "ls", "-q", k10k[0]], stdin=pw)[:2],
                "ours 1": lambda: without_our_kdf(timed([ours, "--no-keyring", "list", "--json"], env(kept1[0]))),
                "kpx 1": lambda: timed([kpx, "ls", "-q", k1[0]], stdin=pw)[:2],
            }
        )
        ours_import, ours_import1 = imports["ours 10k"], imports["ours 1"]
        kpx_import10k, kpx_import1 = imports["kpx 10k"], imports["kpx 1"]
        ours_list, ours_list1, kpx_ls, kpx_ls1 = lists["ours 10k"], lists["ours 1"], lists["kpx 10k"], lists["kpx 1"]
        listed = json.loads(timed([ours, "--no-keyring", "list", "--json"], env(kept10k[0]))[2])
        assert len(listed) == ROWS, f"our list shows {len(listed)} of {ROWS}"
        entries = timed([kpx, "ls", "-q", k10k[0]], stdin=pw)[2].decode().splitlines()
        assert len(entries) >= ROWS, f"keepassxc-cli ls shows {len(entries)} of {ROWS}"
        kpx_kdf = next(
            (
                line.split(":", 1)[1].strip()
                for line in subprocess.run(
                    [kpx, "db-info", "-q", k10k[0]], input=pw, capture_output=True
                )
                .stdout.decode()
                .splitlines()
                if line.startswith("KDF:")
            ),
            "?",
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"tokenwarden-cli vs {version and 'keepassxc-cli ' + version}, {ROWS:,} entries, median of {RUNS} runs")
    print(
        f"KDF: ours Argon2id m={kdf['memory_kib'] // 1024} MiB t={kdf['iterations']} p={kdf['parallelism']} "
        f"(calibrated by init); KeePassXC {kpx_kdf} (its import's default)"
    )
    kdf_ms = sorted(x * 1000 for x in OUR_KDF_CPU)
    print(
        f"our Argon2id, CPU per run as the CLI reported it: median {median(kdf_ms):.0f} ms, "
        f"{kdf_ms[0]:.0f}–{kdf_ms[-1]:.0f} ms over {len(kdf_ms)} runs (subtracted run by run)"
    )
    print("after = each 10k run minus the median 1-entry baseline (ours: both without their own KDF)\n")
    header = f"{'':24}" + f"{'':4}{'10k':>6}{'baseline':>10}{'after':>8}{'  (spread)':<14}" * 2
    print(f"{'':24}{'wall':<42}CPU (user+sys)")
    print(header)

    def line(label, big, small):
        cols = []
        for k in (0, 1):
            base = median([s[k] for s in small])
            afters = sorted(s[k] - base for s in big)
            cols.append((median([s[k] for s in big]), base, median(afters), afters[0], afters[-1]))
        text = "".join(
            f"{b * 1000:>8.0f}ms{base * 1000:>8.0f}ms{a * 1000:>6.0f}ms  ({lo * 1000:.0f}–{hi * 1000:.0f})".ljust(42)
            for b, base, a, lo, hi in cols
        )
        print(f"{label:24}{text}")
        return cols[0][2], cols[1][2]

    rows_out = {}
    rows_out["list"] = (line("tokenwarden-cli list", ours_list, ours_list1), line("keepassxc-cli ls", kpx_ls, kpx_ls1))
    rows_out["import"] = (
        line("tokenwarden-cli import", ours_import, ours_import1),
        line("keepassxc-cli import", kpx_import10k, kpx_import1),
    )
    print()
    for what, (o, k) in rows_out.items():
        ratio = lambda a, b: f"{b / a:.1f}x" if a > 0 else "n/a"
        print(
            f"{what} of 10k, after KDF: ours {ratio(o[0], k[0])} faster wall, {ratio(o[1], k[1])} CPU "
            f"(target ≥ {TARGETS[what]:.0f}x)"
        )

if __name__ == "__main__":
    main()
