//! Shapes that cross IPC (their TypeScript is generated into the UI). Responses hold metadata
//! only; `TokenInput` carries a secret in and so has no Debug, and its secret becomes a
//! `SecretString` the moment it is read.
//! The DTOs live by area; everything is re-exported here, so commands say `crate::ipc::TokenView`.

mod health;
mod monitor;
mod providers;
mod scan;
mod tokens;
mod transfer;

pub use health::*;
pub use monitor::*;
pub use providers::*;
pub use scan::*;
pub use tokens::*;
pub use transfer::*;
