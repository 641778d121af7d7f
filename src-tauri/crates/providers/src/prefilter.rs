//! What a string must look like before [`crate::detect`] or [`crate::known_prefix`] can accept it,
//! for callers that look at millions of strings (the disk scan): the literal prefixes of the catalog's
//! patterns and of the known display prefixes, and the lengths of the patterns that have no prefix.
//! A cheap test that must never turn away a string those two would accept; it holds no secret.

use crate::catalog::catalog;
use crate::detect::{is_anchored, literal_prefix};
use std::sync::OnceLock;

/// The literal prefixes and the unprefixed lengths, computed once from the catalog.
#[derive(Debug)]
pub struct Prefilter {
    prefixes: Vec<String>,
    /// Inclusive byte-length ranges of the patterns without a literal prefix (`None`: unbounded).
    unprefixed: Vec<(usize, Option<usize>)>,
}

impl Prefilter {
    /// Every literal text a match starts with, sorted and without duplicates.
    pub fn prefixes(&self) -> &[String] {
        &self.prefixes
    }

    /// Whether a string `len` bytes long could match a pattern that has no literal prefix.
    pub fn unprefixed_length(&self, len: usize) -> bool {
        self.unprefixed.iter().any(|&(min, max)| len >= min && max.is_none_or(|max| len <= max))
    }
}

/// The catalog's prefilter.
pub fn prefilter() -> &'static Prefilter {
    static PREFILTER: OnceLock<Prefilter> = OnceLock::new();
    PREFILTER.get_or_init(|| {
        let mut prefixes: Vec<String> = crate::prefixes::PREFIXES.iter().map(|(p, _)| (*p).to_owned()).collect();
        let mut unprefixed = Vec::new();
        for pattern in catalog().iter().flat_map(|p| &p.kinds).flat_map(|k| k.patterns()) {
            // `detect` skips what is not anchored; so does this.
            if !is_anchored(pattern.regex()) {
                continue;
            }
            let prefix = literal_prefix(pattern.regex());
            if !prefix.is_empty() {
                prefixes.push(prefix);
                continue;
            }
            // A regex that does not parse never matches in `detect` either.
            if let Ok(hir) = regex_syntax::parse(pattern.regex()) {
                let properties = hir.properties();
                unprefixed.push((properties.minimum_len().unwrap_or(0), properties.maximum_len()));
            }
        }
        prefixes.sort();
        prefixes.dedup();
        Prefilter { prefixes, unprefixed }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_prefixes_and_display_prefixes_are_both_listed() {
        let prefixes = prefilter().prefixes();
        for expected in ["ghp_", "glpat-", "sk-ant-api03-", "sk-ant-", "AKIA", "https://hooks.slack.com/services/T"] {
            assert!(prefixes.iter().any(|p| p == expected), "{expected} missing from {prefixes:?}");
        }
    }

    #[test]
    fn unprefixed_lengths_are_those_of_the_catch_alls() {
        let filter = prefilter();
        // Vercel's legacy 24, Cloudflare's legacy 40, Azure DevOps' 52 and 84.
        for len in [24, 40, 52, 84] {
            assert!(filter.unprefixed_length(len), "{len}");
        }
        for len in [16, 23, 41, 60, 200] {
            assert!(!filter.unprefixed_length(len), "{len}");
        }
    }

    #[test]
    fn every_string_detect_names_passes_the_prefilter() {
        let filter = prefilter();
        let samples = [
            "ghp_R4nd0mL00k1ngT0k3nW1thM1x3dCh4rsAb12",
            "glpat-Ab3dEf5hIj7lMn9pQr1t",
            "AKIAQWERTYUIOPASDFGH",
            "Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3Wx4Yz5A",
            "q8Zr2Lm5Vt9Kw3Nx7Bc1Hd4F",
        ];
        for sample in samples {
            if crate::detect(sample).is_some() {
                let prefixed = filter.prefixes().iter().any(|p| sample.starts_with(p.as_str()));
                assert!(prefixed || filter.unprefixed_length(sample.len()), "{sample}");
            }
        }
    }
}
