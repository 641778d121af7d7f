//! The `token_secrets` table: each token's sealed secret and its keyed fingerprint. Only sealed
//! bytes pass through here; sealing, opening and fingerprinting are the domain's (`crate::crypto`).

use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

use super::run;
use crate::error::Result;

/// Rows per INSERT statement in [`insert_many`] (3 parameters a row).
const ROWS_PER_INSERT: usize = 256;

/// Inserts many tokens' sealed secrets, `ROWS_PER_INSERT` to a statement: one statement run per
/// row cost more in SQLite's per-statement work than the row itself (see `tokens::insert_many`).
pub(crate) fn insert_many(conn: &Connection, rows: &[(&str, &[u8], &[u8])]) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut sql = String::with_capacity(64 + chunk.len() * 12);
        sql.push_str("INSERT INTO token_secrets (token_id, sealed, fingerprint) VALUES (?, ?, ?)");
        for _ in 1..chunk.len() {
            sql.push_str(", (?, ?, ?)");
        }
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 3);
        for (token_id, sealed, fingerprint) in chunk {
            values.extend([token_id as &dyn rusqlite::ToSql, sealed, fingerprint]);
        }
        run(conn, || conn.prepare_cached(&sql)?.execute(values.as_slice()).map(drop))?;
    }
    Ok(())
}

pub(crate) fn replace(conn: &Connection, token_id: &str, sealed: &[u8], fingerprint: &[u8]) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE token_secrets SET sealed = ?2, fingerprint = ?3 WHERE token_id = ?1",
            params![token_id, sealed, fingerprint],
        )
        .map(drop)
    })
}

/// A token's sealed secret, if the token exists.
pub(crate) fn sealed(conn: &Connection, token_id: &str) -> Result<Option<Vec<u8>>> {
    run(conn, || {
        conn.prepare_cached("SELECT sealed FROM token_secrets WHERE token_id = ?1")?
            .query_row([token_id], |r| r.get(0))
            .optional()
    })
}

/// Every token's id and sealed secret.
pub(crate) fn all_sealed(conn: &Connection) -> Result<Vec<(String, Vec<u8>)>> {
    run(conn, || {
        let mut stmt = conn.prepare("SELECT token_id, sealed FROM token_secrets")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    })
}

/// The tokens whose secret has this fingerprint.
pub(crate) fn ids_with_fingerprint(conn: &Connection, fingerprint: &[u8]) -> Result<Vec<String>> {
    run(conn, || {
        let mut stmt = conn.prepare_cached("SELECT token_id FROM token_secrets WHERE fingerprint = ?1")?;
        let rows = stmt.query_map([fingerprint], |r| r.get(0))?;
        rows.collect()
    })
}

/// Every fingerprint with the tokens that hold it, each list in the order
/// [`ids_with_fingerprint`] gives (the fingerprint index keeps rows in rowid order).
pub(crate) fn ids_by_fingerprint(conn: &Connection) -> Result<HashMap<Vec<u8>, Vec<String>>> {
    run(conn, || {
        let mut stmt = conn.prepare("SELECT fingerprint, token_id FROM token_secrets ORDER BY rowid")?;
        let mut rows = stmt.query([])?;
        let mut out: HashMap<Vec<u8>, Vec<String>> = HashMap::new();
        while let Some(row) = rows.next()? {
            out.entry(row.get(0)?).or_default().push(row.get(1)?);
        }
        Ok(out)
    })
}

/// `(fingerprint, token id)` of every secret that more than one token holds, by fingerprint.
pub(crate) fn shared(conn: &Connection) -> Result<Vec<(Vec<u8>, String)>> {
    run(conn, || {
        let mut stmt = conn.prepare(
            "SELECT fingerprint, token_id FROM token_secrets WHERE fingerprint IN
                (SELECT fingerprint FROM token_secrets GROUP BY fingerprint HAVING COUNT(*) > 1)
             ORDER BY fingerprint, token_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    })
}
