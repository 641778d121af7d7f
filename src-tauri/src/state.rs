//! State the app manages for its commands. Holds paths and handles, never a secret in the clear.

use std::path::PathBuf;

/// The vault directory this app instance works on, fixed at start-up.
#[derive(Debug, Clone)]
pub struct VaultDir(pub PathBuf);
