//! Embedded, numbered, forward-only schema migrations. Each runs in one transaction together with
//! the `user_version` bump, so a crash leaves the schema at one version or the next, never between.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// `(version, file name, SQL)`: the file is embedded from `migrations/` by its name.
macro_rules! migration {
    ($version:literal, $file:literal) => {
        ($version, $file, include_str!(concat!("../../migrations/", $file)))
    };
}

const MIGRATIONS: &[(u32, &str, &str)] = &[
    migration!(1, "0001_init.sql"),
    migration!(2, "0002_search_text.sql"),
    migration!(3, "0003_token_reminders.sql"),
    migration!(4, "0004_rotations.sql"),
    migration!(5, "0005_reminders_from.sql"),
    migration!(6, "0006_monitor.sql"),
    migration!(7, "0007_alert_snooze.sql"),
    migration!(8, "0008_audit_indexes.sql"),
    migration!(9, "0009_drop_expiry_index.sql"),
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |(v, _, _)| *v)
}

pub fn apply(conn: &mut Connection) -> Result<()> {
    let current = super::database::schema_version(conn)?;
    if current > latest_version() {
        return Err(Error::invalid(
            "vault",
            format!(
                "this vault was written by a newer Tokenwarden (schema {current}, this build knows {}); update Tokenwarden",
                latest_version()
            ),
        ));
    }
    for (version, _, sql) in MIGRATIONS.iter().filter(|(v, _, _)| *v > current) {
        let tx = super::database::transaction(conn)?;
        super::run(&tx, || {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version)
        })?;
        super::database::commit(tx)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_by_one() {
        for (i, (version, _, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version as usize, i + 1);
        }
    }

    #[test]
    fn every_file_in_migrations_is_applied_in_the_order_of_its_number() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let applied: Vec<&str> = MIGRATIONS.iter().map(|(_, file, _)| *file).collect();
        assert_eq!(files, applied, "every file in {} must be listed in MIGRATIONS, in order", dir.display());
        for (version, file, _) in MIGRATIONS {
            let number: u32 = file.split('_').next().and_then(|n| n.parse().ok()).unwrap();
            assert_eq!(number, *version, "{file} is applied as version {version}");
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
    fn a_vault_from_before_9_loses_the_unused_expiry_index_and_keeps_its_tokens() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (version, _, sql) in MIGRATIONS.iter().filter(|(v, _, _)| *v <= 8) {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", version).unwrap();
        }
        conn.execute(
            "INSERT INTO tokens (id, name, provider, kind, hint, created_at, updated_at, expires_at)
             VALUES ('t1', 'n', 'github', 'pat', 'h', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        let indexes = |conn: &Connection| -> Vec<String> {
            let mut stmt = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tokens' ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().map(|n| n.unwrap()).collect()
        };
        assert_eq!(indexes(&conn), ["sqlite_autoindex_tokens_1", "tokens_expires_at"]);
        apply(&mut conn).unwrap();
        assert_eq!(indexes(&conn), ["sqlite_autoindex_tokens_1"]);
        let expires: String =
            conn.query_row("SELECT expires_at FROM tokens WHERE id = 't1'", [], |r| r.get(0)).unwrap();
        assert_eq!(expires, "2027-01-01T00:00:00Z");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let err = apply(&mut conn).unwrap_err().to_string();
        assert!(err.contains("newer Tokenwarden"), "{err}");
    }
}
