//! Cryptography for the vault: the master key and its HKDF sub-keys, Argon2id password
//! wrapping, per-secret XChaCha20-Poly1305 sealing and keyed fingerprints.
//! Keys live in `Zeroizing` buffers and never implement Debug, Display or Serialize.

mod keys;
mod password_kdf;
mod seal;

pub use keys::{hmac_sha256, Fingerprinter, MasterKey, SubKeys, KEY_LEN};
pub use password_kdf::{calibrate, derive_wrapping_key, KdfParams, KDF_CEILING, KDF_FLOOR};
pub use seal::{open, seal, Sealer, NONCE_LEN};

/// `head`, `bytes` in lower-case hex, then `tail`, in one zeroizing buffer sized up front, so the
/// hex text of a key never sits in a temporary `String` or a freed, outgrown allocation.
pub(crate) fn hex_zeroizing(head: &str, bytes: &[u8], tail: &str) -> zeroize::Zeroizing<String> {
    let mut out = zeroize::Zeroizing::new(String::with_capacity(head.len() + bytes.len() * 2 + tail.len()));
    out.push_str(head);
    for byte in bytes {
        for nibble in [byte >> 4, byte & 0x0f] {
            // Infallible: a nibble is below 16; the fallback only keeps this free of panics.
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out.push_str(tail);
    out
}

/// Fills a buffer from the OS's cryptographic random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut out = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_zeroizing_matches_hex_encoding_and_needs_no_reallocation() {
        let bytes = [0x00, 0x0f, 0xa5, 0xff];
        let out = super::hex_zeroizing("x'", &bytes, "'");
        assert_eq!(out.as_str(), format!("x'{}'", hex::encode(bytes)));
        assert_eq!(out.capacity(), out.len());
    }
}
