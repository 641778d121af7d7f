//! Writing a KeePassXC-compatible XML export.

use super::*;
use crate::error::{Error, Result};
use crate::export::ExportedToken;
use crate::model::Token;
use crate::reading;
use crate::timestamp;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// KeePass 2.x XML (KDBX 4 layout) that KeePassXC reads (`keepassxc-cli import export.xml new.kdbx`):
/// one group "Tokenwarden" with an entry per token. Every field lands somewhere: provider, kind,
/// scopes, environment and purpose as lines in the notes, provider and kind also as custom fields
/// (and the provider as a tag). A token without a secret gets an empty password.
pub(crate) fn write_xml(tokens: &[ExportedToken], now: DateTime<Utc>) -> Result<Zeroizing<Vec<u8>>> {
    // Sized for the worst case up front so the buffer holding secrets is never reallocated
    // (which would leave copies behind).
    let mut out = Zeroizing::new(Vec::with_capacity(capacity_for(tokens)));
    let mut w = XmlOut { buf: &mut out };
    w.raw("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n<KeePassFile>\n");
    write_meta(&mut w, now)?;
    w.open(1, "Root");
    w.open(2, "Group");
    w.leaf(3, "UUID", &group_uuid(now))?;
    w.leaf(3, "Name", "Tokenwarden")?;
    w.leaf(3, "IconID", "48")?;
    write_times(&mut w, 3, now, now, None)?;
    w.leaf(3, "IsExpanded", "True")?;
    for exported in tokens {
        write_entry(&mut w, exported)?;
    }
    w.close(2, "Group");
    w.raw("\t\t<DeletedObjects/>\n");
    w.close(1, "Root");
    w.raw("</KeePassFile>\n");
    Ok(out)
}

/// An upper bound on the output size: fixed markup per entry plus every text at most fivefold
/// (`&` → `&amp;`), counted twice because the notes repeat some fields.
pub(super) fn capacity_for(tokens: &[ExportedToken]) -> usize {
    const HEADER: usize = 4096;
    const PER_ENTRY: usize = 3072;
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    let list = |l: &[String]| l.iter().map(|s| s.len() + 2).sum::<usize>();
    tokens
        .iter()
        .map(|e| {
            let t = &e.token;
            let texts = t.id.len()
                + t.name.len()
                + opt(&t.account)
                + opt(&t.url)
                + opt(&t.notes)
                + opt(&t.environment)
                + opt(&t.purpose)
                + list(&t.scopes)
                + list(&t.tags)
                + t.provider.as_str().len()
                + t.kind.as_str().len()
                + e.secret.as_ref().map_or(0, |s| s.expose_secret().len());
            PER_ENTRY.saturating_add(texts.saturating_mul(10))
        })
        .fold(HEADER, usize::saturating_add)
}

/// Writes straight into the output buffer, escaping as it goes, so no unzeroized copy of a
/// secret is ever made (quick-xml's escaping returns a new string when anything needs escaping).
struct XmlOut<'b> {
    buf: &'b mut Vec<u8>,
}

impl XmlOut<'_> {
    fn raw(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    fn indent(&mut self, level: usize) {
        self.buf.extend(std::iter::repeat_n(b'\t', level));
    }

    fn open(&mut self, level: usize, tag: &str) {
        self.indent(level);
        self.raw("<");
        self.raw(tag);
        self.raw(">\n");
    }

    fn close(&mut self, level: usize, tag: &str) {
        self.indent(level);
        self.raw("</");
        self.raw(tag);
        self.raw(">\n");
    }

    /// `<tag>text</tag>` on its own line.
    fn leaf(&mut self, level: usize, tag: &str, text: &str) -> Result<()> {
        self.indent(level);
        self.raw("<");
        self.raw(tag);
        self.raw(">");
        self.escaped(tag, text)?;
        self.raw("</");
        self.raw(tag);
        self.raw(">\n");
        Ok(())
    }

    /// A `<String>` field; `protect` marks it ProtectInMemory as KeePassXC does for passwords.
    fn string(&mut self, level: usize, key: &str, value: &str, protect: bool) -> Result<()> {
        self.open(level, "String");
        self.leaf(level + 1, "Key", key)?;
        self.indent(level + 1);
        self.raw(if protect { "<Value ProtectInMemory=\"True\">" } else { "<Value>" });
        self.escaped(key, value)?;
        self.raw("</Value>\n");
        self.close(level, "String");
        Ok(())
    }

    /// Text content escaped for XML 1.0. `\r` becomes `&#13;` so it survives line-end
    /// normalisation; characters XML 1.0 cannot hold are an error naming the field, not the value.
    fn escaped(&mut self, field: &str, text: &str) -> Result<()> {
        if text.contains(['\u{FFFE}', '\u{FFFF}']) {
            return Err(Error::invalid(field, "contains a character that XML cannot hold"));
        }
        for b in text.bytes() {
            match b {
                b'<' => self.raw("&lt;"),
                b'>' => self.raw("&gt;"),
                b'&' => self.raw("&amp;"),
                b'\r' => self.raw("&#13;"),
                b'\t' | b'\n' => self.buf.push(b),
                b if b < 0x20 => {
                    return Err(Error::invalid(field, "contains a control character, which XML cannot hold"));
                }
                b => self.buf.push(b),
            }
        }
        Ok(())
    }
}

fn write_meta(w: &mut XmlOut<'_>, now: DateTime<Utc>) -> Result<()> {
    let now = timestamp::encode(now);
    w.open(1, "Meta");
    w.leaf(2, "Generator", "Tokenwarden")?;
    w.leaf(2, "DatabaseName", "Tokenwarden export")?;
    w.leaf(2, "DatabaseNameChanged", &now)?;
    w.open(2, "MemoryProtection");
    for (tag, on) in [
        ("ProtectTitle", "False"),
        ("ProtectUserName", "False"),
        ("ProtectPassword", "True"),
        ("ProtectURL", "False"),
        ("ProtectNotes", "False"),
    ] {
        w.leaf(3, tag, on)?;
    }
    w.close(2, "MemoryProtection");
    w.leaf(2, "RecycleBinEnabled", "False")?;
    w.leaf(2, "SettingsChanged", &now)?;
    w.close(1, "Meta");
    Ok(())
}

fn write_times(
    w: &mut XmlOut<'_>,
    level: usize,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
    expires: Option<DateTime<Utc>>,
) -> Result<()> {
    let (created, modified) = (timestamp::encode(created), timestamp::encode(modified));
    w.open(level, "Times");
    w.leaf(level + 1, "LastModificationTime", &modified)?;
    w.leaf(level + 1, "CreationTime", &created)?;
    w.leaf(level + 1, "LastAccessTime", &modified)?;
    w.leaf(level + 1, "ExpiryTime", &expires.map_or_else(|| created.clone(), timestamp::encode))?;
    w.leaf(level + 1, "Expires", if expires.is_some() { "True" } else { "False" })?;
    w.leaf(level + 1, "UsageCount", "0")?;
    w.leaf(level + 1, "LocationChanged", &created)?;
    w.close(level, "Times");
    Ok(())
}

fn write_entry(w: &mut XmlOut<'_>, exported: &ExportedToken) -> Result<()> {
    let t = &exported.token;
    let uuid = uuid::Uuid::parse_str(&t.id)
        .map_err(|_| Error::Internal(format!("token id '{}' is not a UUID", reading::truncate_chars(&t.id, 40))))?;
    let secret = exported.secret.as_ref().map_or("", |s| s.expose_secret());
    w.open(2, "Entry");
    w.leaf(3, "UUID", &BASE64.encode(uuid.as_bytes()))?;
    w.leaf(3, "IconID", "0")?;
    w.leaf(3, "Tags", &export_tags(t))?;
    write_times(w, 3, t.created_at, t.updated_at, t.expires_at)?;
    w.string(3, "Title", &t.name, false)?;
    w.string(3, "UserName", t.account.as_deref().unwrap_or(""), false)?;
    w.string(3, "Password", secret, true)?;
    w.string(3, "URL", t.url.as_deref().unwrap_or(""), false)?;
    w.string(3, "Notes", &export_notes(t), false)?;
    w.string(3, "Provider", t.provider.as_str(), false)?;
    w.string(3, "Kind", t.kind.as_str(), false)?;
    w.string(3, ID_FIELD, &t.id, false)?;
    w.close(2, "Entry");
    Ok(())
}

/// The token's tags and its provider, `;`-separated as KeePassXC writes them.
fn export_tags(t: &Token) -> String {
    let mut tags: Vec<&str> = t.tags.iter().map(String::as_str).collect();
    if !tags.contains(&t.provider.as_str()) {
        tags.push(t.provider.as_str());
    }
    tags.join(";")
}

/// The user's notes, then one "Label: value" line per field KeePass has no place for.
fn export_notes(t: &Token) -> String {
    let mut lines = vec![format!("Provider: {}", t.provider), format!("Kind: {}", t.kind)];
    if !t.scopes.is_empty() {
        lines.push(format!("Scopes: {}", t.scopes.join(", ")));
    }
    if let Some(environment) = &t.environment {
        lines.push(format!("Environment: {environment}"));
    }
    if let Some(purpose) = &t.purpose {
        lines.push(format!("Purpose: {}", purpose.replace('\n', " ")));
    }
    match t.notes.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(notes) => format!("{notes}\n\n{}", lines.join("\n")),
        None => lines.join("\n"),
    }
}

/// A stable group UUID for one export (KeePassXC wants one; nothing else refers to it).
fn group_uuid(now: DateTime<Utc>) -> String {
    let digest = Sha256::new().chain_update(b"tokenwarden keepassxc group ").chain_update(now.to_rfc3339()).finalize();
    BASE64.encode(&digest[..16])
}
