//! Import and export over the vault. The file formats themselves (readers and writers) live in
//! the `tokenwarden-formats` crate, re-exported here; this module reads the file, plans and applies
//! an import, and gathers the vault's rows for an export.
//!
//! An import runs in three steps, so nothing is written before the user has seen what will happen:
//! 1. [`read`] turns a file's bytes into an [`ImportBatch`] (see `tokenwarden_formats`).
//! 2. [`Vault::plan_import`] checks every record against the vault's rules and its existing
//!    secrets (by keyed fingerprint, without decrypting anything) and returns an [`ImportPlan`]
//!    whose rows are the preview. It is two halves: [`check_import`] needs no vault (the CLI runs
//!    it while the vault unlocks), [`Vault::plan_checked`] finds the duplicates.
//! 3. [`Vault::apply_import`] writes the plan in one transaction: all of it or none of it.
//!
//! [`Vault::plan_import`]: crate::vault::Vault::plan_import
//! [`Vault::plan_checked`]: crate::vault::Vault::plan_checked
//! [`Vault::apply_import`]: crate::vault::Vault::apply_import

mod apply;
mod export;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub use apply::{
    check_import, CheckedImport, ImportPlan, ImportSummary, OnDuplicate, PlannedAction, PreviewRow, RESTORED_HISTORY,
};
pub use export::Exported;
/// The formats crate's error; it converts into [`Error`] with the same meaning and code.
pub use tokenwarden_formats::Error as FormatError;
pub use tokenwarden_formats::{
    detect_format, export::ExportedToken, ColumnMap, ExportFormat, ExportOptions, Field, Format, ImportBatch,
    ImportRecord, ImportedEvent, ImportedUsage, Input, ReadOptions, Restored, MAX_FIELD_BYTES, MAX_FILE_BYTES,
    MAX_JSON_DEPTH, MAX_RECORDS, MAX_UNPACKED_BYTES, MAX_UNPACK_RATIO,
};

/// Reads a file in the given format, or in the detected one when `format` is `None`.
pub fn read(input: &Input<'_>, format: Option<Format>, options: &ReadOptions) -> Result<ImportBatch> {
    Ok(tokenwarden_formats::read(input, format, options)?)
}

/// Reads a file to import: a regular file only (a FIFO, a device or a directory is refused at
/// once, without blocking), of at most [`MAX_FILE_BYTES`] — checked before reading and again
/// while reading, so a file that grows in between is refused too. The buffer is wiped when dropped.
pub fn read_file(path: &std::path::Path) -> Result<Zeroizing<Vec<u8>>> {
    let (file, len) = open_regular(path, MAX_FILE_BYTES)?;
    read_capped(file, path, len, MAX_FILE_BYTES)
}

fn too_big(path: &std::path::Path, size: u64, cap: usize) -> Error {
    Error::invalid(
        "file",
        format!("{} is {} MiB or more; the import limit is {} MiB", path.display(), size >> 20, cap >> 20),
    )
}

/// Opens `path` for reading if it is a regular file of at most `cap` bytes; returns its size.
/// The open does not block (O_NONBLOCK), and the type is checked on the opened file, so a path
/// swapped for a FIFO after a first look cannot hang the import.
fn open_regular(path: &std::path::Path, cap: usize) -> Result<(std::fs::File, u64)> {
    let io = |source| Error::Io { path: path.to_owned(), source };
    let not_regular =
        || Error::invalid("file", format!("{} is not a regular file (a folder, a device or a pipe)", path.display()));
    // A first look, so that a FIFO is refused without even opening it.
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > cap as u64 {
        return Err(too_big(path, meta.len(), cap));
    }
    Ok((file, meta.len()))
}

/// Reads at most `cap` bytes from an opened file; one more means the file grew past the cap.
fn read_capped(file: std::fs::File, path: &std::path::Path, len: u64, cap: usize) -> Result<Zeroizing<Vec<u8>>> {
    use std::io::Read;
    // Sized up front (one byte spare to see growth) so the buffer is not reallocated, which
    // would leave unwiped copies of the file's secrets behind.
    let mut bytes = Zeroizing::new(Vec::with_capacity((len as usize).min(cap) + 1));
    file.take(cap as u64 + 1).read_to_end(&mut bytes).map_err(|source| Error::Io { path: path.to_owned(), source })?;
    if bytes.len() > cap {
        return Err(too_big(path, bytes.len() as u64, cap));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Duration;

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let (tx, rx) = std::sync::mpsc::channel();
        let path = fifo.clone();
        // Nobody ever writes to the pipe: a blocking open would wait forever.
        std::thread::spawn(move || tx.send(read_file(&path).map(|b| b.len()).map_err(|e| e.to_string())));
        let result = rx.recv_timeout(Duration::from_secs(5)).expect("reading a FIFO blocked");
        let err = result.unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for path in [std::path::Path::new("/dev/zero"), dir.path()] {
            let err = read_file(path).unwrap_err().to_string();
            assert!(err.contains("not a regular file"), "{}: {err}", path.display());
        }
    }

    #[test]
    fn a_file_that_grows_past_the_cap_after_the_size_check_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        let (file, len) = open_regular(&path, 150).unwrap();
        assert_eq!(len, 100, "small enough when looked at");
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(&[b'b'; 100]).unwrap();
        let err = read_capped(file, &path, len, 150).unwrap_err().to_string();
        assert!(err.contains("import limit"), "{err}");
        // Within the cap, the whole file comes back.
        let (file, len) = open_regular(&path, 200).unwrap();
        assert_eq!(read_capped(file, &path, len, 200).unwrap().len(), 200);
    }
}
