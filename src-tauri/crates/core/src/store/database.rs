//! Opening `vault.db` with SQLCipher under the raw database sub-key, and the connection settings
//! the design fixes: WAL, synchronous=FULL, secure_delete, temp_store=MEMORY, foreign keys; the
//! whole-database operations (integrity check, checkpoint, schema version, the re-key's copy).
//! The key pragma's text holds key material: it is built in a zeroizing buffer and its errors are
//! never passed on verbatim.

use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;
use zeroize::Zeroizing;

use super::run;
use crate::crypto;
use crate::error::{Error, Result};

pub fn open(path: &Path, key: &[u8; 32], create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if !path.exists() {
        return Err(Error::Corrupt { path: path.to_owned(), detail: "the database file is missing".to_owned() });
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Corrupt {
        path: path.to_owned(),
        detail: format!("cannot open it ({})", e.sqlite_error_code().map_or("unknown".into(), |c| format!("{c:?}"))),
    })?;
    // SQLCipher locks every allocation and wipes the memory it frees (page buffers, parsed SQL)
    // once this is on, for the process's life. A process whose allocator wipes every freed chunk
    // already leaves it off: see `crate::wiping_allocator` for why, and what stays (key material).
    if !crate::wiping_allocator::freed_memory_is_wiped() {
        conn.execute_batch("PRAGMA cipher_memory_security = ON;")
            .map_err(|_| Error::Internal("SQLCipher refused cipher_memory_security".to_owned()))?;
    }
    conn.execute_batch(&key_pragma(key)).map_err(|_| Error::Internal("SQLCipher refused the key".to_owned()))?;
    // SQLCipher logs decryption failures to stderr itself; the error we return says it once, clearly.
    // (Its pragmas only take effect once a key is set.)
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");

    let corrupt = |e: rusqlite::Error| Error::Corrupt {
        path: path.to_owned(),
        detail: match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => {
                "it cannot be decrypted with this vault's key (damaged, or from another vault)".to_owned()
            }
            Some(code) => format!("SQLite reports {code:?}"),
            None => e.to_string(),
        },
    };
    // The first read decrypts page 1 and checks its HMAC: a damaged file fails here.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(corrupt)?;
    // cache_size: up to 64 MiB of decrypted pages stay cached while unlocked, so a second list or
    // search does not decrypt and authenticate every page again. Dropped with the connection on lock.
    run(&conn, || conn.busy_timeout(Duration::from_secs(5)))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -65536;",
    )
    .map_err(corrupt)?;
    Ok(conn)
}

/// `PRAGMA key = "x'…'";`, built where it can be wiped (see `crypto::hex_zeroizing`).
fn key_pragma(key: &[u8; 32]) -> Zeroizing<String> {
    crate::crypto::hex_zeroizing("PRAGMA key = \"x'", key, "'\";")
}

/// `cipher_integrity_check` verifies every page's HMAC; `integrity_check` the b-trees.
pub fn check(conn: &Connection, path: &Path) -> Result<()> {
    let mut problems: Vec<String> = run(conn, || {
        let mut stmt = conn.prepare("PRAGMA cipher_integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    })?;
    let ok: String = run(conn, || conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)))?;
    if ok != "ok" {
        problems.push(ok);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Corrupt { path: path.to_owned(), detail: problems.join("; ") })
    }
}

/// The schema version the migrations left (`user_version`).
pub(crate) fn schema_version(conn: &Connection) -> Result<u32> {
    run(conn, || conn.query_row("PRAGMA user_version", [], |r| r.get(0)))
}

pub(crate) fn set_schema_version(conn: &Connection, version: u32) -> Result<()> {
    run(conn, || conn.execute_batch(&format!("PRAGMA user_version = {version};")))
}

/// Folds the WAL back into the database file.
pub(crate) fn checkpoint(conn: &Connection) -> Result<()> {
    run(conn, || conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);"))
}

/// Leaves copying the WAL into the database file to [`checkpoint_beside`] for the next commit on
/// `conn`, instead of SQLite's own auto-checkpoint inside that commit.
pub(crate) fn pause_auto_checkpoint(conn: &Connection) -> Result<()> {
    run(conn, || conn.execute_batch("PRAGMA wal_autocheckpoint = 0;"))
}

/// Runs `work` on this thread while a second connection to `conn`'s database copies the WAL into
/// the database file (a passive checkpoint: it waits for no one and no one waits for it), then
/// turns `conn`'s auto-checkpoint back on (see [`pause_auto_checkpoint`]). Best effort: if that
/// connection cannot open or copy, the WAL is left to the next checkpoint (SQLite's own, at a
/// commit or at close). An import's commit writes its pages to the WAL; copying them then takes
/// about as long as rewriting the reminder index, so the two run side by side.
///
/// A WAL shorter than SQLite's auto-checkpoint threshold (1,000 pages) is left as SQLite would
/// leave it, and no second connection is opened: a small import costs what it did.
pub(crate) fn checkpoint_beside<T>(conn: &Connection, key: &[u8; 32], work: impl FnOnce() -> T) -> T {
    let out = match super::file_of(conn).filter(|path| wal_holds_pages(path, 1000)) {
        None => work(),
        Some(path) => std::thread::scope(|threads| {
            let copying = threads.spawn(|| {
                let other = open(&path, key, false)?;
                run(&other, || other.execute_batch("PRAGMA wal_checkpoint(PASSIVE);"))
            });
            let out = work();
            let _ = copying.join();
            out
        }),
    };
    let _ = conn.execute_batch("PRAGMA wal_autocheckpoint = 1000;");
    out
}

/// Whether the WAL beside `path` is long enough to hold `pages` frames (each a 24-byte header and
/// a page): the file's length, which may count frames already copied, so it errs towards copying.
fn wal_holds_pages(path: &Path, pages: u64) -> bool {
    const FRAME: u64 = 24 + 4096;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() >= pages * FRAME)
}

/// Turns the WAL off: the database becomes a single file, with nothing beside it.
pub(crate) fn leave_wal(conn: &Connection) -> Result<()> {
    run(conn, || conn.execute_batch("PRAGMA journal_mode = DELETE;"))
}

pub(crate) fn transaction(conn: &mut Connection) -> Result<rusqlite::Transaction<'_>> {
    let path = super::file_of(conn);
    conn.transaction().map_err(|e| super::error_at(path, e))
}

pub(crate) fn commit(tx: rusqlite::Transaction<'_>) -> Result<()> {
    let path = super::file_of(&tx);
    tx.commit().map_err(|e| super::error_at(path, e))
}

/// Copies the whole database into the empty file at `path`, encrypted under `key`
/// (`sqlcipher_export`). The statement's text holds the key: it is built where it can be wiped,
/// and its errors are not passed on verbatim.
pub(crate) fn copy_encrypted(conn: &Connection, path: &str, key: &[u8; 32]) -> Result<()> {
    let attach = crypto::hex_zeroizing(
        &format!("ATTACH DATABASE '{}' AS rekeyed KEY \"x'", path.replace('\'', "''")),
        key.as_slice(),
        "'\";",
    );
    conn.execute_batch(&attach)
        .map_err(|_| Error::Internal("SQLCipher could not create the re-keyed database".to_owned()))?;
    let exported = conn.query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()));
    let detached = conn.execute_batch("DETACH DATABASE rekeyed;");
    run(conn, || exported)?;
    run(conn, || detached)
}

/// Takes the write lock and keeps it until the connection closes. `false` when another
/// connection wrote to the database just before the lock was taken (since the last read).
pub(crate) fn hold_write_lock(conn: &Connection) -> Result<bool> {
    run(conn, || {
        let before: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        conn.execute_batch("BEGIN IMMEDIATE;")?;
        let after: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(before == after)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The test process starts without the wiping allocator's tunables (`cargo test` does not
    /// re-execute), as a process that never re-executed, or whose re-execution failed, would.
    #[test]
    fn a_process_without_the_wiping_allocator_opens_the_vault_with_sqlcipher_memory_security_on() {
        assert!(!crate::wiping_allocator::freed_memory_is_wiped(), "run without GLIBC_TUNABLES");
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("v.db"), &[7u8; 32], true).unwrap();
        let on: String = conn.query_row("PRAGMA cipher_memory_security", [], |r| r.get(0)).unwrap();
        assert_eq!(on, "1");
    }

    #[test]
    fn a_checkpoint_beside_copies_the_wal_into_the_file_while_the_work_runs_and_resumes_auto_checkpoints() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let key = [7u8; 32];
        let mut conn = open(&path, &key, true).unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB NOT NULL); PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        pause_auto_checkpoint(&conn).unwrap();
        let tx = conn.transaction().unwrap();
        for i in 0..15_000u32 {
            tx.execute("INSERT INTO t (x) VALUES (?1)", [i.to_le_bytes().repeat(100)]).unwrap();
        }
        tx.commit().unwrap();
        // Well over SQLite's 1,000 pages, yet nothing reached the file: the commit left its pages in the WAL.
        assert_eq!(std::fs::metadata(&path).unwrap().len(), before);
        let paused: i64 = conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
        assert_eq!(paused, 0);

        let answer =
            checkpoint_beside(&conn, &key, || conn.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0)));
        assert_eq!(answer.unwrap(), 15_000);
        assert!(std::fs::metadata(&path).unwrap().len() > before + 4_000_000, "the pages were copied into the file");
        let resumed: i64 = conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
        assert_eq!(resumed, 1000);
    }

    #[test]
    fn a_short_wal_is_left_to_sqlite_and_auto_checkpoints_resume() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let key = [7u8; 32];
        let conn = open(&path, &key, true).unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB NOT NULL); PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        pause_auto_checkpoint(&conn).unwrap();
        conn.execute("INSERT INTO t (x) VALUES (?1)", [vec![1u8; 100]]).unwrap();
        assert_eq!(checkpoint_beside(&conn, &key, || 7), 7);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), before, "a page or two stay in the WAL");
        let resumed: i64 = conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
        assert_eq!(resumed, 1000);
    }

    #[test]
    fn key_pragma_carries_the_key_as_sqlcipher_raw_hex() {
        let pragma = key_pragma(&[0xab; 32]);
        assert_eq!(pragma.as_str(), format!("PRAGMA key = \"x'{}'\";", "ab".repeat(32)));
    }
}
