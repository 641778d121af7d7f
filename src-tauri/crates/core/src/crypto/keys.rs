//! The vault's master key and the sub-keys derived from it. The master key is random, never
//! derived from the password, so changing the password only re-wraps it.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;

/// The random 256-bit key everything else is derived from. No Debug, no Clone by accident.
pub struct MasterKey(Zeroizing<[u8; KEY_LEN]>);

impl MasterKey {
    pub fn generate() -> Self {
        MasterKey(Zeroizing::new(super::random_bytes::<KEY_LEN>()))
    }

    pub fn from_bytes(bytes: Zeroizing<[u8; KEY_LEN]>) -> Self {
        MasterKey(bytes)
    }

    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// Derives the purpose-bound sub-keys. `vault_id` binds them to this vault.
    pub fn derive(&self, vault_id: &str) -> SubKeys {
        let hk = Hkdf::<Sha256>::new(Some(vault_id.as_bytes()), self.0.as_slice());
        let expand = |info: &[u8]| {
            let mut out = Zeroizing::new([0u8; KEY_LEN]);
            // Infallible: 32 bytes is far below HKDF-SHA256's 255*32 byte limit.
            #[allow(clippy::expect_used)]
            hk.expand(info, out.as_mut_slice()).expect("32-byte HKDF output is always valid");
            out
        };
        SubKeys {
            database: expand(b"tokenwarden/v1/sqlcipher"),
            field: expand(b"tokenwarden/v1/field"),
            fingerprint: expand(b"tokenwarden/v1/fingerprint"),
            audit: expand(b"tokenwarden/v1/audit-chain"),
            header: expand(b"tokenwarden/v1/keyfile-header"),
            anchor: expand(b"tokenwarden/v1/chain-anchor"),
        }
    }
}

/// Keys for one purpose each. Dropping them wipes them.
pub struct SubKeys {
    /// The SQLCipher raw key (skips SQLCipher's own KDF).
    pub database: Zeroizing<[u8; KEY_LEN]>,
    /// Seals each token's secret.
    pub field: Zeroizing<[u8; KEY_LEN]>,
    /// HMAC key for fingerprints used in de-duplication and matching.
    pub fingerprint: Zeroizing<[u8; KEY_LEN]>,
    /// HMAC key for the audit log's hash chain.
    pub audit: Zeroizing<[u8; KEY_LEN]>,
    /// HMAC key that authenticates vault.keys' header once the master key is known.
    pub header: Zeroizing<[u8; KEY_LEN]>,
    /// HMAC key for `vault.head`, the audit chain's head kept outside the database.
    pub anchor: Zeroizing<[u8; KEY_LEN]>,
}

impl SubKeys {
    pub fn fingerprint(&self, secret: &[u8]) -> [u8; 32] {
        hmac_sha256(&self.fingerprint, &[secret])
    }

    /// For fingerprinting many secrets: HMAC keyed once, not once a secret.
    pub fn fingerprinter(&self) -> Fingerprinter {
        Fingerprinter(keyed(&self.fingerprint))
    }
}

/// Fingerprints as [`SubKeys::fingerprint`] makes them, with the HMAC's key set up once: for a short
/// secret, keying is half of the work (two of the four SHA-256 blocks), and an import fingerprints
/// thousands.
pub struct Fingerprinter(Hmac<Sha256>);

impl Fingerprinter {
    pub fn fingerprint(&self, secret: &[u8]) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(&(secret.len() as u64).to_be_bytes());
        mac.update(secret);
        mac.finalize().into_bytes().into()
    }
}

fn keyed(key: &[u8; KEY_LEN]) -> Hmac<Sha256> {
    // Infallible: HMAC accepts keys of any length.
    #[allow(clippy::expect_used)]
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length")
}

/// HMAC-SHA256 over the concatenation of `parts`, each prefixed with its length so that
/// different splits of the same bytes never collide.
pub fn hmac_sha256(key: &[u8; KEY_LEN], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = keyed(key);
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_keys_differ_by_purpose_and_by_vault() {
        let master = MasterKey::generate();
        let a = master.derive("vault-a");
        let b = master.derive("vault-b");
        assert_ne!(*a.database, *a.field);
        assert_ne!(*a.field, *a.fingerprint);
        assert_ne!(*a.audit, *a.header);
        assert_ne!(*a.database, *b.database);
    }

    #[test]
    fn derivation_is_deterministic() {
        let master = MasterKey::from_bytes(Zeroizing::new([7u8; 32]));
        assert_eq!(*master.derive("v").field, *master.derive("v").field);
    }

    #[test]
    fn hmac_parts_are_length_prefixed() {
        let key = [1u8; 32];
        assert_ne!(hmac_sha256(&key, &[b"ab", b"c"]), hmac_sha256(&key, &[b"a", b"bc"]));
    }

    #[test]
    fn the_fingerprinter_gives_the_fingerprints_of_its_keys_and_only_those() {
        let keys = MasterKey::generate().derive("v");
        let other = MasterKey::generate().derive("v");
        let fingerprinter = keys.fingerprinter();
        for secret in [&b""[..], b"ghp_short", &[0xa5; 200][..]] {
            assert_eq!(fingerprinter.fingerprint(secret), keys.fingerprint(secret));
            assert_ne!(fingerprinter.fingerprint(secret), other.fingerprint(secret));
        }
        // Reused after a use: each call starts from the keyed state, not from the last message.
        assert_eq!(fingerprinter.fingerprint(b"a"), fingerprinter.fingerprint(b"a"));
    }
}
