//! Embedded, numbered, forward-only schema migrations. Each runs in one transaction together with
//! the `user_version` bump, so a crash leaves the schema at one version or the next, never between.

use rusqlite::Connection;

use crate::error::{Error, Result};

const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../../migrations/0001_init.sql")),
    (2, include_str!("../../migrations/0002_search_text.sql")),
    (3, include_str!("../../migrations/0003_token_reminders.sql")),
    (4, include_str!("../../migrations/0004_rotations.sql")),
    (5, include_str!("../../migrations/0005_reminders_from.sql")),
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |(v, _)| *v)
}

pub fn apply(conn: &mut Connection) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest_version() {
        return Err(Error::invalid(
            "vault",
            format!(
                "this vault was written by a newer Tokenwarden (schema {current}, this build knows {}); update Tokenwarden",
                latest_version()
            ),
        ));
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_by_one() {
        for (i, (version, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version as usize, i + 1);
        }
    }

    #[test]
    fn applying_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn).unwrap();
        apply(&mut conn).unwrap();
        let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, latest_version());
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let err = apply(&mut conn).unwrap_err().to_string();
        assert!(err.contains("newer Tokenwarden"), "{err}");
    }
}
