//! The walk: roots in, candidates out. Files are read on the walker's threads; candidates go to
//! the caller's callback on the calling thread, so it can match them against the vault as they
//! come. Nothing is written anywhere.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

use ignore::{WalkBuilder, WalkState};
use zeroize::{Zeroize, Zeroizing};

use crate::extract::{self, Found, Tally};
use crate::{credential_files, Candidate, ScanError};

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Honour `.gitignore`, `.ignore` and git's exclude files (on by default).
    pub honour_ignore: bool,
    /// Files larger than this are skipped (1 MiB by default).
    pub max_file_bytes: u64,
    /// Walker threads (0: one per core).
    pub threads: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { honour_ignore: true, max_file_bytes: 1024 * 1024, threads: 0 }
    }
}

/// What a scan looked at and what it set aside.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScanStats {
    pub files: u64,
    pub bytes: u64,
    pub skipped_binary: u64,
    pub skipped_large: u64,
    /// Files or folders that could not be read (no permission, gone while walking).
    pub unreadable: u64,
    pub placeholders: u64,
}

#[derive(Default)]
struct Counters {
    files: AtomicU64,
    bytes: AtomicU64,
    skipped_binary: AtomicU64,
    skipped_large: AtomicU64,
    unreadable: AtomicU64,
    placeholders: AtomicU64,
}

/// Pseudo-filesystems a scan never enters.
const NEVER: &[&str] = &["/proc", "/sys", "/dev"];

/// How many leading bytes decide whether a file is binary (a NUL among them).
const SNIFF_BYTES: usize = 8192;

/// Scans `roots` (files or folders), calling `on_candidate` for every value found, and returns
/// what was looked at. `stop` ends the walk early (Ctrl+C); the candidates seen so far stand.
pub fn scan(
    roots: &[PathBuf],
    options: &ScanOptions,
    stop: &AtomicBool,
    on_candidate: impl FnMut(Candidate),
) -> Result<ScanStats, ScanError> {
    scan_with_progress(roots, options, stop, on_candidate, |_| {})
}

/// How often [`scan_with_progress`] reports.
pub const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// [`scan`], also calling `on_progress` with the counts so far as the walk starts and then about
/// every [`PROGRESS_EVERY`] while it runs (on the calling thread, like `on_candidate`).
pub fn scan_with_progress(
    roots: &[PathBuf],
    options: &ScanOptions,
    stop: &AtomicBool,
    mut on_candidate: impl FnMut(Candidate),
    mut on_progress: impl FnMut(&ScanStats),
) -> Result<ScanStats, ScanError> {
    let Some((first, rest)) = roots.split_first() else { return Ok(ScanStats::default()) };
    for root in roots {
        if let Err(e) = std::fs::symlink_metadata(root) {
            return Err(ScanError::Root { path: root.clone(), problem: e.to_string() });
        }
    }
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .hidden(false)
        .follow_links(false)
        .git_ignore(options.honour_ignore)
        .git_exclude(options.honour_ignore)
        .git_global(false)
        .ignore(options.honour_ignore)
        .parents(options.honour_ignore)
        .require_git(false)
        .threads(options.threads)
        .filter_entry(|entry| !NEVER.iter().any(|p| entry.path().starts_with(p)));
    let walker = builder.build_parallel();
    let counters = Counters::default();
    let (tx, rx) = mpsc::channel::<Candidate>();
    std::thread::scope(|scope| {
        let counters = &counters;
        scope.spawn(move || {
            walker.run(|| {
                let tx = tx.clone();
                // One read buffer per walker thread, wiped after each file and reused.
                let mut buffer = Zeroizing::new(Vec::with_capacity(64 * 1024));
                Box::new(move |entry| {
                    if stop.load(Ordering::Relaxed) {
                        return WalkState::Quit;
                    }
                    let entry = match entry {
                        Ok(entry) => entry,
                        Err(_) => {
                            counters.unreadable.fetch_add(1, Ordering::Relaxed);
                            return WalkState::Continue;
                        }
                    };
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        for candidate in scan_file(entry.path(), options, counters, &mut buffer) {
                            if tx.send(candidate).is_err() {
                                return WalkState::Quit;
                            }
                        }
                    }
                    WalkState::Continue
                })
            });
        });
        on_progress(&counters.snapshot());
        let mut last = std::time::Instant::now();
        loop {
            match rx.recv_timeout(PROGRESS_EVERY) {
                Ok(candidate) => on_candidate(candidate),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            if last.elapsed() >= PROGRESS_EVERY {
                on_progress(&counters.snapshot());
                last = std::time::Instant::now();
            }
        }
    });
    Ok(counters.snapshot())
}

impl Counters {
    fn snapshot(&self) -> ScanStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ScanStats {
            files: get(&self.files),
            bytes: get(&self.bytes),
            skipped_binary: get(&self.skipped_binary),
            skipped_large: get(&self.skipped_large),
            unreadable: get(&self.unreadable),
            placeholders: get(&self.placeholders),
        }
    }
}

/// Reads one file (within the cap) into `buffer` and finds its candidates. Unreadable, binary and
/// oversized files are counted and give none. The buffer is wiped before this returns.
fn scan_file(path: &Path, options: &ScanOptions, counters: &Counters, buffer: &mut Vec<u8>) -> Vec<Candidate> {
    let found = if read_capped(path, options.max_file_bytes, counters, buffer) {
        candidates(path, buffer, counters)
    } else {
        Vec::new()
    };
    // Wipe what was read (only the bytes used: zeroizing the whole capacity per file would cost
    // more than the scan), keeping the allocation for the next file.
    buffer.as_mut_slice().zeroize();
    buffer.clear();
    found
}

fn candidates(path: &Path, bytes: &[u8], counters: &Counters) -> Vec<Candidate> {
    if bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0) {
        counters.skipped_binary.fetch_add(1, Ordering::Relaxed);
        return Vec::new();
    }
    counters.files.fetch_add(1, Ordering::Relaxed);
    counters.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    // Strict validation first: it is much faster than the lossy decoder on the common UTF-8 file.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let mut tally = Tally::default();
    let (source, found): (&'static str, Vec<Found>) = match credential_files::format_of(path)
        .and_then(|format| credential_files::read(format, &text, &mut tally).map(|found| (format, found)))
    {
        Some((format, found)) => (format, found),
        None => ("text", extract::scan_text(&text, &mut tally)),
    };
    // A lossy decode made an owned copy only when the file was not UTF-8: wipe it too.
    if let std::borrow::Cow::Owned(owned) = text {
        drop(Zeroizing::new(owned));
    }
    counters.placeholders.fetch_add(tally.placeholders, Ordering::Relaxed);
    found
        .into_iter()
        .map(|f| Candidate {
            path: path.to_owned(),
            line: f.line,
            column: f.column,
            detection: f.detection,
            certainty: f.certainty,
            source,
            secret: extract::secret(f.value),
        })
        .collect()
}

/// Reads the file into the empty `buffer`; false (counted) when it is unreadable or over the cap.
fn read_capped(path: &Path, cap: u64, counters: &Counters, buffer: &mut Vec<u8>) -> bool {
    let unreadable = || {
        counters.unreadable.fetch_add(1, Ordering::Relaxed);
        false
    };
    let Ok(file) = std::fs::File::open(path) else { return unreadable() };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > cap {
        counters.skipped_large.fetch_add(1, Ordering::Relaxed);
        return false;
    }
    // Grown while empty, so no earlier content is left behind in a freed allocation.
    buffer.reserve(len as usize + 1);
    if file.take(cap + 1).read_to_end(buffer).is_err() {
        return unreadable();
    }
    if buffer.len() as u64 > cap {
        counters.skipped_large.fetch_add(1, Ordering::Relaxed);
        return false;
    }
    true
}
