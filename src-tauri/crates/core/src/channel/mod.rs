//! The private channel between the window process and the tray process: a Unix socket (0600, in a
//! 0700 folder of `$XDG_RUNTIME_DIR`) carrying one small JSON object per line. Only a peer of the
//! same user is served; a malformed or oversized line gets an error line and the connection closes.
//! Nothing sent here ever holds a secret: ids, flags and counts only.

mod server;

pub use server::{connect, read_message, send_message, Handler, Server, ServerEvent};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::reminders::IndexEntry;
use chrono::{DateTime, Utc};

/// The longest line either side accepts (a message is a few dozen bytes; `Labels` at most ~10 KiB).
pub const MAX_LINE: usize = 16 * 1024;

/// How many tokens' names the window tells the tray (the soonest due), and how long each may be.
pub const MAX_LABELS: usize = 50;
pub const MAX_NAME_CHARS: usize = 120;

/// Arguments the tray starts the window with to open one token (`--open-token ID [--rotate]`).
pub const OPEN_TOKEN_ARG: &str = "--open-token";
pub const ROTATE_ARG: &str = "--rotate";

/// What the window process tells the tray.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ToTray {
    /// The first line of a window: from now on it receives the tray's requests.
    Hello {
        pid: u32,
    },
    LockState {
        locked: bool,
    },
    /// Tokens or settings changed: the tray rereads the reminder index.
    InventoryChanged,
    /// Open high-severity monitor alerts (the tray's attention icon).
    Alerts {
        high: u32,
    },
    /// While unlocked: the names of the soonest-due tokens, so the tray's menu and reminders name
    /// them even where the reminder index holds only dates (no keyring). Dropped on lock.
    Labels {
        labels: Vec<Label>,
    },
}

/// A reminder the tray hands to the window to show in-app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardedNotice {
    pub title: String,
    pub body: String,
    /// "low", "normal" or "critical".
    pub urgency: String,
    pub token_id: Option<String>,
    /// Made while the window was locked (so it names a token only where the index could).
    pub while_locked: bool,
}

/// A token's name as the window knows it (never a secret, a hint or a key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub token_id: String,
    pub name: String,
    #[serde(default)]
    pub provider: Option<String>,
}

/// The labels for the `MAX_LABELS` tokens due soonest (by expiry or rotation), names shortened to
/// `MAX_NAME_CHARS`, so the line stays well under `MAX_LINE`.
pub fn labels_for(entries: &[IndexEntry]) -> Vec<Label> {
    let mut dated: Vec<(&IndexEntry, DateTime<Utc>)> = entries
        .iter()
        .filter_map(|e| [e.expires_at, e.rotation_due_at].into_iter().flatten().min().map(|t| (e, t)))
        .collect();
    dated.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.token_id.cmp(&b.0.token_id)));
    let short = |s: &str| s.chars().take(MAX_NAME_CHARS).collect::<String>();
    dated
        .into_iter()
        .filter_map(|(e, _)| {
            let name = e.name.as_deref()?;
            Some(Label { token_id: e.token_id.clone(), name: short(name), provider: e.provider.as_deref().map(short) })
        })
        .take(MAX_LABELS)
        .collect()
}

/// Fills the names `labels` know into entries that have none (an index read without its key).
pub fn apply_labels(entries: &mut [IndexEntry], labels: &[Label]) {
    for entry in entries.iter_mut().filter(|e| e.name.is_none()) {
        if let Some(label) = labels.iter().find(|l| l.token_id == entry.token_id) {
            entry.name = Some(label.name.clone());
            entry.provider = label.provider.clone();
        }
    }
}

/// What the tray asks of the window process (or answers when it refuses a line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ToWindow {
    Show,
    OpenToken {
        id: String,
        rotate: bool,
    },
    Lock,
    Quit,
    /// Reminders no notification server took: the window shows them in-app (then they count as sent).
    Notices {
        notices: Vec<ForwardedNotice>,
    },
    /// The line before the tray closes a connection it refused.
    Error {
        message: String,
    },
}

/// One JSON line, newline included.
pub fn encode<T: Serialize>(message: &T) -> String {
    // Serialising these plain enums cannot fail (no maps with non-string keys, no foreign types).
    let mut line = serde_json::to_string(message).unwrap_or_default();
    line.push('\n');
    line
}

/// Parses one line (without or with its newline).
pub fn decode<T: DeserializeOwned>(line: &str) -> Result<T> {
    serde_json::from_str(line.trim_end_matches(['\n', '\r']))
        .map_err(|e| Error::invalid("channel message", format!("malformed: {e}")))
}

/// Reads one line of at most `MAX_LINE` bytes. `Ok(None)` at the end of the stream; a longer line
/// is an error and nothing more should be read from that stream.
pub fn read_line<R: BufRead>(reader: &mut R) -> Result<Option<String>> {
    let mut buf = Vec::new();
    let limit = u64::try_from(MAX_LINE + 1).unwrap_or(u64::MAX);
    let read = std::io::Read::take(&mut *reader, limit)
        .read_until(b'\n', &mut buf)
        .map_err(|source| Error::Io { path: PathBuf::from("<channel>"), source })?;
    if read == 0 {
        return Ok(None);
    }
    if buf.len() > MAX_LINE || (buf.len() == MAX_LINE && buf.last() != Some(&b'\n')) {
        return Err(Error::invalid("channel message", format!("longer than {MAX_LINE} bytes")));
    }
    String::from_utf8(buf).map(Some).map_err(|_| Error::invalid("channel message", "not UTF-8"))
}

/// Whether a connected peer may talk to us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerDecision {
    Accept,
    Refuse(String),
}

/// The peer decision: only a process of our own user, as the kernel reports it (SO_PEERCRED).
/// `peer_uid` is `None` when the kernel could not say.
pub fn peer_decision(own_uid: u32, peer_uid: Option<u32>) -> PeerDecision {
    match peer_uid {
        Some(uid) if uid == own_uid => PeerDecision::Accept,
        Some(uid) => PeerDecision::Refuse(format!("refused: the peer runs as user {uid}, not {own_uid}")),
        None => PeerDecision::Refuse("refused: the peer's credentials are unknown".to_owned()),
    }
}

/// `$XDG_RUNTIME_DIR/tokenwarden`, created 0700 when missing; refused when it is not ours or others
/// may enter it.
pub fn runtime_dir() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_RUNTIME_DIR").filter(|v| !v.is_empty()).ok_or_else(|| {
        Error::invalid("XDG_RUNTIME_DIR", "is not set: the tray channel needs a private runtime folder")
    })?;
    let dir = PathBuf::from(base).join("tokenwarden");
    private_dir(&dir)?;
    Ok(dir)
}

/// Makes `dir` (0700, ours) or checks the one already there.
pub fn private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    let io = |source| Error::Io { path: dir.to_path_buf(), source };
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io(e)),
    }
    let meta = std::fs::symlink_metadata(dir).map_err(io)?;
    if !meta.is_dir() || meta.uid() != rustix::process::getuid().as_raw() {
        return Err(Error::invalid("runtime folder", format!("{} is not a folder of this user", dir.display())));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    Ok(())
}

/// The socket's and the lock file's common stem for the vault in `vault_dir`: several vaults (the
/// tests run many) each get their own tray.
pub fn name_for(vault_dir: &Path) -> String {
    let absolute = std::fs::canonicalize(vault_dir).unwrap_or_else(|_| {
        std::env::current_dir().map(|cwd| cwd.join(vault_dir)).unwrap_or_else(|_| vault_dir.to_path_buf())
    });
    let digest = Sha256::digest(absolute.as_os_str().as_encoded_bytes());
    format!("tray-{}", &hex::encode(digest)[..16])
}

/// The socket of the tray serving `vault_dir`, inside `runtime` (see [`runtime_dir`]).
pub fn socket_path(runtime: &Path, vault_dir: &Path) -> PathBuf {
    runtime.join(format!("{}.sock", name_for(vault_dir)))
}

/// The file the one tray of `vault_dir` holds locked while it runs.
pub fn lock_path(runtime: &Path, vault_dir: &Path) -> PathBuf {
    runtime.join(format!("{}.lock", name_for(vault_dir)))
}

#[cfg(test)]
mod tests;
