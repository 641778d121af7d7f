//! tokenwarden-core: the encrypted vault and everything stored in it.
//! It owns the on-disk format, the cryptography and the domain rules; it never depends on Tauri
//! or a UI, and no secret it handles ever reaches a log, an error, Debug output or disk in the clear.

pub mod audit_log;
pub mod autostart;
#[cfg(unix)]
pub mod channel;
pub mod clipboard;
pub mod crypto;
pub mod display_text;
pub mod error;
pub mod expiry;
pub mod files;
pub mod health;
pub mod keystore;
pub mod monitor;
pub mod process;
pub mod provider_api;
pub mod reminders;
pub mod revocation;
pub mod rotation;
pub mod scan;
pub mod settings;
pub mod severity;
pub(crate) mod store;
pub mod timestamp;
pub mod tokens;
pub mod transfer;
pub mod usages;
pub mod vault;
pub mod verification;
pub mod window_preload;
pub mod wiping_allocator;

pub use error::{Error, ErrorCode, Result};
pub use secrecy::{ExposeSecret, SecretString};
pub use tokens::{NewToken, Token, TokenFilter, TokenKind, TokenPatch, TokenStatus, TokenSummary};
pub use vault::{KdfParams, UnlockTimings, Vault, VaultInfo, VaultStatus};
