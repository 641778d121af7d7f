#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Cross-format fuzzing of import: every fixture under `tests/fixtures/import/`, mutated at random
//! (cut, bytes flipped or inserted, a chunk of another fixture spliced in, a slice duplicated, a byte
//! turned into a delimiter, one of the fixtures' secrets inserted), is read auto-detected and forced
//! into every format. No read may panic, take longer than `CALL_LIMIT`, or put a fixture's secret
//! into an error, an `at` or a problem (a secret inserted where a name belongs is that name).
//!
//! Bounded for CI: `CASES` mutated inputs × 11 reads each, about 15 s for the whole file in a debug
//! build on 2 cores. Memory: the process's peak resident size must stay under `PEAK_MEMORY` (a
//! reader that allocates by a length the file claims would blow through it). Inputs at the limits
//! themselves are not built here (a 64 MiB file, a 256 MiB unpacked archive); where each is tested:
//! - `MAX_FILE_BYTES`: `transfer::read` compares the length before any reader runs (`lib.rs`), and
//!   the CLI and the app compare the file's size before reading it.
//! - `MAX_JSON_DEPTH`: `text::tests::deep_json_is_refused_before_parsing`, and the `deep.json`
//!   fixture through bitwarden, 1PUX and both scanner readers.
//! - XML depth and entity bombs: `keepassxc::tests::nesting_deeper_than_64_is_refused` and
//!   `doctype_is_refused_before_any_entity_is_expanded`.
//! - 1PUX entries, declared size, ratio, and a header that lies about its size:
//!   `onepassword::tests::{too_many_entries_are_refused, declared_size_over_the_limit_is_refused,
//!   zip_bomb_by_ratio_is_refused, a_header_that_lies_about_its_size_is_caught_while_reading}`.
//! - `MAX_FIELD_BYTES` / `MAX_SECRET_BYTES`: `csv_table::tests::an_overlong_field_is_an_error`,
//!   `keepassxc::tests::overlong_fields_are_refused`.
//!
//! The cheap versions of those hostile shapes also run here, through the public `read`, so a
//! change that routes a format around its limit is caught: see `hostile_shapes_fail_fast`.

use proptest::prelude::*;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::{Duration, Instant};
use tokenwarden_formats::{self as transfer, Format, Input, ReadOptions};

/// Far above any real read of these files: hitting it means a hang or a quadratic blow-up. (5 s
/// proved too tight for the multi-MiB hostile shapes in a debug build on two cores shared with a
/// compiler.)
const CALL_LIMIT: Duration = Duration::from_secs(30);
/// Peak resident memory of the whole test process: a few readers at once on inputs of a few MiB
/// need tens of MiB; a reader that trusts a length from the file needs far more.
const PEAK_MEMORY_KIB: u64 = 1 << 20;
/// Mutated inputs per run; each is read 11 times (auto-detected, and forced into every format but
/// the age backup, whose reader needs a passphrase and whose parser is fuzzed upstream). A longer
/// hunt: `FUZZ_IMPORTERS_CASES=20000 cargo test -p tokenwarden-formats --test fuzz_importers`.
const CASES: u32 = 8_000;
/// Bytes a mutation may insert or copy at once: enough to carry a whole secret into a new place.
const MAX_CHUNK: usize = 512;
/// What a byte may be replaced with: the delimiters and quotes the readers' grammars turn on.
const SPECIAL: &[u8] = b"\"<{,\n=\0";
/// Secrets without a known prefix that still look like tokens. Prose passwords ("correct horse
/// battery") are left out on purpose: spliced into a CSV header or an item's title they are
/// indistinguishable from one, and the readers show headers and titles; the reader tests prove
/// that their own reader never echoes them from where they belong.
const UNPREFIXED_SECRETS: &[&str] = &["hunter2-not-a-token"];
/// Token prefixes the fixtures use; the scan takes each prefix with the token text after it.
const SECRET_PREFIXES: &[&str] = &[
    "ghp_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "sk_live_",
    "sk-proj-",
    "hf_",
    "npm_",
    "AKIA",
    "whsec_",
    "recovery-",
];

fn cases() -> u32 {
    std::env::var("FUZZ_IMPORTERS_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(CASES)
}

/// One input the harness mutates.
struct Fixture {
    /// Path below the fixtures folder, for messages and as the file name given to `read`.
    name: String,
    bytes: Vec<u8>,
    /// 1PUX's `export.data`: zipped into an archive (before or after the mutation) when read.
    export_data: bool,
}

struct Corpus {
    fixtures: Vec<Fixture>,
    secrets: Vec<String>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/fixtures/import");
        let mut paths = Vec::new();
        walk(&root, &mut paths);
        paths.sort();
        let fixtures: Vec<Fixture> = paths
            .iter()
            .map(|path| {
                let name = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                let export_data = name.starts_with("1pux/");
                Fixture { name, bytes: std::fs::read(path).unwrap(), export_data }
            })
            .collect();
        assert!(fixtures.len() >= 10, "fixtures not found under {}", root.display());
        let mut secrets: Vec<String> = UNPREFIXED_SECRETS.iter().map(|s| (*s).to_owned()).collect();
        for fixture in &fixtures {
            for secret in scan_secrets(&String::from_utf8_lossy(&fixture.bytes)) {
                if !secrets.contains(&secret) {
                    secrets.push(secret);
                }
            }
        }
        assert!(secrets.len() >= 20, "the secret scan found too little: {secrets:?}");
        Corpus { fixtures, secrets }
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Each known prefix with the token characters that follow it; 16 characters at least, so a
/// prefix that only names a rule (`github-pat`) is not taken for a secret.
fn scan_secrets(text: &str) -> Vec<String> {
    let token_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut found = Vec::new();
    for prefix in SECRET_PREFIXES {
        for (start, _) in text.match_indices(prefix) {
            let preceded_by_token = text[..start].chars().next_back().is_some_and(token_char);
            let len = text[start..].find(|c: char| !token_char(c)).unwrap_or(text.len() - start);
            if !preceded_by_token && len >= 16 {
                found.push(text[start..start + len].to_owned());
            }
        }
    }
    found
}

/// An in-memory 1PUX archive around `export_data`, laid out as 1Password writes one.
fn onepux(export_data: &[u8]) -> Vec<u8> {
    zip_of(&[
        ("export.attributes", br#"{"version":3,"description":"1Password Unencrypted Export"}"#),
        ("export.data", export_data),
        ("files/", b""),
    ])
}

/// A ZIP with the given entries, deflated; a name ending in `/` is a directory.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        if name.ends_with('/') {
            writer.add_directory(*name, options).unwrap();
        } else {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
    }
    writer.finish().unwrap().into_inner()
}

/// The process's peak resident memory so far (`VmHWM`), where the system reports it.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn check_peak_memory() -> Result<(), String> {
    match peak_memory_kib() {
        Some(kib) if kib > PEAK_MEMORY_KIB => Err(format!("the process peaked at {} MiB of memory", kib >> 10)),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate {
        at: usize,
    },
    Flip {
        at: usize,
        mask: u8,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
    /// A chunk of another fixture (which may carry a whole secret into a new place).
    Splice {
        at: usize,
        fixture: usize,
        start: usize,
        len: usize,
    },
    Duplicate {
        start: usize,
        len: usize,
        at: usize,
    },
    Special {
        at: usize,
        byte: usize,
    },
    /// One of the fixtures' secrets, alone: the likeliest way to put a whole secret inside a name,
    /// a date, a header or a key (a fuzzer's dictionary).
    Secret {
        at: usize,
        which: usize,
    },
}

impl Mutation {
    fn apply(&self, bytes: &mut Vec<u8>, corpus: &Corpus) {
        let fixtures = &corpus.fixtures;
        let len = bytes.len();
        match self {
            Mutation::Truncate { at } => bytes.truncate(at % (len + 1)),
            Mutation::Flip { at, mask } if len > 0 => bytes[at % len] ^= mask,
            Mutation::Insert { at, bytes: new } => {
                bytes.splice(at % (len + 1)..at % (len + 1), new.iter().copied());
            }
            Mutation::Splice { at, fixture, start, len: n } => {
                let other = &fixtures[fixture % fixtures.len()].bytes;
                let start = start % other.len().max(1);
                let chunk = other[start..other.len().min(start + n)].to_vec();
                bytes.splice(at % (len + 1)..at % (len + 1), chunk);
            }
            Mutation::Duplicate { start, len: n, at } if len > 0 => {
                let start = start % len;
                let chunk = bytes[start..len.min(start + n)].to_vec();
                bytes.splice(at % (len + 1)..at % (len + 1), chunk);
            }
            Mutation::Special { at, byte } if len > 0 => bytes[at % len] = SPECIAL[byte % SPECIAL.len()],
            Mutation::Secret { at, which } => {
                let secret = corpus.secrets[which % corpus.secrets.len()].as_bytes();
                bytes.splice(at % (len + 1)..at % (len + 1), secret.iter().copied());
            }
            _ => {}
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 1..=u8::MAX).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), any::<usize>(), any::<usize>(), 1..MAX_CHUNK)
            .prop_map(|(at, fixture, start, len)| Mutation::Splice { at, fixture, start, len }),
        (any::<usize>(), 1..MAX_CHUNK, any::<usize>()).prop_map(|(start, len, at)| Mutation::Duplicate {
            start,
            len,
            at
        }),
        (any::<usize>(), any::<usize>()).prop_map(|(at, byte)| Mutation::Special { at, byte }),
        (any::<usize>(), any::<usize>()).prop_map(|(at, which)| Mutation::Secret { at, which }),
    ]
}

/// One fuzz case: which fixture, the mutations, and (for 1PUX) whether the archive is built
/// before the mutations (fuzzing the ZIP reader) or after them (fuzzing `export.data`'s JSON).
#[derive(Debug, Clone)]
struct Case {
    fixture: usize,
    mutations: Vec<Mutation>,
    zip_first: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (any::<usize>(), proptest::collection::vec(mutation(), 1..=4), any::<bool>())
        .prop_map(|(fixture, mutations, zip_first)| Case { fixture, mutations, zip_first })
}

/// The file name and bytes a case reads.
fn build(case: &Case) -> (String, Vec<u8>) {
    let corpus = corpus();
    let fixture = &corpus.fixtures[case.fixture % corpus.fixtures.len()];
    let mut bytes = fixture.bytes.clone();
    if fixture.export_data && case.zip_first {
        bytes = onepux(&bytes);
    }
    for mutation in &case.mutations {
        mutation.apply(&mut bytes, corpus);
    }
    if fixture.export_data && !case.zip_first {
        bytes = onepux(&bytes);
    }
    let name = if fixture.export_data { "1pux/export.1pux".to_owned() } else { fixture.name.clone() };
    (name, bytes)
}

/// Every way the harness reads a file: auto-detected, then forced into each format.
fn formats() -> Vec<Option<Format>> {
    std::iter::once(None).chain(Format::ALL.iter().copied().filter(|f| *f != Format::Backup).map(Some)).collect()
}

/// A secret of the fixtures that `text` contains.
fn leaked<'s>(text: &str, secrets: &'s [String]) -> Option<&'s str> {
    secrets.iter().map(String::as_str).find(|s| text.contains(s))
}

/// Reads `bytes` as `format` and checks what comes back: `Err(description)` on a leak.
fn read_and_check(name: &str, bytes: &[u8], format: Option<Format>) -> Result<(), String> {
    let secrets = &corpus().secrets;
    let label = format.map_or_else(|| "auto".to_owned(), |f| f.to_string());
    match transfer::read(&Input { name, bytes }, format, &ReadOptions::default()) {
        Err(e) => {
            let message = e.to_string();
            match leaked(&message, secrets) {
                Some(secret) => Err(format!("{label}: the error leaks {secret}: {message}")),
                None => Ok(()),
            }
        }
        Ok(batch) => {
            // The name is not checked: a secret the file put where a name belongs is that token's
            // name. `at` quotes names too, but reaches error messages, so it must withhold them.
            for record in &batch.records {
                if let Some(secret) = leaked(&record.at, secrets) {
                    return Err(format!("{label}: a record's `at` leaks {secret}: {}", record.at));
                }
                for problem in &record.problems {
                    if let Some(secret) = leaked(problem, secrets) {
                        return Err(format!("{label}: a problem of {} leaks {secret}: {problem}", record.at));
                    }
                }
            }
            Ok(())
        }
    }
}

/// Reads `bytes` in every format on a worker thread, so a hang fails the test after
/// [`CALL_LIMIT`] instead of stalling CI. A panic in a reader fails it too, naming the format.
fn read_every_way(name: String, bytes: Vec<u8>) -> Result<(), String> {
    let (name, bytes) = (Arc::new(name), Arc::new(bytes));
    let (sender, receiver) = mpsc::channel();
    let worker = {
        let (name, bytes) = (Arc::clone(&name), Arc::clone(&bytes));
        std::thread::spawn(move || {
            for format in formats() {
                let started = Instant::now();
                let checked = read_and_check(&name, &bytes, format);
                if sender.send((format, started.elapsed(), checked)).is_err() {
                    return;
                }
            }
        })
    };
    for expected in formats() {
        let label = expected.map_or_else(|| "auto".to_owned(), |f| f.to_string());
        match receiver.recv_timeout(CALL_LIMIT) {
            Ok((_, took, _)) if took > CALL_LIMIT => {
                return Err(format!("{name} read as {label} took {took:?} ({} bytes)", bytes.len()));
            }
            Ok((_, _, checked)) => checked.map_err(|e| format!("{name}: {e}"))?,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // The worker is left running; the test binary's exit ends it.
                return Err(format!("{name} read as {label} did not return within {CALL_LIMIT:?}"));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let panic = worker.join().err().map(|p| panic_text(&*p)).unwrap_or_default();
                return Err(format!("{name} read as {label} panicked: {panic}"));
            }
        }
    }
    Ok(())
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned())
}

#[test]
fn the_corpus_covers_every_format_and_its_secrets() {
    let corpus = corpus();
    for dir in ["1password-csv", "1pux", "bitwarden", "csv", "env", "gitleaks", "keepassxc-csv", "keepassxc-xml"] {
        assert!(corpus.fixtures.iter().any(|f| f.name.starts_with(&format!("{dir}/"))), "no fixture in {dir}");
    }
    for secret in ["ghp_Zx8Kq2Lm4Np6Rs8Tv0Wx2Yz4Ab6Cd8Ef0Gh2", "glpat-Ab3dEf5hIj7lMn9pQr1t", "AKIAx6kwXoIIXGvOoNZY"] {
        assert!(corpus.secrets.iter().any(|s| s == secret), "{secret} not found by the scan");
    }
    assert!(!corpus.secrets.iter().any(|s| s.starts_with("github-")), "a rule name was taken for a secret");
}

#[test]
fn unmutated_fixtures_read_every_way_without_panic_hang_or_leak() {
    for fixture in &corpus().fixtures {
        let bytes = if fixture.export_data { onepux(&fixture.bytes) } else { fixture.bytes.clone() };
        read_every_way(fixture.name.clone(), bytes).unwrap();
    }
}

#[test]
fn hostile_shapes_fail_fast() {
    let deep_json = "[".repeat(200_000);
    let deep_xml = format!("<KeePassFile>{}", "<a>".repeat(200_000));
    let deep_line = format!("{{\"DetectorName\":\"x\",\"Raw\":{}\n", "[".repeat(200_000));
    let long_quote = format!("name,token\na,\"{}", "x".repeat(1 << 20));
    let long_env = format!("A_TOKEN=\"{}", "\\".repeat(1 << 20));
    // A 3 MiB export.data of spaces deflates to a few KiB: past the ratio limit, refused by its header.
    let mut spaces = br#"{"accounts": []}"#.to_vec();
    spaces.resize(3 << 20, b' ');
    let bomb = onepux(&spaces);
    // The same archive claiming 100 bytes in both headers: caught while unpacking, at the ratio limit.
    let mut liar = zip_of(&[("export.data", &spaces)]);
    let central = liar.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    liar[22..26].copy_from_slice(&100u32.to_le_bytes());
    liar[central + 24..central + 28].copy_from_slice(&100u32.to_le_bytes());
    let err = transfer::read(&Input { name: "liar.1pux", bytes: &liar }, None, &ReadOptions::default()).err();
    assert!(err.is_some_and(|e| e.to_string().contains("more than its header says")));
    for (name, bytes) in [
        ("deep.json", deep_json.into_bytes()),
        ("deep.xml", deep_xml.into_bytes()),
        ("deep.jsonl", deep_line.into_bytes()),
        ("quote.csv", long_quote.into_bytes()),
        ("quote.env", long_env.into_bytes()),
        ("bomb.1pux", bomb),
        ("liar.1pux", liar),
    ] {
        read_every_way(name.to_owned(), bytes).unwrap();
    }
    check_peak_memory().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 2048, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_never_panic_hang_or_leak_a_secret(case in case()) {
        let (name, bytes) = build(&case);
        read_every_way(name, bytes).map_err(TestCaseError::fail)?;
        check_peak_memory().map_err(TestCaseError::fail)?;
    }
}
