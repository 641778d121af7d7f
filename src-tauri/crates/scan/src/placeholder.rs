//! Placeholders and documented examples: values that have a token's shape but are no token
//! (`ghp_xxxxxxxx…`, `<your-token>`, AWS's `AKIAIOSFODNN7EXAMPLE`). A scan counts them and never
//! names a provider for them, so a README or a config template does not raise an alarm.

use tokenwarden_providers::known_prefix;

/// Words that only a placeholder or an example holds.
const PLACEHOLDER_WORDS: &[&str] =
    &["example", "your", "placeholder", "redacted", "dummy", "changeme", "change_me", "replace", "insert", "sample"];

/// Examples the providers publish in their documentation, quoted in countless READMEs.
const DOCUMENTED_EXAMPLES: &[&str] = &[
    // GitHub's docs on token formats.
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    // Slack's docs.
    "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
];

/// Runs that no random token holds.
const SEQUENCES: &[&str] = &["0123456789", "1234567890", "abcdefghij", "ABCDEFGHIJ", "qwertyuiop"];

/// Whether `value` is a placeholder or a documented example rather than a live token.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) || DOCUMENTED_EXAMPLES.contains(&value) {
        return true;
    }
    if value.contains(['<', '>', '{', '}', '*']) || value.contains("...") || value.contains("xxxx") {
        return true;
    }
    if SEQUENCES.iter().any(|s| value.contains(s)) {
        return true;
    }
    // What follows a known prefix must look random: a handful of distinct characters is a mask.
    let body = known_prefix(value).map_or(value, |prefix| &value[prefix.len()..]);
    let mut distinct: Vec<char> = body.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() < 6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_examples_and_templates_are_placeholders() {
        for value in [
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "glpat-XXXXXXXXXXXXXXXXXXXX",
            "glpat-00000000000000000000",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "<your-github-token>",
            "sk-proj-YOUR_KEY_HERE_0000000000000000",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "hf_abababababababababababababababababab",
            "sk_live_0123456789abcdefghijklmnopqrstuvw",
            "ghp_${GITHUB_TOKEN}",
            "ghp_****************************a1B2",
        ] {
            assert!(is_placeholder(value), "{value} should be a placeholder");
        }
    }

    #[test]
    fn random_looking_tokens_are_not_placeholders() {
        for value in [
            "glpat-Ab3dEf5hIj7lMn9pQr1t",
            "ghp_R4nd0mL00k1ngT0k3nW1thM1x3dCh4rsAb12",
            "hf_QmT9sLkPzWx3VbN7rYcJd2HgFa5KeUo8Ri",
            "sk_live_51HqLyjWDarjtT1zdp7dcXyz9Uv8Rs7Qp",
        ] {
            assert!(!is_placeholder(value), "{value} is not a placeholder");
        }
    }
}
