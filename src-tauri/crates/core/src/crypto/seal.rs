//! Sealing one value under one key with XChaCha20-Poly1305. The associated data binds a sealed
//! value to its owner (a token id, a vault id) so it cannot be moved to another row or vault.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

pub const NONCE_LEN: usize = 24;

/// Returns `nonce || ciphertext || tag`.
pub fn seal(key: &[u8; 32], plaintext: &[u8], associated: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce = super::random_bytes::<NONCE_LEN>();
    // Infallible: encryption only fails for plaintexts beyond 256 GiB.
    #[allow(clippy::expect_used)]
    let body = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: associated })
        .expect("XChaCha20-Poly1305 encryption of an in-memory value cannot fail");
    let mut out = Vec::with_capacity(NONCE_LEN + body.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    out
}

/// Opens a value made by [`seal`]. `None` means the key, the associated data or the bytes are wrong;
/// callers turn that into an error that fits (wrong password, corrupt row).
pub fn open(key: &[u8; 32], sealed: &[u8], associated: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < NONCE_LEN + 16 {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: associated }).ok().map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_the_same_key_and_associated_data() {
        let key = [9u8; 32];
        let sealed = seal(&key, b"ghp_secret", b"token-1");
        assert_eq!(open(&key, &sealed, b"token-1").unwrap().as_slice(), b"ghp_secret");
    }

    #[test]
    fn sealing_twice_gives_different_bytes() {
        let key = [9u8; 32];
        assert_ne!(seal(&key, b"x", b"a"), seal(&key, b"x", b"a"));
    }

    #[test]
    fn wrong_key_wrong_owner_or_flipped_bit_fail_to_open() {
        let key = [9u8; 32];
        let sealed = seal(&key, b"ghp_secret", b"token-1");
        assert!(open(&[8u8; 32], &sealed, b"token-1").is_none());
        assert!(open(&key, &sealed, b"token-2").is_none());
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(open(&key, &bad, b"token-1").is_none(), "flip at {i} went unnoticed");
        }
        assert!(open(&key, &sealed[..10], b"token-1").is_none());
    }
}
