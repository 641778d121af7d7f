#!/usr/bin/env python3
"""The CLI's side-by-side with keepassxc-cli (run by `make bench`; prints figures, asserts nothing).

Builds its own inputs in a temp dir, never reaches the network: 10,000 tokens as a CSV (ours) and
as a KeePass XML (KeePassXC's only CLI import), then times, median of RUNS runs each:
  import: `tokenwarden-cli import FILE.csv` into an empty vault  vs  `keepassxc-cli import FILE.xml NEW.kdbx`
  list:   `tokenwarden-cli list --json` of the 10k vault        vs  `keepassxc-cli ls` of the 10k database
and the same commands on one entry, with the same key-derivation settings (our vault directory is
copied from one `init`, so both vaults hold the same Argon2id slot; KeePassXC's import always
writes AES-KDF with its default rounds). That one-entry run is the tool's start-up plus its KDF;
the ratios compare what is left after subtracting it, as the issue's targets are stated.
Wall and CPU (user+sys, from wait4) seconds are both shown: on a busy machine wall time is noisy.
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
RUNS = 5
PASSWORD = "benchmark password"
PROVIDERS = ["github", "gitlab", "slack", "stripe", "openai", "aws", "cloudflare", "vercel"]
TARGETS = {"list": 10.0, "import": 5.0}


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
    """Runs argv to completion: (wall s, CPU s of the child, stdout bytes). Stops on a failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(argv, input=stdin, capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout


def median(xs):
    return sorted(xs)[len(xs) // 2]


def series(make_run):
    """RUNS timings of make_run() -> (wall, cpu); medians of each."""
    samples = [make_run() for _ in range(RUNS)]
    return median([s[0] for s in samples]), median([s[1] for s in samples])


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
            e.update(TOKENWARDEN_VAULT=vault, TOKENWARDEN_PASSWORD_FILE=password_file)
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

        def our_import(csv, keep=None):
            vault = fresh_vault()
            wall, cpu, _ = timed([ours, "--no-keyring", "import", csv], env(vault))
            if keep is not None:
                keep.append(vault)
            else:
                shutil.rmtree(vault)
            return wall, cpu

        kept10k, kept1 = [], []
        ours_import = series(lambda: our_import(csv10k, kept10k if not kept10k else None))
        ours_import1 = series(lambda: our_import(csv1, kept1 if not kept1 else None))
        ours_list = series(lambda: timed([ours, "--no-keyring", "list", "--json"], env(kept10k[0]))[:2])
        ours_list1 = series(lambda: timed([ours, "--no-keyring", "list", "--json"], env(kept1[0]))[:2])
        listed = json.loads(timed([ours, "--no-keyring", "list", "--json"], env(kept10k[0]))[2])
        assert len(listed) == ROWS, f"our list shows {len(listed)} of {ROWS}"

        pw_twice = f"{PASSWORD}\n{PASSWORD}\n".encode()

        def kpx_import(xml, keep=None):
            target = os.path.join(tmp, f"k{next(counter)}.kdbx")
            result = timed([kpx, "import", "-q", "-p", xml, target], stdin=pw_twice)
            if keep is not None:
                keep.append(target)
            else:
                os.remove(target)
            return result[:2]

        k10k, k1 = [], []
        kpx_import10k = series(lambda: kpx_import(xml10k, k10k if not k10k else None))
        kpx_import1 = series(lambda: kpx_import(xml1, k1 if not k1 else None))
        pw = f"{PASSWORD}\n".encode()
        kpx_ls = series(lambda: timed([kpx, "ls", "-q", k10k[0]], stdin=pw)[:2])
        kpx_ls1 = series(lambda: timed([kpx, "ls", "-q", k1[0]], stdin=pw)[:2])
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
    print("baseline = the same command on 1 entry with the same KDF (start-up + KDF), subtracted\n")
    header = f"{'':24}{'10k wall':>10}{'baseline':>10}{'after KDF':>11}{'10k CPU':>10}{'base CPU':>10}{'after':>8}"
    print(header)

    def line(label, big, small):
        after = (big[0] - small[0], big[1] - small[1])
        print(
            f"{label:24}{big[0] * 1000:>8.0f}ms{small[0] * 1000:>8.0f}ms{after[0] * 1000:>9.0f}ms"
            f"{big[1] * 1000:>8.0f}ms{small[1] * 1000:>8.0f}ms{after[1] * 1000:>6.0f}ms"
        )
        return after

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
