//! Which provider and kind a secret is, with a confidence and any embedded checksum verified.
//! Works on the trimmed secret in memory only: a `Detection`, error or panic message never contains
//! any part of it, and nothing here logs.

use crate::catalog::{catalog, Checksum, Shape};
use crate::checksum::github_crc32_ok;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::sync::OnceLock;

/// How sure a detection is. `High`: a distinctive prefix with a fixed length and alphabet (or a
/// checksum). `Medium`: a prefix with a loosely known shape. `Low`: a shape many strings share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// What a secret looks like it is. Never holds the secret, nor any part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Detection {
    pub provider: String,
    pub provider_name: String,
    pub kind: String,
    pub kind_label: String,
    /// One of the vault's token kinds (`TokenKind` in the app's generated TypeScript).
    #[cfg_attr(feature = "ts", ts(type = "TokenKind"))]
    pub token_kind: String,
    pub confidence: Confidence,
    /// The format carries a checksum and it is correct (GitHub's `ghp_`…). False for formats without one.
    pub checksum_verified: bool,
    pub default_lifetime_days: Option<u32>,
    pub manage_url: Option<String>,
}

/// The longest input considered: a Google service-account key file is about 2.4 KB; anything much
/// larger is not one secret, and refusing it keeps the cost of a call bounded.
const MAX_SECRET_LEN: usize = 16 * 1024;

/// Low-confidence catch-alls never claim a secret starting with a literal prefix this long that a
/// stronger pattern owns: a `ghp_` token with a bad checksum is no Cloudflare token.
const GUARDED_PREFIX_MIN_LEN: usize = 3;

struct CompiledPattern {
    provider: usize,
    kind: usize,
    regex: Regex,
    /// Literal text every match starts with; the cheap pre-filter and the tie-breaker.
    prefix: String,
    confidence: Confidence,
    checksum: Option<Checksum>,
    shape: Option<Shape>,
}

struct Engine {
    patterns: Vec<CompiledPattern>,
    guarded_prefixes: Vec<String>,
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut patterns = Vec::new();
        for (pi, provider) in catalog().iter().enumerate() {
            for (ki, kind) in provider.kinds.iter().enumerate() {
                for pattern in kind.patterns() {
                    // A pattern that does not compile or is not anchored is a catalog bug the catalog
                    // tests reject; at run time it is skipped rather than allowed to panic.
                    if !is_anchored(pattern.regex()) {
                        continue;
                    }
                    let Ok(regex) = Regex::new(pattern.regex()) else { continue };
                    patterns.push(CompiledPattern {
                        provider: pi,
                        kind: ki,
                        regex,
                        prefix: literal_prefix(pattern.regex()),
                        confidence: pattern.confidence(),
                        checksum: pattern.checksum(),
                        shape: pattern.shape(),
                    });
                }
            }
        }
        let mut guarded_prefixes: Vec<String> = patterns
            .iter()
            .filter(|p| p.confidence > Confidence::Low && p.prefix.len() >= GUARDED_PREFIX_MIN_LEN)
            .map(|p| p.prefix.clone())
            .collect();
        guarded_prefixes.sort();
        guarded_prefixes.dedup();
        Engine { patterns, guarded_prefixes }
    })
}

/// The best match: highest confidence, then longest literal prefix (then a verified checksum, then
/// catalog order). Surrounding whitespace is ignored. `None` when no specific format matches; the
/// `generic` provider has no patterns and never matches.
pub fn detect(secret: &str) -> Option<Detection> {
    detect_all(secret).into_iter().next()
}

/// Every provider kind the secret matches, best first, each kind once.
pub fn detect_all(secret: &str) -> Vec<Detection> {
    let secret = secret.trim();
    if secret.is_empty() || secret.len() > MAX_SECRET_LEN {
        return Vec::new();
    }
    let engine = engine();
    let mut guarded: Option<bool> = None;
    let mut hits: Vec<(&CompiledPattern, bool)> = Vec::new();
    for pattern in &engine.patterns {
        if !secret.starts_with(pattern.prefix.as_str()) {
            continue;
        }
        if pattern.confidence == Confidence::Low
            && *guarded.get_or_insert_with(|| engine.guarded_prefixes.iter().any(|p| secret.starts_with(p.as_str())))
        {
            continue;
        }
        if !pattern.regex.is_match(secret) || !pattern.shape.is_none_or(|shape| shape_ok(shape, secret)) {
            continue;
        }
        let checksum_verified = match pattern.checksum {
            Some(checksum) if checksum_ok(checksum, secret) => true,
            Some(_) => continue,
            None => false,
        };
        hits.push((pattern, checksum_verified));
    }
    // Stable sort: equal keys keep catalog order.
    hits.sort_by_key(|(p, verified)| (Reverse(p.confidence), Reverse(p.prefix.len()), Reverse(*verified)));
    let mut seen: Vec<(usize, usize)> = Vec::new();
    let providers = catalog();
    hits.into_iter()
        .filter(|(p, _)| {
            let key = (p.provider, p.kind);
            let fresh = !seen.contains(&key);
            seen.push(key);
            fresh
        })
        .filter_map(|(p, checksum_verified)| {
            let provider = providers.get(p.provider)?;
            let kind = provider.kinds.get(p.kind)?;
            Some(Detection {
                provider: provider.id.clone(),
                provider_name: provider.name.clone(),
                kind: kind.id.clone(),
                kind_label: kind.label.clone(),
                token_kind: kind.token_kind.clone(),
                confidence: p.confidence,
                checksum_verified,
                default_lifetime_days: kind.default_lifetime_days,
                manage_url: provider.urls.manage.clone(),
            })
        })
        .collect()
}

fn checksum_ok(checksum: Checksum, secret: &str) -> bool {
    match checksum {
        Checksum::GithubCrc32 => github_crc32_ok(secret),
    }
}

fn shape_ok(shape: Shape, secret: &str) -> bool {
    let has = |f: fn(&char) -> bool| secret.chars().any(|c| f(&c));
    match shape {
        Shape::UpperLowerDigit => {
            has(char::is_ascii_uppercase) && has(char::is_ascii_lowercase) && has(char::is_ascii_digit)
        }
        Shape::DigitAndNonHexLetter => {
            has(char::is_ascii_digit) && has(|c| c.is_ascii_alphabetic() && !c.is_ascii_hexdigit())
        }
        Shape::GoogleServiceAccountJson => is_google_service_account_json(secret),
    }
}

/// A service-account key file: a JSON object of type `service_account` holding a private key.
/// Parse errors are dropped unread: serde_json quotes the input in some of them.
fn is_google_service_account_json(secret: &str) -> bool {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str::<serde_json::Value>(secret) else {
        return false;
    };
    let is_service_account = object.get("type").and_then(|t| t.as_str()) == Some("service_account");
    let has_key = object.get("private_key").and_then(|k| k.as_str()).is_some_and(|k| !k.trim().is_empty());
    is_service_account && has_key
}

/// Whether `^` and `$` bind the whole regex (no `|` outside a group), so a match covers the whole secret.
pub(crate) fn is_anchored(regex: &str) -> bool {
    if !regex.starts_with('^') || !regex.ends_with('$') || regex.ends_with("\\$") {
        return false;
    }
    let (mut depth, mut escaped, mut in_class) = (0i32, false, false);
    for c in regex.chars() {
        match (escaped, in_class, c) {
            (true, _, _) => escaped = false,
            (false, _, '\\') => escaped = true,
            (false, false, '[') => in_class = true,
            (false, true, ']') => in_class = false,
            (false, false, '(') => depth += 1,
            (false, false, ')') => depth -= 1,
            (false, false, '|') if depth == 0 => return false,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0 && !escaped && !in_class
}

/// The literal text every match of an anchored regex starts with (`^ghp_[0-9A-Za-z]{36}$` → `ghp_`).
/// Stops at the first class, group, escape class or quantifier; a character made optional or
/// repeatable by a following `?`, `*` or `{` is left out.
pub(crate) fn literal_prefix(regex: &str) -> String {
    let Some(body) = regex.strip_prefix('^') else { return String::new() };
    let chars: Vec<char> = body.chars().collect();
    let mut prefix = String::new();
    let mut i = 0;
    while i < chars.len() {
        let (literal, next) = match chars[i] {
            '\\' => match chars.get(i + 1) {
                Some(&c) if !c.is_ascii_alphanumeric() => (c, i + 2),
                _ => break,
            },
            c if "[](){}.*+?|^$".contains(c) => break,
            c => (c, i + 1),
        };
        match chars.get(next) {
            Some('?' | '*' | '{') => break,
            Some('+') => {
                prefix.push(literal);
                break;
            }
            _ => {
                prefix.push(literal);
                i = next;
            }
        }
    }
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_prefixes_stop_at_the_first_non_literal() {
        assert_eq!(literal_prefix("^ghp_[0-9A-Za-z]{36}$"), "ghp_");
        assert_eq!(literal_prefix(r"^SG\.[A-Za-z0-9_-]{22}$"), "SG.");
        assert_eq!(
            literal_prefix(r"^https://hooks\.slack\.com/services/T[A-Z0-9]{8}$"),
            "https://hooks.slack.com/services/T"
        );
        assert_eq!(literal_prefix(r"^\{[\s\S]*\}$"), "{");
        assert_eq!(literal_prefix("^[a-z]{52}$"), "");
        assert_eq!(literal_prefix("^ab?c$"), "a");
        assert_eq!(literal_prefix("^ab+c$"), "ab");
        assert_eq!(literal_prefix(r"^a\dc$"), "a");
        assert_eq!(literal_prefix("^(?:AKIA|ASIA)x$"), "");
        assert_eq!(literal_prefix("no-anchor"), "");
    }

    #[test]
    fn anchoring_requires_both_ends_and_no_top_level_alternation() {
        assert!(is_anchored("^ghp_[0-9A-Za-z]{36}$"));
        assert!(is_anchored("^(?:a|b)c$"));
        assert!(is_anchored("^[|]$"));
        assert!(!is_anchored("^a|b$"));
        assert!(!is_anchored("ghp_[0-9A-Za-z]{36}$"));
        assert!(!is_anchored("^ghp_"));
        assert!(!is_anchored(r"^a\$"));
        assert!(!is_anchored("^(a$"));
    }

    #[test]
    fn shapes_keep_catch_alls_off_digests_and_words() {
        assert!(shape_ok(Shape::UpperLowerDigit, "aB3"));
        assert!(!shape_ok(Shape::UpperLowerDigit, "da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        assert!(!shape_ok(Shape::UpperLowerDigit, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"));
        assert!(shape_ok(Shape::DigitAndNonHexLetter, "abcz2"));
        assert!(!shape_ok(Shape::DigitAndNonHexLetter, "abcdef234567"));
        assert!(!shape_ok(Shape::DigitAndNonHexLetter, "thisisonlywords"));
    }

    #[test]
    fn service_account_json_needs_type_and_private_key() {
        let ok = r#"{"type": "service_account", "project_id": "p", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}"#;
        assert!(is_google_service_account_json(ok));
        assert!(!is_google_service_account_json(r#"{"type": "authorized_user", "private_key": "x"}"#));
        assert!(!is_google_service_account_json(r#"{"type": "service_account", "private_key": ""}"#));
        assert!(!is_google_service_account_json(r#"{"type": "service_account""#));
        assert!(!is_google_service_account_json("[1, 2]"));
    }

    #[test]
    fn every_catalog_pattern_is_compiled() {
        let expected: usize = catalog().iter().flat_map(|p| &p.kinds).map(|k| k.patterns().len()).sum();
        assert_eq!(engine().patterns.len(), expected);
    }

    #[test]
    fn catch_alls_do_not_claim_strings_with_a_known_prefix() {
        // 40 characters, Cloudflare's legacy shape, but GitHub's prefix with a wrong checksum.
        let fake = "ghp_Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3Wx4";
        assert_eq!(fake.len(), 40);
        assert_eq!(detect(fake), None);
        assert!(engine().guarded_prefixes.iter().any(|p| p == "ghp_"));
    }

    #[test]
    fn surrounding_whitespace_is_ignored_and_oversized_input_refused() {
        let key = "AKIAQWERTYUIOPASDFGH";
        assert_eq!(detect(&format!("  {key}\n")).map(|d| d.kind), Some("access-key-id".to_owned()));
        assert!(detect_all(&"A".repeat(MAX_SECRET_LEN + 1)).is_empty());
        assert!(detect_all(" \t\n").is_empty());
    }

    #[test]
    fn confidence_orders_low_below_high() {
        assert!(Confidence::Low < Confidence::Medium && Confidence::Medium < Confidence::High);
        assert_eq!(serde_json::to_string(&Confidence::High).unwrap(), "\"high\"");
    }
}
