//! The provider catalog: what each provider is called, what its tokens look like, where a person
//! creates, rotates and revokes them, and which API operations our adapters implement.
//! Data only: one TOML file per provider in `catalog/`, embedded at build time. It never holds a secret.

use crate::detect::Confidence;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The `token_kind` values a catalog kind may use (the vault's token kinds).
pub const TOKEN_KINDS: [&str; 6] =
    ["personal_access_token", "api_key", "oauth_client_secret", "webhook_secret", "deploy_key", "other"];

/// Every catalog file as (file stem, TOML text). The stem is the provider id.
const FILES: &[(&str, &str)] = &[
    ("anthropic", include_str!("../catalog/anthropic.toml")),
    ("atlassian", include_str!("../catalog/atlassian.toml")),
    ("aws", include_str!("../catalog/aws.toml")),
    ("azure-devops", include_str!("../catalog/azure-devops.toml")),
    ("cloudflare", include_str!("../catalog/cloudflare.toml")),
    ("digitalocean", include_str!("../catalog/digitalocean.toml")),
    ("docker-hub", include_str!("../catalog/docker-hub.toml")),
    ("generic", include_str!("../catalog/generic.toml")),
    ("github", include_str!("../catalog/github.toml")),
    ("gitlab", include_str!("../catalog/gitlab.toml")),
    ("google-cloud", include_str!("../catalog/google-cloud.toml")),
    ("grafana", include_str!("../catalog/grafana.toml")),
    ("hugging-face", include_str!("../catalog/hugging-face.toml")),
    ("linear", include_str!("../catalog/linear.toml")),
    ("openai", include_str!("../catalog/openai.toml")),
    ("sendgrid", include_str!("../catalog/sendgrid.toml")),
    ("sentry", include_str!("../catalog/sentry.toml")),
    ("shopify", include_str!("../catalog/shopify.toml")),
    ("slack", include_str!("../catalog/slack.toml")),
    ("stripe", include_str!("../catalog/stripe.toml")),
    ("twilio", include_str!("../catalog/twilio.toml")),
    ("vercel", include_str!("../catalog/vercel.toml")),
];

/// The id of the fallback provider: no patterns, listed last.
pub const GENERIC_ID: &str = "generic";

/// One provider as the catalog describes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub id: String,
    pub name: String,
    /// Public pages the formats and steps were checked against (provider docs, secret-scanning rules).
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub urls: Urls,
    /// Default base URL our adapters call; present exactly when some API operation is implemented.
    #[serde(default)]
    pub api_base: Option<String>,
    #[serde(default)]
    pub api: ApiOps,
    /// What a check does at the provider, shown before the first check. Present exactly when `api.verify`.
    #[serde(default)]
    pub verify_effect: Option<String>,
    #[serde(default)]
    pub rotation_steps: Vec<String>,
    #[serde(default)]
    pub revocation_steps: Vec<String>,
    /// Scopes worth a warning. An entry ending in `*` matches every scope with that prefix, so `"*"`
    /// alone marks every scope dangerous: used where a token has no scopes and is always full access (Stripe).
    #[serde(default)]
    pub dangerous_scopes: Vec<String>,
    #[serde(default)]
    pub kinds: Vec<KindSpec>,
}

/// Where a person handles the token at the provider's site. Any may be absent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct Urls {
    pub create: Option<String>,
    pub manage: Option<String>,
    pub rotate: Option<String>,
    pub revoke: Option<String>,
    pub docs: Option<String>,
}

/// Which operations our adapters implement for this provider.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct ApiOps {
    pub verify: bool,
    pub last_used: bool,
    pub rotate: bool,
    pub revoke: bool,
}

/// One kind of credential a provider issues (`classic-pat`, `webhook-url`…).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct KindSpec {
    pub id: String,
    pub label: String,
    /// One of [`TOKEN_KINDS`] (the app's generated TypeScript names that union `TokenKind`).
    #[cfg_attr(feature = "ts", ts(type = "TokenKind"))]
    pub token_kind: String,
    #[serde(default)]
    pub default_lifetime_days: Option<u32>,
    #[serde(default)]
    pub max_lifetime_days: Option<u32>,
    /// Detection data; not sent to the UI.
    #[serde(default, skip_serializing)]
    #[cfg_attr(feature = "ts", ts(skip))]
    patterns: Vec<Pattern>,
}

/// What a token of a kind looks like: an anchored regex over the whole (trimmed) secret, plus checks
/// a regex cannot express.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    regex: String,
    confidence: Confidence,
    #[serde(default)]
    checksum: Option<Checksum>,
    #[serde(default)]
    shape: Option<Shape>,
}

/// A checksum carried inside the token; a token whose checksum fails does not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checksum {
    /// GitHub's CRC-32 in the last 6 base62 characters (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`).
    GithubCrc32,
}

/// Extra conditions on the secret's shape, for patterns a regex alone would let claim look-alikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// At least one uppercase letter, one lowercase letter and one digit: keeps catch-alls off
    /// hex digests, words and numbers.
    UpperLowerDigit,
    /// At least one digit and one letter outside `a-f`/`A-F`: not a hex digest.
    DigitAndNonHexLetter,
    /// A JSON object with `"type": "service_account"` and a non-empty `"private_key"`.
    GoogleServiceAccountJson,
}

impl Pattern {
    /// The anchored regex (`^…$`) the whole trimmed secret must match.
    pub fn regex(&self) -> &str {
        &self.regex
    }
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
    pub fn checksum(&self) -> Option<Checksum> {
        self.checksum
    }
    pub fn shape(&self) -> Option<Shape> {
        self.shape
    }
}

impl KindSpec {
    /// How tokens of this kind are recognised (empty for kinds that are only picked by hand).
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }
}

impl Provider {
    pub fn kind(&self, id: &str) -> Option<&KindSpec> {
        self.kinds.iter().find(|k| k.id == id)
    }

    /// Whether a scope (as the provider spells it, e.g. `admin:org`) deserves a warning.
    pub fn is_dangerous_scope(&self, scope: &str) -> bool {
        let scope = scope.trim();
        self.dangerous_scopes.iter().any(|entry| match entry.strip_suffix('*') {
            Some(prefix) => scope.starts_with(prefix),
            None => entry == scope,
        })
    }
}

/// The whole catalog, parsed once: sorted by name, with `generic` last.
pub fn catalog() -> &'static [Provider] {
    static CATALOG: OnceLock<Vec<Provider>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut providers: Vec<Provider> = FILES.iter().map(|(_, text)| parse_embedded(text)).collect();
        providers.sort_by(|a, b| {
            (a.id == GENERIC_ID, a.name.to_lowercase()).cmp(&(b.id == GENERIC_ID, b.name.to_lowercase()))
        });
        providers
    })
}

/// A provider by id (`github`, `hugging-face`).
pub fn provider(id: &str) -> Option<&'static Provider> {
    catalog().iter().find(|p| p.id == id)
}

/// A provider's name as the catalog spells it ("GitHub", "Hugging Face"); an id the catalog does
/// not know (a provider the user typed) is shown as it was typed. The one place ids become names.
pub fn display_name(id: &str) -> String {
    match provider(id) {
        Some(known) => known.name.clone(),
        None => id.to_owned(),
    }
}

// The catalog files are compiled in, so a parse failure is a programming error, not a runtime
// condition: the unit test `every_catalog_file_parses` fails loudly on any bad file before it ships.
#[allow(clippy::expect_used)]
fn parse_embedded(text: &str) -> Provider {
    toml::from_str(text).expect("embedded catalog file is valid (guarded by the test every_catalog_file_parses)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn parsed() -> Vec<(&'static str, Provider)> {
        FILES
            .iter()
            .map(|(stem, text)| match toml::from_str::<Provider>(text) {
                Ok(p) => (*stem, p),
                Err(e) => panic!("catalog/{stem}.toml does not parse: {e}"),
            })
            .collect()
    }

    #[test]
    fn every_catalog_file_parses() {
        assert_eq!(parsed().len(), FILES.len());
        assert_eq!(catalog().len(), FILES.len());
    }

    #[test]
    fn every_file_in_the_catalog_folder_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let on_disk: BTreeSet<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        let embedded: BTreeSet<String> = FILES.iter().map(|(stem, _)| format!("{stem}.toml")).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn provider_ids_match_file_names_and_are_valid_ids() {
        for (stem, p) in parsed() {
            assert_eq!(p.id, stem, "catalog/{stem}.toml has id '{}'", p.id);
            assert_eq!(crate::ProviderId::parse(&p.id).unwrap().as_str(), p.id);
        }
    }

    #[test]
    fn the_required_providers_are_all_there() {
        for id in [
            "github",
            "gitlab",
            "slack",
            "stripe",
            "openai",
            "anthropic",
            "aws",
            "cloudflare",
            "digitalocean",
            "atlassian",
            "hugging-face",
            "twilio",
            "sendgrid",
            "vercel",
            "docker-hub",
            "google-cloud",
            "azure-devops",
            "sentry",
            "grafana",
            "linear",
            "shopify",
            "generic",
        ] {
            assert!(provider(id).is_some(), "missing provider {id}");
        }
    }

    #[test]
    fn display_names_come_from_the_catalog_and_unknown_ids_stay_as_typed() {
        assert_eq!(display_name("github"), "GitHub");
        assert_eq!(display_name("hugging-face"), "Hugging Face");
        assert_eq!(display_name("acme-internal"), "acme-internal");
    }

    #[test]
    fn catalog_is_sorted_by_name_with_generic_last() {
        let all = catalog();
        assert_eq!(all.last().unwrap().id, GENERIC_ID);
        let names: Vec<String> = all[..all.len() - 1].iter().map(|p| p.name.to_lowercase()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }

    #[test]
    fn every_regex_compiles_and_is_anchored() {
        for (stem, p) in parsed() {
            for k in &p.kinds {
                for pat in &k.patterns {
                    assert!(regex::Regex::new(&pat.regex).is_ok(), "{stem}/{}: regex does not compile", k.id);
                    assert!(
                        crate::detect::is_anchored(&pat.regex),
                        "{stem}/{}: regex {} is not anchored ^…$",
                        k.id,
                        pat.regex
                    );
                }
            }
        }
    }

    #[test]
    fn every_token_kind_is_one_of_the_six() {
        for (stem, p) in parsed() {
            for k in &p.kinds {
                assert!(TOKEN_KINDS.contains(&k.token_kind.as_str()), "{stem}/{}: token_kind {}", k.id, k.token_kind);
            }
        }
    }

    #[test]
    fn kind_ids_are_unique_and_lifetimes_consistent() {
        for (stem, p) in parsed() {
            let ids: BTreeSet<&str> = p.kinds.iter().map(|k| k.id.as_str()).collect();
            assert_eq!(ids.len(), p.kinds.len(), "{stem}: duplicate kind id");
            for k in &p.kinds {
                assert!(!k.label.trim().is_empty(), "{stem}/{}: empty label", k.id);
                if let (Some(d), Some(m)) = (k.default_lifetime_days, k.max_lifetime_days) {
                    assert!(d <= m, "{stem}/{}: default lifetime above the maximum", k.id);
                }
            }
        }
    }

    #[test]
    fn every_provider_but_generic_has_a_detectable_kind() {
        for (stem, p) in parsed() {
            let detectable = p.kinds.iter().any(|k| !k.patterns.is_empty());
            if stem == GENERIC_ID {
                assert!(!detectable, "generic must never match");
                assert!(!p.kinds.is_empty(), "generic offers at least one kind to pick by hand");
            } else {
                assert!(detectable, "{stem}: no kind with a pattern");
            }
        }
    }

    #[test]
    fn every_provider_cites_sources_and_has_steps() {
        for (stem, p) in parsed() {
            assert!(!p.name.trim().is_empty(), "{stem}: empty name");
            assert!(p.sources.iter().any(|s| s.starts_with("https://")), "{stem}: no https source");
            assert!(p.sources.iter().all(|s| s.starts_with("https://")), "{stem}: non-https source");
            let urls = [&p.urls.create, &p.urls.manage, &p.urls.rotate, &p.urls.revoke, &p.urls.docs];
            assert!(urls.iter().all(|u| u.as_ref().is_none_or(|u| u.starts_with("https://"))), "{stem}: url");
            assert!(!p.rotation_steps.is_empty(), "{stem}: no rotation steps");
            assert!(!p.revocation_steps.is_empty(), "{stem}: no revocation steps");
            assert!(p.rotation_steps.iter().chain(&p.revocation_steps).all(|s| !s.trim().is_empty()));
        }
    }

    #[test]
    fn verify_effect_and_api_base_follow_the_api_table() {
        for (stem, p) in parsed() {
            assert_eq!(p.verify_effect.is_some(), p.api.verify, "{stem}: verify_effect iff api.verify");
            let any_op = p.api.verify || p.api.last_used || p.api.rotate || p.api.revoke;
            assert_eq!(p.api_base.is_some(), any_op, "{stem}: api_base iff an api op");
            if let Some(base) = &p.api_base {
                assert!(base.starts_with("https://") && !base.ends_with('/'), "{stem}: api_base {base}");
            }
        }
    }

    #[test]
    fn api_operations_are_exactly_the_implemented_ones() {
        let ops = |verify, last_used, rotate, revoke| ApiOps { verify, last_used, rotate, revoke };
        let expected = [
            ("github", ops(true, false, false, true), "https://api.github.com"),
            ("gitlab", ops(true, true, true, true), "https://gitlab.com"),
            ("slack", ops(true, false, false, true), "https://slack.com/api"),
            ("hugging-face", ops(true, false, false, false), "https://huggingface.co"),
            ("cloudflare", ops(true, false, true, false), "https://api.cloudflare.com/client/v4"),
            ("digitalocean", ops(true, false, false, false), "https://api.digitalocean.com"),
            ("vercel", ops(true, false, true, true), "https://api.vercel.com"),
            ("sendgrid", ops(true, false, false, false), "https://api.sendgrid.com"),
        ];
        for p in catalog() {
            match expected.iter().find(|(id, _, _)| *id == p.id) {
                Some((_, api, base)) => {
                    assert_eq!(p.api, *api, "{}", p.id);
                    assert_eq!(p.api_base.as_deref(), Some(*base), "{}", p.id);
                }
                None => assert_eq!(p.api, ApiOps::default(), "{} has no adapter", p.id),
            }
        }
    }

    #[test]
    fn dangerous_scopes_match_exactly_or_by_prefix() {
        let github = provider("github").unwrap();
        assert!(github.is_dangerous_scope("delete_repo"));
        assert!(github.is_dangerous_scope(" admin:org "));
        assert!(!github.is_dangerous_scope("read:user"));
        assert!(!github.is_dangerous_scope("repo:status"));
        let slack = provider("slack").unwrap();
        assert!(slack.is_dangerous_scope("admin.users:write"));
        let stripe = provider("stripe").unwrap();
        assert!(stripe.is_dangerous_scope("anything"), "Stripe secret keys are full access");
        assert!(!provider(GENERIC_ID).unwrap().is_dangerous_scope("admin"));
    }

    #[test]
    fn kinds_are_found_by_id() {
        let github = provider("github").unwrap();
        assert_eq!(github.kind("classic-pat").unwrap().token_kind, "personal_access_token");
        assert!(github.kind("nope").is_none());
        assert!(provider("nope").is_none());
    }

    #[test]
    fn serialized_providers_leave_detection_patterns_out() {
        let json = serde_json::to_string(provider("github").unwrap()).unwrap();
        assert!(json.contains("\"classic-pat\""));
        assert!(!json.contains("\"patterns\"") && !json.contains("\"regex\""), "{json}");
    }
}
