//! Tokens: metadata in `tokens`, the sealed secret and its fingerprint in `token_secrets`.
//! Listing, searching and filtering read metadata only; only `reveal_secret` opens a secret, and
//! that is logged. `NewToken` and `TokenPatch` hold secrets and so implement neither Debug nor Serialize.

use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::str::FromStr;
use tokenwarden_providers::ProviderId;

use crate::audit_log::{self, EventKind};
use crate::crypto;
use crate::error::{Error, Result};
use crate::expiry;
use crate::store;
use crate::vault::Vault;

const MAX_TEXT: usize = 4096;

pub use tokenwarden_formats::model::{Token, TokenKind, TokenStatus, MAX_SECRET_BYTES};

/// A token's metadata with what a list shows about time, for the CLI's and UI's lists.
#[derive(Debug, Clone, Serialize)]
pub struct TokenSummary {
    pub token: Token,
    pub days_left: Option<i64>,
    pub effective_status: TokenStatus,
}

impl TokenSummary {
    /// "in 6 days", "expired 2 days ago", "no expiry" (see [`expiry::countdown`]).
    pub fn countdown(&self, now: DateTime<Utc>) -> String {
        expiry::countdown(self.token.expires_at, now)
    }

    pub fn new(token: Token, now: DateTime<Utc>) -> Self {
        TokenSummary { days_left: token.days_left(now), effective_status: token.effective_status(now), token }
    }
}

/// A token to add. Holds the secret: no Debug, no Serialize.
pub struct NewToken {
    pub name: String,
    pub provider: ProviderId,
    pub kind: TokenKind,
    pub secret: SecretString,
    pub account: Option<String>,
    pub environment: Option<String>,
    pub scopes: Vec<String>,
    pub tags: Vec<String>,
    pub purpose: Option<String>,
    pub notes: Option<String>,
    pub url: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub rotation_max_age_days: Option<u32>,
}

impl NewToken {
    /// A token with only the required fields; the rest default to empty.
    pub fn new(name: impl Into<String>, provider: ProviderId, kind: TokenKind, secret: SecretString) -> Self {
        NewToken {
            name: name.into(),
            provider,
            kind,
            secret,
            account: None,
            environment: None,
            scopes: Vec::new(),
            tags: Vec::new(),
            purpose: None,
            notes: None,
            url: None,
            expires_at: None,
            rotation_max_age_days: None,
        }
    }
}

/// Changes to a token. `None` leaves a field alone; `Some(None)` clears a nullable one.
#[derive(Default)]
pub struct TokenPatch {
    pub name: Option<String>,
    pub provider: Option<ProviderId>,
    pub kind: Option<TokenKind>,
    pub secret: Option<SecretString>,
    pub account: Option<Option<String>>,
    pub environment: Option<Option<String>>,
    pub scopes: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub purpose: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub url: Option<Option<String>>,
    pub expires_at: Option<Option<DateTime<Utc>>>,
    pub rotation_max_age_days: Option<Option<u32>>,
    pub status: Option<TokenStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Soonest expiry first, tokens without expiry last.
    #[default]
    TimeLeft,
    Name,
    Provider,
    RecentlyAdded,
}

impl FromStr for SortOrder {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "time-left" | "expiry" => Ok(SortOrder::TimeLeft),
            "name" => Ok(SortOrder::Name),
            "provider" => Ok(SortOrder::Provider),
            "recently-added" | "added" => Ok(SortOrder::RecentlyAdded),
            _ => Err(Error::invalid("sort", format!("'{s}' is not one of: time-left, name, provider, recently-added"))),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TokenFilter {
    pub provider: Option<ProviderId>,
    /// Compared with the effective status. `None` shows everything but archived tokens.
    pub status: Option<TokenStatus>,
    pub tag: Option<String>,
    pub environment: Option<String>,
    pub expiring_within: Option<Duration>,
    /// Case-insensitive substring of name, account, environment, provider, hint, tags or notes.
    pub search: Option<String>,
    pub include_archived: bool,
    pub sort: SortOrder,
}

/// The display hint: the public provider prefix and the last four characters (`ghp_…a1B2`).
/// Short secrets show only their length class, so a hint never gives away most of a value.
pub fn display_hint(secret: &str) -> String {
    // Counted and cut in place: no copy of the secret as chars.
    if secret.chars().count() < 16 {
        return "••••".to_owned();
    }
    let tail = secret.char_indices().rev().nth(3).map_or("", |(at, _)| &secret[at..]);
    // Built in one allocation of the right size (an import makes thousands).
    let prefix = tokenwarden_providers::known_prefix(secret).unwrap_or_default();
    let mut hint = String::with_capacity(prefix.len() + '…'.len_utf8() + tail.len());
    hint.push_str(prefix);
    hint.push('…');
    hint.push_str(tail);
    hint
}

/// A text field as the vault keeps it: trimmed, `None` when empty; refused when too long or when
/// it holds control characters other than newline and tab. Borrowed, for checks that keep nothing.
fn checked_text<'a>(field: &str, value: Option<&'a str>) -> Result<Option<&'a str>> {
    let Some(value) = value else { return Ok(None) };
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.len() > MAX_TEXT {
        return Err(Error::invalid(field, format!("is longer than {MAX_TEXT} bytes")));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(Some(trimmed))
}

fn clean_text(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    let Some(trimmed) = checked_text(field, Some(&value))?.map(str::len) else { return Ok(None) };
    if trimmed == value.len() {
        return Ok(Some(value));
    }
    let start = value.len() - value.trim_start().len();
    Ok(Some(value[start..start + trimmed].to_owned()))
}

fn clean_name(name: String) -> Result<String> {
    clean_text("name", Some(name))?
        .filter(|n| !n.contains('\n'))
        .ok_or_else(|| Error::invalid("name", "a token needs a one-line name"))
}

fn clean_list(field: &str, items: Vec<String>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if let Some(item) = clean_text(field, Some(item))? {
            check_list_item(field, &item)?;
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    Ok(out)
}

fn check_list_item(field: &str, item: &str) -> Result<()> {
    if item.contains(['\n', ',']) {
        return Err(Error::invalid(field, format!("'{item}' may not contain commas or newlines")));
    }
    Ok(())
}

fn clean_url(url: Option<String>) -> Result<Option<String>> {
    checked_url(url.as_deref())?;
    clean_text("url", url)
}

fn checked_url(url: Option<&str>) -> Result<()> {
    if let Some(u) = checked_text("url", url)? {
        if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(char::is_whitespace) {
            return Err(Error::invalid("url", format!("'{u}' is not an http(s) address")));
        }
    }
    Ok(())
}

pub(crate) fn check_secret(secret: &SecretString) -> Result<()> {
    let s = secret.expose_secret();
    if s.trim().is_empty() {
        return Err(Error::invalid("secret", "the secret is empty"));
    }
    if s.len() > MAX_SECRET_BYTES {
        return Err(Error::invalid("secret", format!("the secret is longer than {} KiB", MAX_SECRET_BYTES / 1024)));
    }
    Ok(())
}

/// A rotation policy from outside (a form, the CLI, an import): 1 to [`expiry::MAX_DAYS`] days.
fn clean_rotation_days(days: Option<u32>) -> Result<Option<u32>> {
    days.map(|d| expiry::check_days("rotation_max_age_days", d)).transpose()
}

/// An expiry from outside: within the years [`expiry::instant_in_range`] allows.
fn clean_expiry(at: Option<DateTime<Utc>>) -> Result<Option<DateTime<Utc>>> {
    at.map(|t| expiry::check_instant("expires_at", t)).transpose()
}

impl Vault {
    /// Adds a token: seals its secret under the field key with the token id as associated data,
    /// fingerprints it, and records a `created` event, all in one transaction.
    pub fn add_token(&mut self, new: NewToken, now: DateTime<Utc>) -> Result<Token> {
        let id = uuid::Uuid::now_v7().to_string();
        let tx = self.conn.transaction()?;
        insert_token(&tx, &self.keys, &id, new, now, now)?;
        audit_log::append(&tx, &self.keys.audit, now, EventKind::Created, Some(&id), &serde_json::json!({}))?;
        tx.commit()?;
        self.refresh_reminder_index();
        self.token(&id)
    }

    /// Adds many tokens in one transaction: all or none.
    pub fn add_tokens(&mut self, batch: Vec<NewToken>, now: DateTime<Utc>) -> Result<Vec<String>> {
        let tx = self.conn.transaction()?;
        let mut ids = BatchIds::new();
        let batch: Vec<_> = batch.into_iter().map(|new| NewRow::new(ids.next_id(), new, now)).collect();
        let ids = batch.iter().map(|row| row.id.clone()).collect::<Vec<_>>();
        insert_tokens(&tx, &self.keys, batch, now)?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::Created,
            None,
            &serde_json::json!({ "count": ids.len() }),
        )?;
        tx.commit()?;
        self.refresh_reminder_index();
        Ok(ids)
    }

    pub fn token(&self, id: &str) -> Result<Token> {
        store::tokens::get(&self.conn, id)?.ok_or_else(|| Error::TokenNotFound { query: id.to_owned() })
    }

    /// Finds one token by full id, a unique id prefix (8+ characters), or its exact name.
    pub fn resolve(&self, query: &str) -> Result<Token> {
        let query = query.trim();
        if let Ok(token) = self.token(query) {
            return Ok(token);
        }
        let mut candidates: Vec<String> = Vec::new();
        if query.len() >= 8 && query.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            candidates = store::tokens::ids_starting_with(&self.conn, &query.to_ascii_lowercase())?;
        }
        if candidates.is_empty() {
            // A rotation leaves the replaced token under the same name: a name means the live one
            // when exactly one token of that name is neither revoked, archived nor replaced.
            let named = store::tokens::named(&self.conn, query)?;
            let live: Vec<String> = named.iter().filter(|(_, live)| *live).map(|(id, _)| id.clone()).collect();
            candidates = if live.len() == 1 { live } else { named.into_iter().map(|(id, _)| id).collect() };
        }
        match candidates.len() {
            0 => Err(Error::TokenNotFound { query: query.to_owned() }),
            1 => self.token(&candidates[0]),
            count => Err(Error::AmbiguousToken { query: query.to_owned(), count }),
        }
    }

    /// Lists token metadata, filtered and sorted. Never reads a secret.
    pub fn list_tokens(&self, filter: &TokenFilter, now: DateTime<Utc>) -> Result<Vec<TokenSummary>> {
        let order = match filter.sort {
            SortOrder::TimeLeft => store::tokens::Order::TimeLeft,
            SortOrder::Name => store::tokens::Order::Name,
            SortOrder::Provider => store::tokens::Order::Provider,
            SortOrder::RecentlyAdded => store::tokens::Order::RecentlyAdded,
        };
        let query = store::tokens::Query {
            provider: filter.provider.as_ref().map(ProviderId::as_str),
            tag: filter.tag.as_deref(),
            environment: filter.environment.as_deref(),
            expires_by: filter.expiring_within.map(|d| now + d),
            search: filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase),
            include_archived: filter.include_archived || filter.status == Some(TokenStatus::Archived),
            order,
        };
        let rows = store::tokens::list(&self.conn, &query)?;
        let mut out = Vec::new();
        for token in rows {
            let summary = TokenSummary::new(token, now);
            if filter.status.is_none_or(|s| s == summary.effective_status) {
                out.push(summary);
            }
        }
        Ok(out)
    }

    /// Applies a patch; replacing the secret re-seals it and updates fingerprint and hint.
    pub fn update_token(&mut self, id: &str, patch: TokenPatch, now: DateTime<Utc>) -> Result<Token> {
        let mut token = self.token(id)?;
        let mut changed: Vec<&str> = Vec::new();
        macro_rules! set {
            ($field:ident, $value:expr) => {{
                let value = $value;
                if token.$field != value {
                    token.$field = value;
                    changed.push(stringify!($field));
                }
            }};
        }
        if let Some(v) = patch.name {
            set!(name, clean_name(v)?);
        }
        if let Some(v) = patch.provider {
            set!(provider, v);
        }
        if let Some(v) = patch.kind {
            set!(kind, v);
        }
        if let Some(v) = patch.account {
            set!(account, clean_text("account", v)?);
        }
        if let Some(v) = patch.environment {
            set!(environment, clean_text("environment", v)?);
        }
        if let Some(v) = patch.scopes {
            set!(scopes, clean_list("scopes", v)?);
        }
        if let Some(v) = patch.tags {
            set!(tags, clean_list("tags", v)?);
        }
        if let Some(v) = patch.purpose {
            set!(purpose, clean_text("purpose", v)?);
        }
        if let Some(v) = patch.notes {
            set!(notes, clean_text("notes", v)?);
        }
        if let Some(v) = patch.url {
            set!(url, clean_url(v)?);
        }
        if let Some(v) = patch.expires_at {
            set!(expires_at, clean_expiry(v)?);
        }
        if let Some(v) = patch.rotation_max_age_days {
            set!(rotation_max_age_days, clean_rotation_days(v)?);
        }
        if let Some(v) = patch.status {
            set!(status, v);
        }
        let tx = self.conn.transaction()?;
        if let Some(secret) = &patch.secret {
            check_secret(secret)?;
            token.hint = display_hint(secret.expose_secret());
            let (sealed, fingerprint) = seal_secret(&self.keys, id, secret);
            store::secrets::replace(&tx, id, &sealed, fingerprint.as_slice())?;
            audit_log::append(&tx, &self.keys.audit, now, EventKind::SecretReplaced, Some(id), &serde_json::json!({}))?;
        }
        if changed.is_empty() && patch.secret.is_none() {
            return Ok(token);
        }
        store::tokens::write(&tx, &token, now)?;
        if !changed.is_empty() {
            let kind = match patch.status {
                Some(TokenStatus::Archived) if changed == ["status"] => EventKind::Archived,
                Some(_) if changed == ["status"] => EventKind::Restored,
                _ => EventKind::Edited,
            };
            audit_log::append(&tx, &self.keys.audit, now, kind, Some(id), &serde_json::json!({ "fields": changed }))?;
        }
        tx.commit()?;
        self.refresh_reminder_index();
        token.updated_at = now;
        Ok(token)
    }

    pub fn archive_token(&mut self, id: &str, now: DateTime<Utc>) -> Result<Token> {
        self.update_token(id, TokenPatch { status: Some(TokenStatus::Archived), ..TokenPatch::default() }, now)
    }

    /// Deletes a token, its secret and its usages for good. Its history stays in the log.
    pub fn purge_token(&mut self, id: &str, now: DateTime<Utc>) -> Result<()> {
        let token = self.token(id)?;
        let tx = self.conn.transaction()?;
        store::tokens::delete(&tx, id)?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::Purged,
            Some(id),
            &serde_json::json!({ "name": token.name }),
        )?;
        tx.commit()?;
        self.refresh_reminder_index();
        Ok(())
    }

    /// Opens a token's secret and logs why (`Revealed` or `Copied`). The only way a secret leaves
    /// one at a time; an export opens many and logs once.
    pub fn reveal_secret(&mut self, id: &str, purpose: EventKind, now: DateTime<Utc>) -> Result<SecretString> {
        let secret = self.open_secret(id)?;
        self.log(now, purpose, Some(id), serde_json::json!({}))?;
        Ok(secret)
    }

    /// Opens a sealed secret without logging: callers log what they do with it.
    pub(crate) fn open_secret(&self, id: &str) -> Result<SecretString> {
        let sealed: Vec<u8> =
            store::secrets::sealed(&self.conn, id)?.ok_or_else(|| Error::TokenNotFound { query: id.to_owned() })?;
        let plain = crypto::open(&self.keys.field, &sealed, id.as_bytes()).ok_or_else(|| Error::Corrupt {
            path: self.dir().join(crate::vault::DB_FILE),
            detail: format!("the secret of token {id} fails authentication"),
        })?;
        let text = String::from_utf8(plain.to_vec())
            .map_err(|_| Error::Internal(format!("the secret of token {id} is not UTF-8")))?;
        Ok(SecretString::from(text))
    }

    /// Tokens whose secret has this fingerprint (for de-duplication), without decrypting anything.
    pub fn find_by_secret(&self, secret: &SecretString) -> Result<Vec<String>> {
        self.find_by_fingerprint(&self.keys.fingerprint(secret.expose_secret().as_bytes()))
    }

    /// Tokens whose secret has this keyed fingerprint (see [`crate::crypto::SubKeys::fingerprint`]).
    pub(crate) fn find_by_fingerprint(&self, fingerprint: &[u8; 32]) -> Result<Vec<String>> {
        store::secrets::ids_with_fingerprint(&self.conn, fingerprint.as_slice())
    }
}

/// Marks a token revoked inside the caller's transaction and logs it.
pub(crate) fn set_revoked(
    conn: &rusqlite::Connection,
    audit: &[u8; 32],
    token_id: &str,
    method: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    store::tokens::set_revoked(conn, token_id, method, now)?;
    audit_log::append(conn, audit, now, EventKind::Revoked, Some(token_id), &serde_json::json!({ "method": method }))
}

/// Checks a token to add against the same rules `add_token` applies, without writing anything.
/// A new token's fields, borrowed from wherever they are (a form, an import's record), to check
/// them as [`insert_tokens`] would without copying any.
pub(crate) struct NewFields<'a> {
    pub secret: &'a SecretString,
    pub name: &'a str,
    pub account: Option<&'a str>,
    pub environment: Option<&'a str>,
    pub purpose: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub scopes: &'a [String],
    pub tags: &'a [String],
    pub url: Option<&'a str>,
    pub expires_at: Option<DateTime<Utc>>,
    pub rotation_max_age_days: Option<u32>,
}

/// Whether the vault would take these fields, with the error it would give.
pub(crate) fn check_fields(new: &NewFields<'_>) -> Result<()> {
    check_secret(new.secret)?;
    if checked_text("name", Some(new.name))?.is_none_or(|n| n.contains('\n')) {
        return Err(Error::invalid("name", "a token needs a one-line name"));
    }
    checked_text("account", new.account)?;
    checked_text("environment", new.environment)?;
    checked_text("purpose", new.purpose)?;
    checked_text("notes", new.notes)?;
    for (field, items) in [("scopes", new.scopes), ("tags", new.tags)] {
        for item in items {
            if let Some(item) = checked_text(field, Some(item))? {
                check_list_item(field, item)?;
            }
        }
    }
    checked_url(new.url)?;
    clean_expiry(new.expires_at)?;
    clean_rotation_days(new.rotation_max_age_days)?;
    Ok(())
}

fn seal_secret(keys: &crypto::SubKeys, id: &str, secret: &SecretString) -> SealedSecret {
    let bytes = secret.expose_secret().as_bytes();
    (crypto::seal(&keys.field, bytes, id.as_bytes()), keys.fingerprint(bytes))
}

/// Inserts a token created at `created_at`. Its reminders count from `added_at`, the moment it
/// enters the vault (an import keeps the source's creation date but is added now).
pub(crate) fn insert_token(
    tx: &rusqlite::Transaction<'_>,
    keys: &crypto::SubKeys,
    id: &str,
    new: NewToken,
    created_at: DateTime<Utc>,
    added_at: DateTime<Utc>,
) -> Result<()> {
    insert_tokens(tx, keys, vec![NewRow::new(id.to_owned(), new, created_at)], added_at)
}

/// One token for [`insert_tokens`].
pub(crate) struct NewRow {
    pub id: String,
    pub token: NewToken,
    pub created_at: DateTime<Utc>,
    /// The secret's fingerprint under the vault's fingerprint key, when the caller has it already
    /// (an import's plan made it to find duplicates); made here otherwise.
    pub fingerprint: Option<[u8; 32]>,
}

impl NewRow {
    pub(crate) fn new(id: String, token: NewToken, created_at: DateTime<Utc>) -> NewRow {
        NewRow { id, token, created_at, fingerprint: None }
    }
}

/// Inserts many tokens as [`insert_token`] does, a statement's worth at a time: those rows are
/// checked, sealed and spelled out, then go in together (see `store::tokens::insert_made`). A row
/// that fails its checks fails the call; the caller's transaction then writes none of them.
///
/// Working through the batch in slices keeps each slice's rows in memory the next ones reuse
/// (building all 10,000 rows first cost an import fresh pages, which the wiping allocator fills
/// when they are allocated and again when freed). A batch of more than one slice is made on a
/// second thread while this one writes: the two halves of the work are about the same size, so on
/// two cores the writing no longer waits for the making.
pub(crate) fn insert_tokens(
    tx: &rusqlite::Transaction<'_>,
    keys: &crypto::SubKeys,
    batch: Vec<NewRow>,
    added_at: DateTime<Utc>,
) -> Result<()> {
    let slice = store::tokens::ROWS_PER_INSERT;
    let mut maker = RowMaker::new(keys, batch.len());
    if batch.len() <= slice {
        return maker.make(batch)?.write(tx, added_at);
    }
    std::thread::scope(|threads| {
        // Two slices may wait made, so the maker runs ahead of the writer but not without bound.
        let (made, writer) = std::sync::mpsc::sync_channel::<Result<MadeRows>>(2);
        threads.spawn(move || {
            let mut batch = batch.into_iter().peekable();
            while batch.peek().is_some() {
                let rows = maker.make(batch.by_ref().take(slice));
                let failed = rows.is_err();
                // The writer stops taking slices when it fails: then this stops too.
                if made.send(rows).is_err() || failed {
                    return;
                }
            }
        });
        for rows in writer {
            rows?.write(tx, added_at)?;
        }
        Ok(())
    })
}

/// Checks, seals and spells out new rows (one batch's nonces drawn at once, HMAC keyed once).
struct RowMaker {
    sealer: crypto::Sealer,
    fingerprinter: crypto::Fingerprinter,
}

/// A slice of new rows ready to be written: `texts[i]` and `sealed[i]` belong to `tokens[i]`.
struct MadeRows {
    tokens: Vec<Token>,
    texts: Vec<store::tokens::RowTexts>,
    sealed: Vec<(Vec<u8>, [u8; 32])>,
}

impl RowMaker {
    fn new(keys: &crypto::SubKeys, count: usize) -> RowMaker {
        RowMaker { sealer: crypto::Sealer::new(&keys.field, count), fingerprinter: keys.fingerprinter() }
    }

    fn make(&mut self, rows: impl IntoIterator<Item = NewRow>) -> Result<MadeRows> {
        let rows = rows.into_iter();
        let count = rows.size_hint().0;
        let mut made = MadeRows {
            tokens: Vec::with_capacity(count),
            texts: Vec::with_capacity(count),
            sealed: Vec::with_capacity(count),
        };
        for row in rows {
            let fingerprint = match row.fingerprint {
                Some(known) => known,
                None => self.fingerprinter.fingerprint(row.token.secret.expose_secret().as_bytes()),
            };
            let (token, sealed) = new_row(&mut self.sealer, row.id, row.token, row.created_at)?;
            made.texts.push(store::tokens::RowTexts::of(&token));
            made.tokens.push(token);
            made.sealed.push((sealed, fingerprint));
        }
        Ok(made)
    }
}

impl MadeRows {
    fn write(&self, tx: &rusqlite::Transaction<'_>, added_at: DateTime<Utc>) -> Result<()> {
        store::tokens::insert_made(tx, &self.tokens, &self.texts, added_at)?;
        let secrets: Vec<(&str, &[u8], &[u8])> = self
            .tokens
            .iter()
            .zip(&self.sealed)
            .map(|(token, (sealed, fingerprint))| (token.id.as_str(), sealed.as_slice(), fingerprint.as_slice()))
            .collect();
        store::secrets::insert_many(tx, &secrets)
    }
}

/// Ids for tokens made together (an import, a bulk add): UUIDv7 as `Uuid::now_v7` makes them, but
/// with the batch's millisecond and, in the 74 bits `now_v7` fills from the OS's random source on
/// every call, a counter from a random start (RFC 9562's fixed-length counter method). The ids still
/// sort in the order they are made (the id index is appended to, not split), and 10,000 of them
/// cost one draw of randomness instead of 10,000 `getrandom` calls.
pub(crate) struct BatchIds {
    millis: u64,
    next: u128,
}

impl BatchIds {
    pub(crate) fn new() -> Self {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        // The start lies in the lower half of the 74 bits, so no batch runs past their end.
        BatchIds { millis, next: rand::random::<u128>() & ((1 << 73) - 1) }
    }

    pub(crate) fn next_id(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        // rand_a (12 bits) then rand_b (62 bits); the builder sets the version and variant bits
        // above each, which the counter leaves at zero.
        let mut bytes = [0u8; 10];
        bytes[..2].copy_from_slice(&(((n >> 62) & 0x0fff) as u16).to_be_bytes());
        bytes[2..].copy_from_slice(&((n & ((1 << 62) - 1)) as u64).to_be_bytes());
        uuid::Builder::from_unix_timestamp_millis(self.millis, &bytes).into_uuid().to_string()
    }
}

/// A secret sealed under the field key, and its keyed fingerprint.
type SealedSecret = (Vec<u8>, [u8; 32]);

/// A new token's row and its secret sealed, once every field checks out.
fn new_row(
    sealer: &mut crypto::Sealer,
    id: String,
    new: NewToken,
    created_at: DateTime<Utc>,
) -> Result<(Token, Vec<u8>)> {
    // Checked in this order, so that the first of several problems is the one reported.
    check_secret(&new.secret)?;
    let name = clean_name(new.name)?;
    let hint = display_hint(new.secret.expose_secret());
    let sealed = sealer.seal(new.secret.expose_secret().as_bytes(), id.as_bytes());
    let account = clean_text("account", new.account)?;
    let environment = clean_text("environment", new.environment)?;
    let tags = clean_list("tags", new.tags)?;
    let notes = clean_text("notes", new.notes)?;
    let scopes = clean_list("scopes", new.scopes)?;
    let purpose = clean_text("purpose", new.purpose)?;
    let url = clean_url(new.url)?;
    let expires_at = clean_expiry(new.expires_at)?;
    let rotation_max_age_days = clean_rotation_days(new.rotation_max_age_days)?;
    let token = Token {
        id,
        name,
        provider: new.provider,
        kind: new.kind,
        hint,
        account,
        environment,
        scopes,
        tags,
        purpose,
        notes,
        url,
        created_at,
        updated_at: created_at,
        expires_at,
        rotation_max_age_days,
        last_rotated_at: None,
        last_used_at: None,
        last_used_source: None,
        last_verified_at: None,
        last_verified_result: None,
        status: TokenStatus::Active,
        replaced_by: None,
        replaces: None,
        revoked_at: None,
        revoke_method: None,
    };
    Ok((token, sealed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn test_now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_795_000_000, 0).unwrap()
    }

    /// A new vault with a cheap Argon2id, in `dir`.
    fn cheap_vault(dir: &std::path::Path, now: DateTime<Utc>) -> Vault {
        let cheap = crate::KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
        Vault::create(&dir.join("v"), &SecretString::from("test password"), cheap, now).unwrap()
    }

    proptest! {
        #[test]
        fn search_text_is_the_fields_joined_then_lowercased(
            name in "[^\\p{C}\\s][^\\p{C}\\n]{0,11}",
            account in proptest::option::of("[a-zA-ZΣσİß.-]{1,10}"),
            tags in proptest::collection::vec("[A-Za-zΣÉ0-9-]{1,6}", 0..4),
            notes in proptest::option::of("[^\\p{C}\\s][^\\p{C}]{0,19}"),
            secret in "[A-Za-z0-9_]{16,40}",
        ) {
            let mut new = NewToken::new(name, ProviderId::generic(), TokenKind::ApiKey, SecretString::from(secret));
            (new.account, new.tags, new.notes) = (account, tags, notes);
            let (t, _) = new_row(&mut crypto::Sealer::new(&[0; 32], 1), "id".to_owned(), new, test_now()).unwrap();
            let joined = [
                t.name.as_str(),
                t.account.as_deref().unwrap_or(""),
                t.environment.as_deref().unwrap_or(""),
                t.provider.as_str(),
                &t.hint,
                &t.tags.join(" "),
                t.notes.as_deref().unwrap_or(""),
            ]
            .join("\u{1f}")
            .to_lowercase();
            prop_assert_eq!(store::tokens::search_text(&t), joined);
        }
    }

    #[test]
    fn batch_ids_are_distinct_version_7_uuids_of_this_moment_in_the_order_they_are_made() {
        let before = uuid::Uuid::now_v7();
        let mut batch = BatchIds::new();
        let ids: Vec<uuid::Uuid> = (0..5000).map(|_| uuid::Uuid::parse_str(&batch.next_id()).unwrap()).collect();
        let after = uuid::Uuid::now_v7();
        assert!(ids.iter().all(|id| id.get_version_num() == 7 && id.get_variant() == uuid::Variant::RFC4122));
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "strictly increasing, so distinct");
        let millis = |id: &uuid::Uuid| id.get_timestamp().unwrap().to_unix();
        assert!(millis(&before) <= millis(&ids[0]) && millis(&ids[4999]) <= millis(&after));
    }

    #[test]
    fn hints_keep_the_public_prefix_and_last_four() {
        assert_eq!(display_hint("ghp_0123456789abcdefghijklmnopqrstuva1B2"), "ghp_…a1B2");
        assert_eq!(display_hint("0123456789abcdefWXYZ"), "…WXYZ");
        assert_eq!(display_hint("short-secret"), "••••");
    }

    #[test]
    fn kinds_and_statuses_parse_loosely_and_reject_unknown_words() {
        assert_eq!("API key".parse::<TokenKind>().unwrap(), TokenKind::ApiKey);
        assert_eq!("personal-access-token".parse::<TokenKind>().unwrap(), TokenKind::PersonalAccessToken);
        assert_eq!("Revoked".parse::<TokenStatus>().unwrap(), TokenStatus::Revoked);
        let err = "bogus".parse::<TokenKind>().unwrap_err().to_string();
        assert!(err.contains("api_key"), "{err}");
    }

    #[test]
    fn a_bad_row_in_a_later_slice_of_a_batch_fails_it_whole_and_a_good_batch_lands_whole() {
        let (dir, now) = (tempfile::tempdir().unwrap(), test_now());
        let mut vault = cheap_vault(dir.path(), now);
        let rows = 3 * store::tokens::ROWS_PER_INSERT + 17;
        let batch = |bad: Option<usize>| -> Vec<NewToken> {
            (0..rows)
                .map(|i| {
                    let name = if Some(i) == bad { " ".to_owned() } else { format!("token {i}") };
                    let secret = SecretString::from(format!("batch-secret-{i:05}-abcdefgh"));
                    NewToken::new(&name, ProviderId::generic(), TokenKind::ApiKey, secret)
                })
                .collect()
        };
        // The bad row lies in the third slice, made while the first ones are already written.
        let bad = 2 * store::tokens::ROWS_PER_INSERT + 5;
        let err = vault.add_tokens(batch(Some(bad)), now).err().unwrap();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput, "{err}");
        assert_eq!(vault.conn.query_row("SELECT count(*) FROM tokens", [], |r| r.get::<_, i64>(0)).unwrap(), 0);
        assert_eq!(vault.conn.query_row("SELECT count(*) FROM token_secrets", [], |r| r.get::<_, i64>(0)).unwrap(), 0);

        let ids = vault.add_tokens(batch(None), now).unwrap();
        assert_eq!(ids.len(), rows);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(vault.token(id).unwrap().name, format!("token {i}"));
            let secret = vault.reveal_secret(id, EventKind::Revealed, now).unwrap();
            assert_eq!(secret.expose_secret(), format!("batch-secret-{i:05}-abcdefgh"));
        }
    }

    #[test]
    fn a_sealed_secret_moved_to_another_token_does_not_open() {
        let (dir, now) = (tempfile::tempdir().unwrap(), test_now());
        let mut vault = cheap_vault(dir.path(), now);
        let mk = |name: &str, s: &str| {
            NewToken::new(name, ProviderId::generic(), TokenKind::ApiKey, SecretString::from(s.to_owned()))
        };
        let a = vault.add_token(mk("a", "secret-of-a-0000000000"), now).unwrap();
        let b = vault.add_token(mk("b", "secret-of-b-0000000000"), now).unwrap();
        vault
            .conn
            .execute("UPDATE token_secrets SET sealed = (SELECT sealed FROM token_secrets WHERE token_id = ?1) WHERE token_id = ?2", [&a.id, &b.id])
            .unwrap();
        let err = vault.reveal_secret(&b.id, EventKind::Revealed, now).err().unwrap();
        assert_eq!(err.code(), crate::ErrorCode::Corrupt);
        assert!(!err.to_string().contains("secret-of"), "{err}");
    }

    fn hostile_vault() -> (tempfile::TempDir, Vault, DateTime<Utc>) {
        use chrono::TimeZone;
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let cheap = crate::KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
        let vault = Vault::create(&dir.path().join("v"), &SecretString::from("test password"), cheap, now).unwrap();
        (dir, vault, now)
    }

    fn plain(name: &str) -> NewToken {
        NewToken::new(
            name,
            ProviderId::generic(),
            TokenKind::ApiKey,
            SecretString::from("secret-0000000000".to_owned()),
        )
    }

    #[test]
    fn rotation_policies_and_expiries_out_of_range_are_refused_on_add_and_edit() {
        use chrono::TimeZone;
        let (_dir, mut vault, now) = hostile_vault();
        for days in [0, 36_501, 4_000_000_000] {
            let mut t = plain("rot");
            t.rotation_max_age_days = Some(days);
            let err = vault.add_token(t, now).err().unwrap();
            assert!(err.to_string().starts_with("rotation_max_age_days:"), "{err}");
        }
        let mut far = plain("far");
        far.expires_at = Some(Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap());
        assert!(vault.add_token(far, now).err().unwrap().to_string().starts_with("expires_at:"));
        let ok = vault.add_token(plain("ok"), now).unwrap();
        let patch = TokenPatch { rotation_max_age_days: Some(Some(4_000_000_000)), ..TokenPatch::default() };
        assert!(vault.update_token(&ok.id, patch, now).is_err());
        assert_eq!(vault.token(&ok.id).unwrap().rotation_max_age_days, None, "nothing written");
        assert_eq!(vault.list_tokens(&TokenFilter::default(), now).unwrap().len(), 1);
    }

    #[test]
    fn a_stored_rotation_policy_out_of_range_is_ignored_by_reminders_not_a_panic() {
        let (_dir, mut vault, now) = hostile_vault();
        let t = vault.add_token(plain("old import"), now).unwrap();
        // As an import before range checks could have left it.
        vault.conn.execute("UPDATE tokens SET rotation_max_age_days = 4000000000 WHERE id = ?1", [&t.id]).unwrap();
        let entries = vault.reminder_entries().unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].rotation_due_at, None, "the hostile policy is ignored");
        vault.write_reminder_index().unwrap();
    }
}
