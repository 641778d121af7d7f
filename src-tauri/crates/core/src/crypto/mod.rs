//! Cryptography for the vault: the master key and its HKDF sub-keys, Argon2id password
//! wrapping, per-secret XChaCha20-Poly1305 sealing and keyed fingerprints.
//! Keys live in `Zeroizing` buffers and never implement Debug, Display or Serialize.

mod keys;
mod password_kdf;
mod seal;

pub use keys::{hmac_sha256, MasterKey, SubKeys, KEY_LEN};
pub use password_kdf::{calibrate, derive_wrapping_key, KdfParams, KDF_FLOOR};
pub use seal::{open, seal, NONCE_LEN};

/// Fills a buffer from the OS's cryptographic random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut out = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut out);
    out
}
