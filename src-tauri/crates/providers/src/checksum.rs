//! Checksums embedded in token formats, so detection can tell a real token from a look-alike.
//! Pure functions over the secret's bytes: they return a bool and never copy, log or format the input.

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's `crc32` computes it.
/// Bitwise rather than table-driven: detection hashes 30 bytes, so a table buys nothing.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// Value of one base62 digit in GitHub's alphabet `0-9A-Za-z`.
fn base62_digit(c: u8) -> Option<u64> {
    match c {
        b'0'..=b'9' => Some(u64::from(c - b'0')),
        b'A'..=b'Z' => Some(u64::from(c - b'A') + 10),
        b'a'..=b'z' => Some(u64::from(c - b'a') + 36),
        _ => None,
    }
}

/// GitHub's token checksum (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`): the token is a 4-character prefix,
/// 30 random base62 characters and 6 base62 characters holding the CRC-32 of those 30, most significant
/// digit first and left-padded with `0`. See <https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/>.
pub(crate) fn github_crc32_ok(token: &str) -> bool {
    let bytes = token.as_bytes();
    if bytes.len() != 40 || bytes[3] != b'_' {
        return false;
    }
    let (body, check) = (&bytes[4..34], &bytes[34..40]);
    let mut value: u64 = 0;
    for &c in check {
        match base62_digit(c) {
            Some(d) => value = value * 62 + d,
            None => return false,
        }
    }
    value == u64::from(crc32(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_ieee_check_value() {
        // The standard check value of CRC-32/ISO-HDLC (the zlib one).
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn base62_digits_follow_the_0_9_a_z_lowercase_order() {
        assert_eq!(base62_digit(b'0'), Some(0));
        assert_eq!(base62_digit(b'Z'), Some(35));
        assert_eq!(base62_digit(b'z'), Some(61));
        assert_eq!(base62_digit(b'_'), None);
    }

    #[test]
    fn github_checksum_rejects_wrong_shapes() {
        assert!(!github_crc32_ok(""));
        assert!(!github_crc32_ok("ghp_short"));
        assert!(!github_crc32_ok("ghpx000000000000000000000000000000000000"));
        assert!(!github_crc32_ok("ghp_00000000000000000000000000000000000_"));
    }
}
