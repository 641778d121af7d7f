//! The scan bench's two halves (`make bench` runs them through `benches/scan_compare.py`):
//!
//! - `bench_tree generate DIR [FILES] [MEGABYTES]` writes a deterministic tree of source-like text
//!   (50,000 files, 500 MB by default) with a few hundred planted tokens of every catalog format and
//!   as many near-misses, each on its own line, and `DIR.manifest.tsv` saying where each lies
//!   (`planted|near-miss`, path, line, provider or why it is no token). The manifest holds no value.
//! - `bench_tree scan DIR` scans it with this crate (as `tokenwarden-cli scan` does) and prints one
//!   tab-separated line per candidate: path, line, provider (or `-`), `likely|possible`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/samples/mod.rs"]
mod samples;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use samples::{Rng, FORMATS};
use tokenwarden_scan::{scan, Certainty, ScanOptions};

const WORDS: &[&str] = &[
    "let",
    "const",
    "return",
    "if",
    "else",
    "for",
    "while",
    "match",
    "self",
    "fn",
    "def",
    "class",
    "import",
    "from",
    "async",
    "await",
    "value",
    "result",
    "config",
    "request",
    "response",
    "handler",
    "buffer",
    "index",
    "count",
    "total",
    "name",
    "path",
    "options",
    "error",
    "context",
    "session",
    "user",
    "account",
    "amount",
    "status",
    "message",
    "payload",
    "timeout",
    "retry",
    "client",
    "server",
    "cache",
    "entry",
    "items",
    "length",
    "update_record",
    "parse_header",
    "compute_checksum",
    "load_settings",
    "render_template",
    "connection_pool",
    "serialize_response",
    "validate_input_fields",
    "MAX_RETRIES",
    "DEFAULT_TIMEOUT_MS",
    "HttpClientBuilder",
    "token",
    "secret",
    "password",
    "auth",
    "key",
];

const COMMENTS: &[&str] = &[
    "// TODO: handle the error path once the upstream API settles",
    "# The retry budget is shared between every request of a session.",
    "/* Keep this in sync with the schema in migrations/0004_accounts.sql */",
    "// NOTE: the cache is invalidated on every write to the accounts table",
    "# See the design notes for why the buffer is reused between calls.",
];

const EXTENSIONS: &[&str] = &["rs", "py", "js", "ts", "go", "java", "md", "yaml", "json", "toml", "sh", "txt"];

/// Where a token or near-miss is put on its line, as people write them.
const CONTEXTS: &[(&str, &str)] = &[
    ("export API_TOKEN=", ""),
    ("    token: \"", "\""),
    ("const apiKey = '", "';"),
    ("curl -H \"Authorization: Bearer ", "\" https://api.example.test/v1/me"),
    ("    \"credential\": \"", "\","),
    ("client = Client(key=\"", "\")"),
    ("# old value ", " (rotated)"),
];

/// One line of source-like text (no newline).
fn filler_line(rng: &mut Rng, out: &mut String) {
    match rng.below(20) {
        0 => out.push_str(rng.pick(COMMENTS)),
        1 => out.push_str(""),
        2 => {
            // A commit hash or a lockfile checksum, as real trees are full of them.
            out.push_str("    \"integrity\": \"sha1-");
            out.push_str(&rng.string(samples::HEX, 40));
            out.push_str("\",");
        }
        3 => {
            out.push_str("    id = \"");
            out.push_str(&samples::uuid(rng));
            out.push('"');
        }
        _ => {
            let indent = rng.below(4) * 4;
            out.extend(std::iter::repeat_n(' ', indent));
            let words = rng.between(3, 12);
            for i in 0..words {
                if i > 0 {
                    out.push_str(rng.pick(&[" ", " = ", ".", "(", ", ", ") ", " + ", "::"]));
                }
                if rng.below(8) == 0 {
                    out.push_str(&rng.below(100_000).to_string());
                } else {
                    out.push_str(rng.pick(WORDS));
                }
            }
            out.push_str(rng.pick(&[";", "", ":", " {", ")"]));
        }
    }
}

fn generate(dir: &Path, files: usize, megabytes: usize) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Rng::new(0x70_6b_65_6e);
    let target_bytes = megabytes * 1024 * 1024;
    let mean = target_bytes / files;
    // Every 100th file holds a planted token, every 100th (offset by 50) a near-miss: 500 of each on 50,000 files.
    let near = samples::near_misses(&mut Rng::new(7));
    let mut manifest = String::new();
    let (mut planted, mut near_count, mut written) = (0usize, 0usize, 0usize);
    let mut text = String::with_capacity(mean * 4);
    for i in 0..files {
        let relative = PathBuf::from(format!(
            "pkg{:02}/mod{:02}/file{i:05}.{}",
            (i * 50 / files) % 50,
            (i / 50) % 20,
            EXTENSIONS[i % 12]
        ));
        let size = rng.between(mean / 4, mean * 7 / 4);
        text.clear();
        let mut lines = 0;
        let mut special: Option<(usize, String, String)> = None;
        if i % 100 == 0 || i % 100 == 50 {
            let (what, value) = if i % 100 == 0 {
                let format = &FORMATS[planted % FORMATS.len()];
                planted += 1;
                (format.provider.to_owned(), samples::sample(format, &mut rng))
            } else {
                let (why, value) = &near[near_count % near.len()];
                near_count += 1;
                (why.to_string(), value.clone())
            };
            let (before, after) = rng.pick(CONTEXTS);
            special = Some((rng.below(size / 60 + 1), what, format!("{before}{value}{after}")));
        }
        while text.len() < size {
            if let Some((at, what, line)) = &special {
                if lines == *at {
                    let kind = if i % 100 == 0 { "planted" } else { "near-miss" };
                    manifest.push_str(&format!("{kind}\t{}\t{}\t{what}\n", relative.display(), lines + 1));
                    text.push_str(line);
                    text.push('\n');
                    lines += 1;
                    special = None;
                    continue;
                }
            }
            filler_line(&mut rng, &mut text);
            text.push('\n');
            lines += 1;
        }
        if let Some((_, what, line)) = special.take() {
            let kind = if i % 100 == 0 { "planted" } else { "near-miss" };
            manifest.push_str(&format!("{kind}\t{}\t{}\t{what}\n", relative.display(), lines + 1));
            text.push_str(&line);
            text.push('\n');
        }
        let path = dir.join(&relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text.as_bytes()).unwrap();
        written += text.len();
    }
    let manifest_path = PathBuf::from(format!("{}.manifest.tsv", dir.display()));
    std::fs::write(&manifest_path, manifest).unwrap();
    eprintln!(
        "generated {files} files, {:.0} MB, {planted} planted tokens, {near_count} near-misses in {}",
        written as f64 / 1e6,
        dir.display()
    );
}

fn scan_tree(dir: &Path) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let stats = scan(&[dir.to_owned()], &ScanOptions::default(), &AtomicBool::new(false), |c| {
        let relative = c.path.strip_prefix(dir).unwrap_or(&c.path);
        let provider = c.detection.as_ref().map_or("-", |d| d.provider.as_str());
        let certainty = if c.certainty == Certainty::Likely { "likely" } else { "possible" };
        writeln!(out, "{}\t{}\t{provider}\t{certainty}", relative.display(), c.line).unwrap();
    })
    .unwrap();
    out.flush().unwrap();
    eprintln!("{stats:?}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") => {
            let files = args.get(3).map_or(50_000, |s| s.parse().unwrap());
            let megabytes = args.get(4).map_or(500, |s| s.parse().unwrap());
            generate(Path::new(&args[2]), files, megabytes);
        }
        Some("scan") => scan_tree(Path::new(&args[2])),
        _ => {
            eprintln!("usage: bench_tree generate DIR [FILES] [MEGABYTES] | bench_tree scan DIR");
            std::process::exit(2);
        }
    }
}
