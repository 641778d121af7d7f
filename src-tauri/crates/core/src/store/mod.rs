//! The only code that writes SQL: one module per table, each a set of functions over a
//! connection or the caller's transaction. Domain modules decide; these only read and write rows.

pub(crate) mod alerts;
pub(crate) mod checks;
