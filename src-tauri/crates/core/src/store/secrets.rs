//! The `token_secrets` table: each token's sealed secret and its keyed fingerprint. Only sealed
//! bytes pass through here; sealing, opening and fingerprinting are the domain's (`crate::crypto`).

use rusqlite::{params, Connection, OptionalExtension};

use super::run;
use crate::error::Result;

pub(crate) fn insert(conn: &Connection, token_id: &str, sealed: &[u8], fingerprint: &[u8]) -> Result<()> {
    run(conn, || {
        conn.prepare_cached("INSERT INTO token_secrets (token_id, sealed, fingerprint) VALUES (?1, ?2, ?3)")?
            .execute(params![token_id, sealed, fingerprint])
            .map(drop)
    })
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
