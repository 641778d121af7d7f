//! `vault.head`: the audit chain's head (last event's seq and hash) recorded outside `vault.db`,
//! MAC'd under a master-derived key and bound to the vault id, so an older `vault.db` put back in
//! place is caught at unlock as a rollback. It must never claim more than the database holds:
//! it is written only after the transaction that moved the head has committed, so a crash
//! between the two leaves it behind the database (accepted), never ahead of it.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use crate::crypto::{self, SubKeys, KEY_LEN};
use crate::error::{Error, Result};
use crate::files;
use crate::store::{self, events};

pub const HEAD_FILE: &str = "vault.head";
const FORMAT: &str = "tokenwarden-head";
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OnDisk {
    format: String,
    version: u32,
    vault_id: String,
    seq: i64,
    hash: String,
    mac: String,
}

/// The head as recorded in `vault.head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    pub seq: i64,
    pub hash: String,
}

/// Where and under which key this vault's head is recorded; remembers the last seq it wrote.
pub(crate) struct Anchor {
    path: PathBuf,
    vault_id: String,
    key: Zeroizing<[u8; KEY_LEN]>,
    written: Cell<i64>,
    /// The database file this record follows (device and inode), once bound.
    database: Option<(PathBuf, FileIdentity)>,
}

type FileIdentity = (u64, u64);

fn identity(path: &Path) -> Option<FileIdentity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

impl Anchor {
    pub fn new(dir: &Path, vault_id: &str, keys: &SubKeys) -> Anchor {
        Anchor {
            path: dir.join(HEAD_FILE),
            vault_id: vault_id.to_owned(),
            key: Zeroizing::new(*keys.anchor),
            written: Cell::new(-1),
            database: None,
        }
    }

    /// Ties the record to the database file open now: if that file is later replaced (a re-key
    /// or a restore by another process), this connection's commits no longer move the record.
    pub fn bound_to(mut self, database: &Path) -> Anchor {
        self.database = identity(database).map(|id| (database.to_owned(), id));
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn mac(&self, seq: i64, hash: &str) -> [u8; 32] {
        crypto::hmac_sha256(
            &self.key,
            &[FORMAT.as_bytes(), self.vault_id.as_bytes(), &seq.to_be_bytes(), hash.as_bytes()],
        )
    }

    /// The recorded head; `None` when the file is missing. A file that fails its MAC, or names
    /// another vault, is an error: it was altered or comes from elsewhere.
    pub fn read(&self) -> Result<Option<Recorded>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Io { path: self.path.clone(), source }),
        };
        let corrupt = |detail: &str| Error::Corrupt { path: self.path.clone(), detail: detail.to_owned() };
        let file: OnDisk = serde_json::from_slice(&bytes).map_err(|_| corrupt("it is not a valid head record"))?;
        if file.format != FORMAT || file.version != VERSION {
            return Err(corrupt("it is not a Tokenwarden head record of a known version"));
        }
        if file.vault_id != self.vault_id {
            return Err(corrupt("it belongs to another vault"));
        }
        let mac = hex::decode(&file.mac).map_err(|_| corrupt("bad MAC"))?;
        if mac.as_slice() != self.mac(file.seq, &file.hash).as_slice() {
            return Err(corrupt("its MAC does not match (altered, or from another key)"));
        }
        self.written.set(file.seq);
        Ok(Some(Recorded { seq: file.seq, hash: file.hash }))
    }

    /// Records `seq`/`hash` (atomically: temp file, fsync, rename).
    pub fn record(&self, seq: i64, hash: &str) -> Result<()> {
        let file = OnDisk {
            format: FORMAT.to_owned(),
            version: VERSION,
            vault_id: self.vault_id.clone(),
            seq,
            hash: hash.to_owned(),
            mac: hex::encode(self.mac(seq, hash)),
        };
        let mut bytes =
            serde_json::to_vec_pretty(&file).map_err(|e| Error::Internal(format!("cannot encode head record: {e}")))?;
        bytes.push(b'\n');
        files::write_atomic(&self.path, &bytes, true)?;
        self.written.set(seq);
        Ok(())
    }

    /// Follows a committed head forward. A failure here leaves the record behind the database,
    /// which unlock accepts (and catches up), so it is reported but does not fail the write that
    /// has already committed.
    fn follow(&self, head: Option<(i64, String)>) {
        let Some((seq, hash)) = head else { return };
        if seq <= self.written.get() {
            return;
        }
        if let Some((path, id)) = &self.database {
            if identity(path) != Some(*id) {
                eprintln!(
                    "tokenwarden: {} was replaced since this vault was unlocked (re-keyed or restored elsewhere); lock and unlock again",
                    path.display()
                );
                return;
            }
        }
        if let Err(err) = self.record(seq, &hash) {
            eprintln!("tokenwarden: could not update {}: {err}", self.path.display());
        }
    }
}

/// The vault's database connection: a `Connection` whose transactions, once committed, move
/// `vault.head` along with the audit chain. Everything else derefs to the connection.
pub(crate) struct AnchoredConnection {
    conn: Connection,
    anchor: Anchor,
}

impl AnchoredConnection {
    pub fn new(conn: Connection, anchor: Anchor) -> Self {
        AnchoredConnection { conn, anchor }
    }

    /// Starts a transaction whose `commit` also records the new head outside the database.
    pub fn transaction(&mut self) -> Result<AnchoredTransaction<'_>> {
        let path = store::file_of(&self.conn);
        let tx = self.conn.transaction().map_err(|e| store::error_at(path, e))?;
        Ok(AnchoredTransaction { tx, anchor: &self.anchor })
    }
}

impl Deref for AnchoredConnection {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl DerefMut for AnchoredConnection {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

pub(crate) struct AnchoredTransaction<'a> {
    tx: rusqlite::Transaction<'a>,
    anchor: &'a Anchor,
}

impl AnchoredTransaction<'_> {
    /// Commits, then records the head this transaction left (after the commit, never before: a
    /// crash in between leaves the record one step behind, which unlock accepts).
    pub fn commit(self) -> Result<()> {
        let head = events::head(&self.tx)?;
        let path = store::file_of(&self.tx);
        self.tx.commit().map_err(|e| store::error_at(path, e))?;
        self.anchor.follow(head);
        Ok(())
    }
}

impl<'a> Deref for AnchoredTransaction<'a> {
    type Target = rusqlite::Transaction<'a>;
    fn deref(&self) -> &rusqlite::Transaction<'a> {
        &self.tx
    }
}

/// What unlock found when it compared the database's audit chain with `vault.head`.
pub(crate) fn check(conn: &Connection, anchor: &Anchor, required: bool) -> Result<CheckOutcome> {
    let found = events::last_seq(conn)?;
    let Some(recorded) = anchor.read()? else {
        if required {
            return Err(Error::Corrupt {
                path: anchor.path().to_owned(),
                detail: "the record of the audit log's head is missing (vault.keys says there is one)".to_owned(),
            });
        }
        return Ok(CheckOutcome::Missing);
    };
    if recorded.seq > found {
        return Err(Error::RolledBack { recorded: recorded.seq, found });
    }
    if recorded.seq > 0 && events::hash_at(conn, recorded.seq)?.as_deref() != Some(recorded.hash.as_str()) {
        return Err(Error::Corrupt {
            path: anchor.path().with_file_name(super::DB_FILE),
            detail: format!(
                "its audit log is not the one vault.head records (event {} differs): the database was replaced",
                recorded.seq
            ),
        });
    }
    Ok(CheckOutcome::Agrees { behind: recorded.seq < found })
}

pub(crate) enum CheckOutcome {
    /// No record yet (a vault made before records existed).
    Missing,
    /// The database holds the recorded head; `behind` when it has moved on since.
    Agrees { behind: bool },
}

/// Brings the record up to the database's head.
pub(crate) fn catch_up(conn: &Connection, anchor: &Anchor) -> Result<()> {
    match events::head(conn)? {
        Some((seq, hash)) => anchor.record(seq, &hash),
        None => anchor.record(0, ""),
    }
}
