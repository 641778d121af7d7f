//! Public token prefixes, as documented by the providers and by public secret-scanning rules.
//! Only the prefix is used (for the display hint `ghp_…a1B2`); matching here is not detection.

/// (prefix, provider id), longest prefix first so `github_pat_` wins over shorter candidates.
pub(crate) const PREFIXES: &[(&str, &str)] = &[
    ("github_pat_", "github"),
    ("dckr_pat_", "docker-hub"),
    ("sk-proj-", "openai"),
    ("sk-ant-", "anthropic"),
    ("sk_live_", "stripe"),
    ("sk_test_", "stripe"),
    ("rk_live_", "stripe"),
    ("rk_test_", "stripe"),
    ("dop_v1_", "digitalocean"),
    ("glpat-", "gitlab"),
    ("xoxb-", "slack"),
    ("xoxp-", "slack"),
    ("xapp-", "slack"),
    ("ghp_", "github"),
    ("gho_", "github"),
    ("ghu_", "github"),
    ("ghs_", "github"),
    ("ghr_", "github"),
    ("AKIA", "aws"),
    ("AIza", "google-cloud"),
    ("hf_", "hugging-face"),
    ("SG.", "sendgrid"),
];

fn matching(secret: &str) -> Option<&'static (&'static str, &'static str)> {
    PREFIXES.iter().find(|(p, _)| secret.starts_with(p) && secret.len() >= p.len() + 12)
}

/// The public prefix a secret starts with, if it is one of the known ones.
/// The secret must be clearly longer than the prefix, so a short value is never half shown.
pub fn known_prefix(secret: &str) -> Option<&'static str> {
    matching(secret).map(|(prefix, _)| *prefix)
}

/// The provider a known prefix belongs to: a first guess the user can change.
pub fn provider_for_prefix(secret: &str) -> Option<crate::ProviderId> {
    matching(secret).and_then(|(_, provider)| crate::ProviderId::parse(provider).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_prefixes_are_found_longest_first() {
        assert_eq!(known_prefix("github_pat_11ABCDEFG0123456789abcdef"), Some("github_pat_"));
        assert_eq!(known_prefix("ghp_0123456789abcdefghijklmnopqrstuvwxyz"), Some("ghp_"));
        assert_eq!(known_prefix("glpat-xxxxxxxxxxxxxxxxxxxx"), Some("glpat-"));
    }

    #[test]
    fn prefixes_suggest_their_provider() {
        let guess = provider_for_prefix("glpat-xxxxxxxxxxxxxxxxxxxx").unwrap();
        assert_eq!(guess.as_str(), "gitlab");
        assert_eq!(provider_for_prefix("no-known-prefix-0123456789"), None);
    }

    #[test]
    fn unknown_or_too_short_values_have_no_prefix() {
        assert_eq!(known_prefix("ghp_short"), None);
        assert_eq!(known_prefix("0123456789abcdef0123456789"), None);
    }
}
