//! SQLCipher's memory security is left off only in a process under the wiping allocator, and
//! there a secret and a password that went through an import are not left in freed heap memory.
//!
//! This test runs itself again as a child (no libtest harness, so the work runs on the main thread
//! and its memory is the `[heap]` and anonymous mappings): the child creates a vault, imports a CSV
//! that the parent wrote, drops everything but the token list, says "ready" and waits. The parent
//! reads the child's writable heap mappings through `/proc/PID/mem` (as tests/e2e/memscan.py does)
//! and counts the needles (the secret, its tail, the password, a note); a name the child still holds must be found, so the reading is proven to
//! work. Stacks are not heap and are left out. Once under the glibc tunables the app and the CLI
//! re-execute with, once without them (then the child must report memory security ON).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const CHILD: &str = "TOKENWARDEN_TEST_WIPED_HEAP_CHILD";
/// As the app re-executes (`Lifetime::LongRunning`), and as the CLI does (`OneCommand`: freed heap kept).
const WIPING_TUNABLES: [&str; 2] = [
    "glibc.malloc.perturb=165:glibc.malloc.tcache_count=0",
    "glibc.malloc.perturb=165:glibc.malloc.tcache_count=0:glibc.malloc.trim_threshold=268435456",
];
const NAME: &str = "heap canary, still listed";
const TEST: &str = "freed_heap_holds_no_imported_secret_and_memory_security_follows_the_allocator";

fn main() {
    if let Some(dir) = std::env::var_os(CHILD) {
        child(Path::new(&dir));
        return;
    }
    // `cargo test -p tokenwarden-core somefilter` passes the filter here too.
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    if !filters.is_empty() && !filters.iter().any(|f| TEST.contains(f.as_str())) {
        return;
    }
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        println!("test {TEST} ... ignored (glibc only)");
        return;
    }
    under_the_wiping_allocator_memory_security_is_off_and_freed_heap_holds_no_secret();
    without_the_wiping_allocator_memory_security_stays_on();
    println!("test {TEST} ... ok");
}

struct Run {
    memory_security: String,
    wiped: String,
    counts: Vec<(&'static str, usize)>,
}

/// Writes the CSV and the password file, starts the child, scans its heap once it is ready.
fn run_child(tunables: Option<&str>) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let unique = format!("{nanos:032x}{:08x}", std::process::id());
    let secret = format!("ghp_HeapCanary{unique}");
    let password = format!("heap password {}", &unique[..16]);
    // The note is not secret, but unlike the secret it also goes through plain Strings that are
    // freed unwiped and through the vault's decrypted pages: the allocator alone must clear it.
    let note = format!("heap canary note {unique}");
    let mut csv = String::from("name,token,provider,notes\n");
    for i in 0..40 {
        csv.push_str(&format!("filler {i},tw_filler_{i:04}_{unique},generic,\n"));
    }
    csv.push_str(&format!("\"{NAME}\",{secret},github,{note}\n"));
    std::fs::write(dir.path().join("import.csv"), csv).unwrap();
    std::fs::write(dir.path().join("password"), &password).unwrap();

    let mut command = Command::new(std::env::current_exe().unwrap());
    command.env(CHILD, dir.path()).env_remove("GLIBC_TUNABLES").env_remove("TOKENWARDEN_WIPING_ALLOCATORS");
    if let Some(t) = tunables {
        command.env("GLIBC_TUNABLES", t);
    }
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut said = std::collections::HashMap::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line == "ready" {
            break;
        }
        if let Some((k, v)) = line.split_once('=') {
            said.insert(k.to_owned(), v.to_owned());
        }
    }
    assert!(said.contains_key("memory_security"), "the child stopped before it was ready: {said:?}");
    let needles: [(&'static str, String); 6] = [
        ("note-tail", note[note.len() - 24..].to_owned()),
        ("note", note),
        ("secret", secret.clone()),
        ("secret-tail", secret[secret.len() - 16..].to_owned()),
        ("password", password.clone()),
        ("listed-name", NAME.to_owned()),
    ];
    let counts = scan_heap(child.id(), &needles);
    child.stdin.take().unwrap().write_all(b"done\n").unwrap();
    assert!(child.wait().unwrap().success(), "the child failed");
    Run { memory_security: said["memory_security"].clone(), wiped: said["wiped"].clone(), counts }
}

fn under_the_wiping_allocator_memory_security_is_off_and_freed_heap_holds_no_secret() {
    for tunables in WIPING_TUNABLES {
        under_these_tunables_memory_security_is_off_and_freed_heap_holds_no_secret(tunables);
    }
}

fn under_these_tunables_memory_security_is_off_and_freed_heap_holds_no_secret(tunables: &str) {
    let run = run_child(Some(tunables));
    assert_eq!(run.wiped, "true", "the core did not see the wiping allocator");
    assert_eq!(run.memory_security, "0", "memory security was turned on under the wiping allocator");
    let count = |label: &str| run.counts.iter().find(|(l, _)| *l == label).unwrap().1;
    assert!(count("listed-name") >= 1, "the scan did not find a name the child still holds: {:?}", run.counts);
    for label in ["secret", "secret-tail", "password", "note", "note-tail"] {
        assert_eq!(count(label), 0, "under {tunables} the child's heap holds the {label}: {:?}", run.counts);
    }
}

fn without_the_wiping_allocator_memory_security_stays_on() {
    let run = run_child(None);
    assert_eq!(run.wiped, "false");
    assert_eq!(run.memory_security, "1", "a process without the wiping allocator left memory security off");
}

/// The child: creates a vault, imports the CSV, keeps only the token list, reports, waits.
fn child(dir: &Path) {
    use secrecy::SecretString;
    use tokenwarden_core::transfer::{self, Input, OnDuplicate, ReadOptions};
    use tokenwarden_core::{KdfParams, TokenFilter, Vault};

    let now = chrono::Utc::now();
    let listed = {
        let password = SecretString::from(std::fs::read_to_string(dir.join("password")).unwrap());
        let kdf = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
        let mut vault = Vault::create(&dir.join("vault"), &password, kdf, now).unwrap();
        let file = dir.join("import.csv");
        let bytes = transfer::read_file(&file).unwrap();
        let input = Input { name: "import.csv", bytes: &bytes };
        let batch = transfer::read(&input, None, &ReadOptions::default()).unwrap();
        let plan = vault.plan_import("import.csv", batch, OnDuplicate::Skip).unwrap();
        let summary = vault.apply_import(plan, now, &mut |_, _| {}).unwrap();
        assert_eq!(summary.created, 41);
        let tokens = vault.list_tokens(&TokenFilter::default(), now).unwrap();
        tokens.into_iter().map(|t| t.token.name).collect::<Vec<String>>()
    };
    assert!(listed.iter().any(|name| name == NAME));
    // Any connection reports the process-wide state: on, and SQLCipher's allocator has run.
    let probe = rusqlite::Connection::open_in_memory().unwrap();
    let state: String = probe.query_row("PRAGMA cipher_memory_security", [], |r| r.get(0)).unwrap();
    drop(probe);
    println!("wiped={}", tokenwarden_core::wiping_allocator::freed_memory_is_wiped());
    println!("memory_security={state}");
    println!("ready");
    let mut done = [0u8; 5];
    let _ = std::io::stdin().read(&mut done);
    std::hint::black_box(&listed);
}

/// Counts each needle in the child's `[heap]` and anonymous writable mappings.
fn scan_heap(pid: u32, needles: &[(&'static str, String)]) -> Vec<(&'static str, usize)> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
    let mut mem = std::fs::File::open(format!("/proc/{pid}/mem")).unwrap();
    let mut counts: Vec<(&'static str, usize)> = needles.iter().map(|(l, _)| (*l, 0)).collect();
    let mut scanned = 0usize;
    for line in maps.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let name = fields.get(5).copied().unwrap_or("");
        if !fields[1].starts_with("rw") || !(name.is_empty() || name == "[heap]") {
            continue;
        }
        let (start, end) = fields[0].split_once('-').unwrap();
        let (start, end) = (u64::from_str_radix(start, 16).unwrap(), u64::from_str_radix(end, 16).unwrap());
        let mut data = vec![0u8; (end - start) as usize];
        if mem.seek(SeekFrom::Start(start)).is_err() || mem.read_exact(&mut data).is_err() {
            continue;
        }
        scanned += data.len();
        for ((_, needle), (_, count)) in needles.iter().zip(counts.iter_mut()) {
            *count += data.windows(needle.len()).filter(|w| *w == needle.as_bytes()).count();
        }
    }
    assert!(scanned > 0, "nothing of the child's heap could be read");
    counts
}
