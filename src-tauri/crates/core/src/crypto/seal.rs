//! Sealing one value under one key with XChaCha20-Poly1305. The associated data binds a sealed
//! value to its owner (a token id, a vault id) so it cannot be moved to another row or vault.

use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

pub const NONCE_LEN: usize = 24;

/// Returns `nonce || ciphertext || tag`.
pub fn seal(key: &[u8; 32], plaintext: &[u8], associated: &[u8]) -> Vec<u8> {
    Sealer::new(key, 1).seal(plaintext, associated)
}

/// Seals many values under one key, as [`seal`] does each: one cipher, and every value's random
/// nonce from one read of the OS's random source (an import seals thousands of secrets).
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    nonces: Vec<u8>,
}

impl Sealer {
    /// A sealer with random nonces ready for `count` values (more are fetched when they run out).
    pub fn new(key: &[u8; 32], count: usize) -> Sealer {
        let mut nonces = vec![0u8; NONCE_LEN * count.max(1)];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonces);
        Sealer { cipher: XChaCha20Poly1305::new(key.into()), nonces }
    }

    /// Returns `nonce || ciphertext || tag`, with a nonce no other value gets.
    pub fn seal(&mut self, plaintext: &[u8], associated: &[u8]) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = match self.nonces.len().checked_sub(NONCE_LEN) {
            Some(at) => {
                let mut nonce = [0u8; NONCE_LEN];
                nonce.copy_from_slice(&self.nonces[at..]);
                self.nonces.truncate(at);
                nonce
            }
            None => super::random_bytes::<NONCE_LEN>(),
        };
        // The plaintext is copied into the output and encrypted there at once; the buffer has room
        // for the tag, so it is never reallocated (no unencrypted copy is left behind).
        let mut out = Vec::with_capacity(NONCE_LEN + plaintext.len() + 16);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        // Infallible: encryption only fails for plaintexts beyond 256 GiB.
        #[allow(clippy::expect_used)]
        let tag = self
            .cipher
            .encrypt_in_place_detached(XNonce::from_slice(&nonce), associated, &mut out[NONCE_LEN..])
            .expect("XChaCha20-Poly1305 encryption of an in-memory value cannot fail");
        out.extend_from_slice(&tag);
        out
    }
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
    fn a_sealer_gives_every_value_its_own_nonce_past_its_count_and_each_opens() {
        let key = [9u8; 32];
        let mut sealer = Sealer::new(&key, 3);
        let sealed: Vec<Vec<u8>> =
            (0..5).map(|i| sealer.seal(b"ghp_secret", format!("token-{i}").as_bytes())).collect();
        let nonces: std::collections::HashSet<&[u8]> = sealed.iter().map(|s| &s[..NONCE_LEN]).collect();
        assert_eq!(nonces.len(), 5);
        for (i, s) in sealed.iter().enumerate() {
            assert_eq!(s.len(), NONCE_LEN + b"ghp_secret".len() + 16);
            assert_eq!(open(&key, s, format!("token-{i}").as_bytes()).unwrap().as_slice(), b"ghp_secret");
        }
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
