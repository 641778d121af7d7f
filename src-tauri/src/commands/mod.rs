//! The app's IPC commands, one file per area. Each command parses its arguments, calls the core
//! and maps the error; none holds domain logic. Register new ones in lib.rs and build.rs.

pub mod health;
pub mod isolation;
pub mod monitor;
pub mod providers;
pub mod revocation;
pub mod rotation;
pub mod scan;
pub mod settings;
pub mod tokens;
pub mod transfer;
pub mod vault;
