//! The `tokens` table: every token's metadata, one row each, and the search text derived from it.
//! Rows come and go as [`Token`]s; the secret lives apart (see `secrets`). What may be written
//! (clean names, ranges, state changes) is decided by the domain modules before they call here.

use chrono::{DateTime, Utc};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, ToSql};
use std::fmt::Write as _;
use tokenwarden_formats::Restored;
use tokenwarden_providers::ProviderId;

use super::{run, unreadable};
use crate::error::Result;
use crate::timestamp;
use tokenwarden_formats::model::{Token, TokenKind, TokenStatus};

const COLUMNS: &str = "id, name, provider, kind, hint, account, environment, scopes, tags, purpose, notes, url,
    created_at, updated_at, expires_at, rotation_max_age_days, last_rotated_at, last_used_at, last_used_source,
    last_verified_at, last_verified_result, status, replaced_by, replaces, revoked_at, revoke_method";

fn token_from_row(r: &Row<'_>) -> rusqlite::Result<Token> {
    // Columns that are parsed are read in place from the row, not copied into a String first:
    // a list of 10,000 tokens makes 80,000 fewer allocations (each wiped when freed).
    let text = |i: usize| -> rusqlite::Result<&str> {
        r.get_ref(i)?.as_str().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, r_type(r, i), Box::new(e)))
    };
    let at = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        let raw = r
            .get_ref(i)?
            .as_str_or_null()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, r_type(r, i), Box::new(e)))?;
        raw.map(timestamp::decode).transpose().map_err(unreadable)
    };
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        let raw = text(i)?;
        if raw == "[]" {
            return Ok(Vec::new());
        }
        serde_json::from_str(raw)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
    };
    let provider: String = r.get(2)?;
    Ok(Token {
        id: r.get(0)?,
        name: r.get(1)?,
        provider: ProviderId::try_from(provider).unwrap_or_else(|_| ProviderId::generic()),
        kind: text(3)?.parse::<TokenKind>().map_err(|e| unreadable(e.into()))?,
        hint: r.get(4)?,
        account: r.get(5)?,
        environment: r.get(6)?,
        scopes: list(7)?,
        tags: list(8)?,
        purpose: r.get(9)?,
        notes: r.get(10)?,
        url: r.get(11)?,
        created_at: at(12)?.unwrap_or_default(),
        updated_at: at(13)?.unwrap_or_default(),
        expires_at: at(14)?,
        rotation_max_age_days: r.get(15)?,
        last_rotated_at: at(16)?,
        last_used_at: at(17)?,
        last_used_source: r.get(18)?,
        last_verified_at: at(19)?,
        last_verified_result: r.get(20)?,
        status: text(21)?.parse::<TokenStatus>().map_err(|e| unreadable(e.into()))?,
        replaced_by: r.get(22)?,
        replaces: r.get(23)?,
        revoked_at: at(24)?,
        revoke_method: r.get(25)?,
    })
}

/// The storage class of a column's value, for an error about it.
fn r_type(r: &Row<'_>, i: usize) -> rusqlite::types::Type {
    r.get_ref(i).map(|v| v.data_type()).unwrap_or(rusqlite::types::Type::Null)
}

fn json_list(items: &[String]) -> String {
    // Infallible: a list of strings always serializes.
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

/// What search matches against: the searchable fields, lowercased, in one string.
/// The fields are joined by U+001F (the tags by spaces), built in one buffer with each ASCII piece
/// lowercased in place (an import makes one for each of thousands of tokens). Lowercasing piece by
/// piece gives what lowercasing the whole does: the separators are neither cased nor case-ignorable,
/// so no piece's final sigma depends on its neighbours.
pub(crate) fn search_text(token: &Token) -> String {
    let parts = [
        token.name.as_str(),
        token.account.as_deref().unwrap_or(""),
        token.environment.as_deref().unwrap_or(""),
        token.provider.as_str(),
        &token.hint,
    ];
    let notes = token.notes.as_deref().unwrap_or("");
    let tags: usize = token.tags.iter().map(|t| t.len() + 1).sum();
    let mut text = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + tags + notes.len() + 8);
    let push = |text: &mut String, piece: &str| {
        if piece.is_ascii() {
            let from = text.len();
            text.push_str(piece);
            text[from..].make_ascii_lowercase();
        } else if !piece.contains('Σ') {
            // Char by char, as `str::to_lowercase` does for all but a capital sigma (whose lowercase
            // depends on its neighbours): no string of its own for the hint's `…` or a name's accent.
            text.extend(piece.chars().flat_map(char::to_lowercase));
        } else {
            text.push_str(&piece.to_lowercase());
        }
    };
    for part in parts {
        push(&mut text, part);
        text.push('\u{1f}');
    }
    for (i, tag) in token.tags.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        push(&mut text, tag);
    }
    text.push('\u{1f}');
    push(&mut text, notes);
    text
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<Token>> {
    run(conn, || {
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM tokens WHERE id = ?1"))?
            .query_row([id], token_from_row)
            .optional()
    })
}

pub(crate) fn exists(conn: &Connection, id: &str) -> Result<bool> {
    run(conn, || conn.prepare_cached("SELECT 1 FROM tokens WHERE id = ?1")?.exists([id]))
}

/// Up to three ids that start with `prefix` (lowercase hex and dashes).
pub(crate) fn ids_starting_with(conn: &Connection, prefix: &str) -> Result<Vec<String>> {
    run(conn, || {
        let mut stmt = conn.prepare("SELECT id FROM tokens WHERE id LIKE ?1 ESCAPE '\\' LIMIT 3")?;
        let rows = stmt.query_map([format!("{prefix}%")], |r| r.get(0))?;
        rows.collect()
    })
}

/// Up to 50 tokens named `name` (case-insensitively): each id, and whether it is live (neither
/// revoked, archived nor replaced).
pub(crate) fn named(conn: &Connection, name: &str) -> Result<Vec<(String, bool)>> {
    run(conn, || {
        let mut stmt = conn.prepare(
            "SELECT id, status NOT IN ('revoked', 'archived') AND replaced_by IS NULL
             FROM tokens WHERE name = ?1 COLLATE NOCASE LIMIT 50",
        )?;
        let rows = stmt.query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    })
}

/// The order of a list.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Order {
    /// Soonest expiry first, tokens without expiry last.
    TimeLeft,
    Name,
    Provider,
    RecentlyAdded,
}

/// Which rows a list holds; `None` leaves a condition out.
pub(crate) struct Query<'a> {
    pub provider: Option<&'a str>,
    /// One of the token's tags.
    pub tag: Option<&'a str>,
    /// Compared case-insensitively.
    pub environment: Option<&'a str>,
    /// Expires at or before this instant.
    pub expires_by: Option<DateTime<Utc>>,
    /// Lowercase text found in the search text.
    pub search: Option<String>,
    pub include_archived: bool,
    pub order: Order,
}

pub(crate) fn list(conn: &Connection, query: &Query<'_>) -> Result<Vec<Token>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tokens
         WHERE (?1 IS NULL OR provider = ?1)
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(tokens.tags) WHERE value = ?2))
           AND (?3 IS NULL OR environment = ?3 COLLATE NOCASE)
           AND (?4 IS NULL OR (expires_at IS NOT NULL AND expires_at <= ?4))
           AND (?5 IS NULL OR instr(search_text, ?5) > 0)
           AND (?6 OR status != 'archived')"
    );
    let mut tokens = run(conn, || {
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                query.provider,
                query.tag,
                query.environment,
                query.expires_by.map(timestamp::encode),
                query.search,
                query.include_archived,
            ],
            token_from_row,
        )?;
        rows.collect::<rusqlite::Result<Vec<Token>>>()
    })?;
    sort(&mut tokens, query.order);
    Ok(tokens)
}

/// Sorts a list here rather than with ORDER BY: SQLite's sorter copies every row's record into a
/// buffer of its own on the way out, an allocation (locked, wiped and unlocked under SQLCipher's
/// memory security) per row; read in table order, rows come straight from the page cache.
/// Names compare as `COLLATE NOCASE` does (ASCII letters folded); equal keys keep table order.
///
/// The sort moves small keys, not tokens (a token is over 500 bytes, which a merge sort would copy
/// a dozen times over at 10,000 tokens): each key holds what most comparisons need (the date, the
/// name's first bytes folded) next to its neighbours, and ends in the token's place in the table, so
/// no two keys are equal and an unstable sort orders them as a stable one would. Each token is then
/// moved once, into its place.
fn sort(tokens: &mut [Token], order: Order) {
    let mut keys: Vec<SortKey<'_>> = tokens
        .iter()
        .enumerate()
        .map(|(at, token)| SortKey {
            when: match order {
                Order::TimeLeft => token.expires_at,
                Order::RecentlyAdded => Some(token.created_at),
                Order::Name | Order::Provider => None,
            },
            name: folded_prefix(&token.name),
            token,
            at,
        })
        .collect();
    let by_name =
        |a: &SortKey<'_>, b: &SortKey<'_>| a.name.cmp(&b.name).then_with(|| nocase(&a.token.name, &b.token.name));
    match order {
        Order::TimeLeft => keys.sort_unstable_by(|a, b| {
            (a.when.is_none(), a.when)
                .cmp(&(b.when.is_none(), b.when))
                .then_with(|| by_name(a, b))
                .then(a.at.cmp(&b.at))
        }),
        Order::Name => {
            keys.sort_unstable_by(|a, b| by_name(a, b).then_with(|| a.token.id.cmp(&b.token.id)).then(a.at.cmp(&b.at)))
        }
        Order::Provider => keys.sort_unstable_by(|a, b| {
            a.token.provider.as_str().cmp(b.token.provider.as_str()).then_with(|| by_name(a, b)).then(a.at.cmp(&b.at))
        }),
        Order::RecentlyAdded => {
            keys.sort_unstable_by(|a, b| (b.when, &b.token.id).cmp(&(a.when, &a.token.id)).then(a.at.cmp(&b.at)))
        }
    }
    let mut positions: Vec<usize> = keys.into_iter().map(|key| key.at).collect();
    place(tokens, &mut positions);
}

/// What [`sort`] compares a token by: `when` is the order's date (the expiry, or the creation).
struct SortKey<'a> {
    when: Option<DateTime<Utc>>,
    /// [`folded_prefix`] of the name.
    name: u128,
    token: &'a Token,
    /// The token's place in table order.
    at: usize,
}

/// `COLLATE NOCASE`: ASCII letters folded, then bytes compared.
fn nocase(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The first 16 bytes of `name` as [`nocase`] sees them, as a number that orders as they do: a
/// shorter name is padded with zeros, so it comes first, as it does when whole names are compared.
/// Two names with different numbers compare as the numbers do; equal numbers need [`nocase`].
fn folded_prefix(name: &str) -> u128 {
    let mut bytes = [0u8; 16];
    for (byte, c) in bytes.iter_mut().zip(name.bytes()) {
        *byte = c.to_ascii_lowercase();
    }
    u128::from_be_bytes(bytes)
}

/// Reorders `items` so that `items[k]` becomes the item that was at `from[k]`, following each cycle
/// of the permutation with swaps; `from` is used up (every entry ends as its own index).
fn place<T>(items: &mut [T], from: &mut [usize]) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let next = from[at];
            from[at] = at;
            if next == start || next == at {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// Every token, archived ones too, by id.
pub(crate) fn all_by_id(conn: &Connection) -> Result<Vec<Token>> {
    all(conn, "id")
}

/// Every token, archived ones too, oldest first.
pub(crate) fn all_by_creation(conn: &Connection) -> Result<Vec<Token>> {
    all(conn, "created_at, id")
}

fn all(conn: &Connection, order: &str) -> Result<Vec<Token>> {
    run(conn, || {
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM tokens ORDER BY {order}"))?;
        let rows = stmt.query_map([], token_from_row)?;
        rows.collect()
    })
}

/// How many tokens are archived (`true`) or not (`false`).
pub(crate) fn count(conn: &Connection, archived: bool) -> Result<u64> {
    let sql = if archived {
        "SELECT count(*) FROM tokens WHERE status = 'archived'"
    } else {
        "SELECT count(*) FROM tokens WHERE status != 'archived'"
    };
    run(conn, || conn.query_row(sql, [], |r| r.get(0)))
}

/// The values ?1 to ?17 of [`write`]: the token's own columns, with the edit's time `at` as ?13.
/// ([`insert_made`] binds the same columns by reference, in the same order.)
fn row_values(token: &Token, at: DateTime<Utc>) -> Vec<Value> {
    vec![
        token.id.clone().into(),
        token.name.clone().into(),
        token.provider.as_str().to_owned().into(),
        token.kind.as_str().to_owned().into(),
        token.hint.clone().into(),
        token.account.clone().into(),
        token.environment.clone().into(),
        json_list(&token.scopes).into(),
        json_list(&token.tags).into(),
        token.purpose.clone().into(),
        token.notes.clone().into(),
        token.url.clone().into(),
        timestamp::encode(at).into(),
        token.expires_at.map(timestamp::encode).into(),
        token.rotation_max_age_days.into(),
        token.status.as_str().to_owned().into(),
        search_text(token).into(),
    ]
}

/// Parameters each row binds in [`insert_made`]: its 19 columns but `updated_at` and `reminders_from`.
const PARAMS_PER_ROW: usize = 17;

/// Rows per INSERT statement in [`insert_made`] (17 parameters a row, well below SQLite's 32,766).
/// Measured on 10k rows after the KDF: 1 row 930 ms of CPU, 64 rows 640, 256 rows 495, 1,024 500.
pub(crate) const ROWS_PER_INSERT: usize = 256;

/// The columns of a new token's row that are made from it rather than bound from it as they are:
/// made apart from the insert, so that one thread can make a slice's while another writes the last.
pub(crate) struct RowTexts {
    scopes: String,
    tags: String,
    created_at: String,
    expires_at: Option<String>,
    search_text: String,
}

impl RowTexts {
    pub(crate) fn of(token: &Token) -> RowTexts {
        RowTexts {
            scopes: json_list(&token.scopes),
            tags: json_list(&token.tags),
            created_at: timestamp::encode(token.created_at),
            expires_at: token.expires_at.map(timestamp::encode),
            search_text: search_text(token),
        }
    }
}

/// Inserts new tokens' rows (each created and updated at its `created_at`; reminders count from
/// `added_at`, the moment they enter the vault), `ROWS_PER_INSERT` to a statement. Why not
/// one statement a row: the `status IN (…)` check builds a small temporary b-tree each time a
/// statement runs, and with SQLCipher's memory security on (every allocation locked, wiped byte by
/// byte and unlocked when freed) opening and dropping that b-tree's page cache cost more than the
/// row itself. Within one statement the b-tree is built once and reused for every row.
/// `texts[i]` are the made columns of `tokens[i]`.
pub(crate) fn insert_made(
    conn: &Connection,
    tokens: &[Token],
    texts: &[RowTexts],
    added_at: DateTime<Utc>,
) -> Result<()> {
    let added_at = timestamp::encode(added_at);
    for (chunk, made) in tokens.chunks(ROWS_PER_INSERT).zip(texts.chunks(ROWS_PER_INSERT)) {
        // A full statement's text is spelled once per process (numbering 4,000 parameters is
        // not free); a shorter last one each time.
        static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let short;
        let sql = if chunk.len() == ROWS_PER_INSERT {
            FULL.get_or_init(|| insert_sql(ROWS_PER_INSERT)).as_str()
        } else {
            short = insert_sql(chunk.len());
            short.as_str()
        };
        // provider, kind and status as text, where the parameters can point at them.
        let words: Vec<[&str; 3]> =
            chunk.iter().map(|t| [t.provider.as_str(), t.kind.as_str(), t.status.as_str()]).collect();
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(1 + chunk.len() * PARAMS_PER_ROW);
        values.push(&added_at);
        for ((token, made), [provider, kind, status]) in chunk.iter().zip(made).zip(&words) {
            // The parameters in the order of the statement's columns; `created_at` stands for
            // `updated_at` too, and `reminders_from` is `?1`.
            values.extend([
                &token.id as &dyn ToSql,
                &token.name,
                provider,
                kind,
                &token.hint,
                &token.account,
                &token.environment,
                &made.scopes,
                &made.tags,
                &token.purpose,
                &token.notes,
                &token.url,
                &made.created_at,
                &made.expires_at,
                &token.rotation_max_age_days,
                status,
                &made.search_text,
            ]);
        }
        run(conn, || conn.prepare_cached(sql)?.execute(values.as_slice()).map(drop))?;
    }
    Ok(())
}

/// The INSERT of `rows` new tokens. Numbered parameters: `?1` is `added_at` for every row, and
/// each row's `created_at` is bound once for both of its columns (every text bound is copied by
/// SQLite), so a row binds [`PARAMS_PER_ROW`] values.
fn insert_sql(rows: usize) -> String {
    let mut sql = String::with_capacity(256 + rows * 110);
    sql.push_str(
        "INSERT INTO tokens (id, name, provider, kind, hint, account, environment, scopes, tags, purpose, notes, url,
            created_at, updated_at, expires_at, rotation_max_age_days, status, search_text, reminders_from)
         VALUES ",
    );
    for n in 0..rows {
        let b = 2 + n * PARAMS_PER_ROW;
        sql.push_str(if n == 0 { "(" } else { ", (" });
        for column in 0..PARAMS_PER_ROW {
            // Infallible: writing to a String cannot fail. Column 12 is created_at, then updated_at.
            let _ = write!(sql, "?{}, ", b + column);
            if column == 12 {
                let _ = write!(sql, "?{}, ", b + column);
            }
        }
        sql.push_str("?1)");
    }
    sql
}

/// Writes a token's editable columns (and its search text) back; `updated_at` becomes `now`, and so
/// does `reminders_from` when the expiry or the rotation policy changed (thresholds already passed
/// then do not notify).
pub(crate) fn write(conn: &Connection, token: &Token, now: DateTime<Utc>) -> Result<()> {
    run(conn, || {
        conn.prepare_cached(
            "UPDATE tokens SET name=?2, provider=?3, kind=?4, hint=?5, account=?6, environment=?7, scopes=?8,
                tags=?9, purpose=?10, notes=?11, url=?12, updated_at=?13, expires_at=?14,
                rotation_max_age_days=?15, status=?16, search_text=?17,
                reminders_from = CASE WHEN expires_at IS NOT ?14 OR rotation_max_age_days IS NOT ?15
                    THEN ?13 ELSE reminders_from END
             WHERE id=?1",
        )?
        .execute(params_from_iter(row_values(token, now)))
        .map(drop)
    })
}

/// Deletes a token; its secret and usages go with it (foreign keys).
pub(crate) fn delete(conn: &Connection, id: &str) -> Result<()> {
    run(conn, || conn.execute("DELETE FROM tokens WHERE id = ?1", [id]).map(drop))
}

/// Marks a token revoked at `now` by `method`.
pub(crate) fn set_revoked(conn: &Connection, id: &str, method: &str, now: DateTime<Utc>) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE tokens SET status = 'revoked', revoked_at = ?2, revoke_method = ?3, updated_at = ?2 WHERE id = ?1",
            params![id, timestamp::encode(now), method],
        )
        .map(drop)
    })
}

/// Records a check's time and result (`valid` or `invalid`).
pub(crate) fn set_verified(conn: &Connection, id: &str, at: DateTime<Utc>, result: &str) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE tokens SET last_verified_at = ?2, last_verified_result = ?3 WHERE id = ?1",
            params![id, timestamp::encode(at), result],
        )
        .map(drop)
    })
}

/// Records the last use the provider reported.
pub(crate) fn set_used_per_provider(conn: &Connection, id: &str, at: DateTime<Utc>) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE tokens SET last_used_at = ?2, last_used_source = 'provider' WHERE id = ?1",
            params![id, timestamp::encode(at)],
        )
        .map(drop)
    })
}

/// Links a rotation's new token to the old one: the new one `replaces` it (rotated `now`), the
/// old one is `replaced_by` it and turns `rotating`.
pub(crate) fn link_rotated(conn: &Connection, old_id: &str, new_id: &str, now: DateTime<Utc>) -> Result<()> {
    let at = timestamp::encode(now);
    run(conn, || {
        conn.execute(
            "UPDATE tokens SET replaces = ?2, last_rotated_at = ?3 WHERE id = ?1",
            params![new_id, old_id, at],
        )?;
        conn.execute(
            "UPDATE tokens SET replaced_by = ?2, status = 'rotating', updated_at = ?3 WHERE id = ?1",
            params![old_id, new_id, at],
        )
        .map(drop)
    })
}

/// Puts back what a backup says of a restored token's life (its state, its last rotation, use,
/// check and revocation); `updated_at` when the backup has none.
pub(crate) fn restore_state(conn: &Connection, id: &str, r: &Restored, updated_at: DateTime<Utc>) -> Result<()> {
    run(conn, || {
        conn.prepare_cached(
            "UPDATE tokens SET updated_at = ?2, last_rotated_at = ?3, last_used_at = ?4,
                last_used_source = ?5, last_verified_at = ?6, last_verified_result = ?7,
                status = ?8, revoked_at = ?9, revoke_method = ?10 WHERE id = ?1",
        )?
        .execute(params![
            id,
            timestamp::encode(r.updated_at.unwrap_or(updated_at)),
            r.last_rotated_at.map(timestamp::encode),
            r.last_used_at.map(timestamp::encode),
            r.last_used_source,
            r.last_verified_at.map(timestamp::encode),
            r.last_verified_result,
            r.status.unwrap_or(TokenStatus::Active).as_str(),
            r.revoked_at.map(timestamp::encode),
            r.revoke_method,
        ])
        .map(drop)
    })
}

/// Sets a token's replacement links, each only where the token it names exists (else cleared).
pub(crate) fn set_links(conn: &Connection, id: &str, replaced_by: Option<&str>, replaces: Option<&str>) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE tokens SET
                replaced_by = (SELECT id FROM tokens WHERE id = ?2),
                replaces = (SELECT id FROM tokens WHERE id = ?3) WHERE id = ?1",
            params![id, replaced_by, replaces],
        )
        .map(drop)
    })
}

/// Every token, archived ones too, in the table's own order, with only the columns the audit
/// reads (id, name, provider, kind, scopes, status and the dates it weighs); the other fields are
/// left empty. For `Vault::audit` only: it reads the whole vault each time the Health view asks.
pub(crate) fn all_for_audit(conn: &Connection) -> Result<Vec<Token>> {
    run(conn, || {
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, provider, kind, scopes, created_at, expires_at, rotation_max_age_days, last_rotated_at,
                last_used_at, last_used_source, last_verified_at, last_verified_result, status
             FROM tokens",
        )?;
        let rows = stmt.query_map([], |r| {
            // Text read in place: only the fields kept as strings are copied.
            let text = |i: usize| -> rusqlite::Result<Option<&str>> {
                match r.get_ref(i)? {
                    ValueRef::Null => Ok(None),
                    ValueRef::Text(bytes) => std::str::from_utf8(bytes).map(Some).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
                    }),
                    other => Err(rusqlite::Error::InvalidColumnType(i, String::new(), other.data_type())),
                }
            };
            let at = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
                text(i)?.map(timestamp::decode).transpose().map_err(unreadable)
            };
            let scopes = match text(4)?.unwrap_or("[]") {
                "[]" => Vec::new(),
                raw => serde_json::from_str(raw).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
                })?,
            };
            let provider: String = r.get(2)?;
            Ok(Token {
                id: r.get(0)?,
                name: r.get(1)?,
                provider: ProviderId::try_from(provider).unwrap_or_else(|_| ProviderId::generic()),
                kind: text(3)?.unwrap_or_default().parse::<TokenKind>().map_err(|e| unreadable(e.into()))?,
                hint: String::new(),
                account: None,
                environment: None,
                scopes,
                tags: Vec::new(),
                purpose: None,
                notes: None,
                url: None,
                created_at: at(5)?.unwrap_or_default(),
                updated_at: DateTime::<Utc>::default(),
                expires_at: at(6)?,
                rotation_max_age_days: r.get(7)?,
                last_rotated_at: at(8)?,
                last_used_at: at(9)?,
                last_used_source: r.get(10)?,
                last_verified_at: at(11)?,
                last_verified_result: r.get(12)?,
                status: text(13)?.unwrap_or_default().parse::<TokenStatus>().map_err(|e| unreadable(e.into()))?,
                replaced_by: None,
                replaces: None,
                revoked_at: None,
                revoke_method: None,
            })
        })?;
        rows.collect()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{nocase, place, sort, Order};
    use crate::tokens::Token;
    use chrono::{DateTime, TimeZone, Utc};
    use proptest::prelude::*;

    /// The sort as it was: a stable sort of positions by each order's comparison.
    fn sorted_the_plain_way(tokens: &[Token], order: Order) -> Vec<String> {
        let mut positions: Vec<usize> = (0..tokens.len()).collect();
        let t = tokens;
        match order {
            Order::TimeLeft => positions.sort_by(|&a, &b| {
                let (a, b) = (&t[a], &t[b]);
                (a.expires_at.is_none(), a.expires_at)
                    .cmp(&(b.expires_at.is_none(), b.expires_at))
                    .then_with(|| nocase(&a.name, &b.name))
            }),
            Order::Name => {
                positions.sort_by(|&a, &b| nocase(&t[a].name, &t[b].name).then_with(|| t[a].id.cmp(&t[b].id)))
            }
            Order::Provider => positions.sort_by(|&a, &b| {
                t[a].provider.as_str().cmp(t[b].provider.as_str()).then_with(|| nocase(&t[a].name, &t[b].name))
            }),
            Order::RecentlyAdded => {
                positions.sort_by(|&a, &b| (t[b].created_at, &t[b].id).cmp(&(t[a].created_at, &t[a].id)))
            }
        }
        positions.into_iter().map(|at| t[at].id.clone()).collect()
    }

    fn token(at: usize, name: String, provider: usize, expires: Option<i64>, created: i64) -> Token {
        let day = |d: i64| -> DateTime<Utc> {
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::days(d)
        };
        let provider = ["github", "gitlab", "generic"][provider % 3];
        Token {
            // Ids out of table order, and some repeated, so that every tie-break is exercised.
            id: format!("id-{:03}", (at * 7) % 23),
            name,
            provider: tokenwarden_providers::ProviderId::parse(provider).unwrap(),
            kind: crate::tokens::TokenKind::ApiKey,
            hint: "…alue".to_owned(),
            account: None,
            environment: None,
            scopes: Vec::new(),
            tags: Vec::new(),
            purpose: None,
            notes: None,
            url: None,
            created_at: day(created),
            updated_at: day(created),
            expires_at: expires.map(day),
            rotation_max_age_days: None,
            last_rotated_at: None,
            last_used_at: None,
            last_used_source: None,
            last_verified_at: None,
            last_verified_result: None,
            status: crate::tokens::TokenStatus::Active,
            replaced_by: None,
            replaces: None,
            revoked_at: None,
            revoke_method: None,
        }
    }

    proptest! {
        #[test]
        fn the_keyed_sort_orders_as_the_plain_stable_sort_did(
            rows in proptest::collection::vec(
                (
                    // Names that share long beginnings, differ in case, or are prefixes of others.
                    prop_oneof![
                        "[a-cA-C]{0,3}",
                        "(service-0000|Service-0000|service-00000 deploy)[0-9a-b]{0,2}",
                        "[a-zA-Z _.-]{12,20}",
                    ],
                    0..3usize,
                    proptest::option::of(0..5i64),
                    0..4i64,
                ),
                0..60,
            )
        ) {
            let tokens: Vec<Token> = rows
                .into_iter()
                .enumerate()
                .map(|(at, (name, provider, expires, created))| token(at, name, provider, expires, created))
                .collect();
            for order in [Order::TimeLeft, Order::Name, Order::Provider, Order::RecentlyAdded] {
                let expected = sorted_the_plain_way(&tokens, order);
                let mut sorted = tokens.clone();
                sort(&mut sorted, order);
                let got: Vec<String> = sorted.into_iter().map(|t| t.id).collect();
                prop_assert_eq!(got, expected, "order {:?}", order);
            }
        }

        #[test]
        fn placing_by_positions_gives_each_slot_the_item_its_position_names(
            from in (0..80usize).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        ) {
            let items: Vec<String> = (0..from.len()).map(|i| format!("item {i}")).collect();
            let expected: Vec<String> = from.iter().map(|&i| items[i].clone()).collect();
            let mut placed = items;
            let mut positions = from;
            place(&mut placed, &mut positions);
            prop_assert_eq!(placed, expected);
        }
    }
}
