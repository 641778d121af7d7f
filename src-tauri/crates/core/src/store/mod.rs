//! The store: the only code that writes SQL. One module per table or aggregate; each function runs
//! on the caller's connection or transaction (so a change and its audit event commit together) and
//! speaks in row types. It keeps no key (the database key only passes through `database`), opens
//! no secret and makes no decision: those are the domain modules' work. `store_holds_all_sql`
//! (below) fails when SQL appears anywhere else.

pub(crate) mod alerts;
pub(crate) mod checks;
pub(crate) mod database;
pub(crate) mod events;
pub(crate) mod migrations;
pub(crate) mod reminders;
pub(crate) mod rotations;
pub(crate) mod secrets;
pub(crate) mod settings;
pub(crate) mod tokens;
pub(crate) mod usages;

use rusqlite::Connection;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// A SQLite error in the core's terms. A page that fails its HMAC or a broken b-tree surfaces
/// mid-query as SQLITE_CORRUPT or SQLITE_NOTADB: that is damage to the file `conn` has open (named
/// by its real path), not an internal fault. A row a mapper could not read keeps the mapper's error.
pub(crate) fn error(conn: &Connection, err: rusqlite::Error) -> Error {
    error_at(file_of(conn), err)
}

/// The file `conn` has open (`None` for a database in memory).
pub(crate) fn file_of(conn: &Connection) -> Option<PathBuf> {
    conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// As [`error`], for a statement on the database file at `path` (`None`: in memory).
pub(crate) fn error_at(path: Option<PathBuf>, err: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    match err {
        rusqlite::Error::FromSqlConversionFailure(_, _, source) if source.is::<Error>() => {
            match source.downcast::<Error>() {
                Ok(inner) => *inner,
                Err(source) => Error::Internal(source.to_string()),
            }
        }
        err => match err.sqlite_error_code() {
            Some(code @ (DatabaseCorrupt | NotADatabase)) => Error::Corrupt {
                path: path.unwrap_or_else(|| PathBuf::from(":memory:")),
                detail: format!("SQLite reports {code:?} while reading it"),
            },
            _ => Error::Database(err),
        },
    }
}

/// Runs `statements` on `conn` and turns their error into the core's (see [`error`]).
pub(crate) fn run<T>(conn: &Connection, statements: impl FnOnce() -> rusqlite::Result<T>) -> Result<T> {
    statements().map_err(|e| error(conn, e))
}
/// A domain error carried out of a row mapper (returned as itself by [`error`]).
pub(crate) fn unreadable(err: Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(err))
}

/// A stored instant, read inside a row mapper.
pub(crate) fn instant(raw: Option<String>) -> rusqlite::Result<Option<chrono::DateTime<chrono::Utc>>> {
    raw.map(|s| crate::timestamp::decode(&s)).transpose().map_err(unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_failure(code: std::os::raw::c_int) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn a_damaged_database_is_reported_as_corrupt_naming_the_file_the_connection_has_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("somewhere").join("vault.db");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let conn = Connection::open(&path).unwrap();
        for code in [rusqlite::ffi::SQLITE_CORRUPT, rusqlite::ffi::SQLITE_NOTADB] {
            let err = error(&conn, sqlite_failure(code));
            assert_eq!(err.code(), crate::ErrorCode::Corrupt, "{err}");
            assert!(err.to_string().starts_with(&format!("{} is damaged", path.display())), "{err}");
        }
        let other = error(&conn, sqlite_failure(rusqlite::ffi::SQLITE_FULL));
        assert_eq!(other.code(), crate::ErrorCode::Internal, "{other}");
    }

    #[test]
    fn a_row_a_mapper_could_not_read_keeps_the_mappers_error() {
        let conn = Connection::open_in_memory().unwrap();
        let err = error(&conn, unreadable(Error::invalid("kind", "'bogus' is not a token kind")));
        assert_eq!(err.to_string(), "kind: 'bogus' is not a token kind");
    }

    /// Where `source` (one Rust file) runs or holds SQL outside its tests: `(line, text)` each.
    /// Comments, `tests.rs` files and the inline `#[cfg(test)] mod tests { … }` are left out.
    fn sql_in(source: &str) -> Vec<(usize, String)> {
        const CALLS: &[&str] = &[
            "execute(",
            "execute_batch(",
            "prepare(",
            "prepare_cached(",
            "query_row(",
            "query_map(",
            "pragma_update(",
            "pragma_query(",
        ];
        const KEYWORDS: &[&str] = &[
            "SELECT ",
            "INSERT INTO",
            "DELETE FROM",
            "PRAGMA ",
            "CREATE TABLE",
            "CREATE INDEX",
            "CREATE TRIGGER",
            "DROP TABLE",
            "DROP TRIGGER",
            "ATTACH DATABASE",
        ];
        let mut found = Vec::new();
        for (number, line) in source.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]")
                && source.lines().nth(number + 1).is_some_and(|next| next.trim_start().starts_with("mod tests {"))
            {
                break;
            }
            let code = line.split("//").next().unwrap_or_default();
            let update =
                code.match_indices("UPDATE ").any(|(at, _)| code[at..].split_whitespace().nth(2) == Some("SET"));
            if update || CALLS.iter().chain(KEYWORDS).any(|pattern| code.contains(pattern)) {
                found.push((number + 1, line.trim().to_owned()));
            }
        }
        found
    }

    #[test]
    fn sql_in_finds_statements_and_calls_but_not_comments_or_tests() {
        let source = "fn f(c: &Connection) {\n    c.execute(\"UPDATE tokens SET name = ?1\", [])?;\n    // SELECT in a comment\n    let sql = \"DELETE FROM usages\";\n}\n#[cfg(test)]\nmod tests {\n    fn t(c: &Connection) { c.execute(\"SELECT 1\", []); }\n}\n";
        let found: Vec<usize> = sql_in(source).into_iter().map(|(line, _)| line).collect();
        assert_eq!(found, [2, 4]);
        assert!(sql_in("// UPDATE the docs: this is no statement\nlet update = \"UPDATE\";").is_empty());
    }

    /// SQL belongs to the store: a domain module that needs a row calls a function here.
    #[test]
    fn store_holds_all_sql() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut dirs = vec![src.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    if path != src.join("store") {
                        dirs.push(path);
                    }
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    for (line, text) in sql_in(&source) {
                        offenders.push(format!("{}:{line}: {text}", path.strip_prefix(&src).unwrap().display()));
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "SQL outside src/store/ (move it into a store module):\n{}",
            offenders.join("\n")
        );
    }
}
