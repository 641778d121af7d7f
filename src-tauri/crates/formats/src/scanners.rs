//! Secret-scanner reports: gitleaks' JSON array and trufflehog's `--json` lines. Each finding is a
//! token where it was found; findings of the same secret become one token with several usages.
//! Secrets are compared only inside [`Merged::add`], never logged or echoed in a message.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use tokenwarden_providers::ProviderId;

use crate::error::Result;
use crate::reading::{self, null_as_default};
use crate::{ImportRecord, ImportedUsage, Input};

const USAGE_KIND: &str = "config_file";
const VERIFIED: &str = "verified-live";
const UNVERIFIED: &str = "unverified";

/// Scanner rule or detector names (folded: lowercase, letters and digits only) → provider id,
/// for the providers whose names are unambiguous. First match wins.
const PROVIDER_NAMES: &[(&str, &str)] = &[
    ("github", "github"),
    ("gitlab", "gitlab"),
    ("slack", "slack"),
    ("stripe", "stripe"),
    ("aws", "aws"),
    ("openai", "openai"),
    ("anthropic", "anthropic"),
    ("huggingface", "hugging-face"),
    ("gcp", "google-cloud"),
    ("googlecloud", "google-cloud"),
    ("digitalocean", "digitalocean"),
    ("sendgrid", "sendgrid"),
    ("dockerhub", "docker-hub"),
];

/// Trufflehog detectors that find a kind of credential rather than one provider's.
const GENERIC_DETECTORS: &[&str] = &["uri", "privatekey", "jdbc", "ftp", "ldap", "generic", "customregex"];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GitleaksFinding {
    #[serde(rename = "RuleID")]
    rule_id: Option<String>,
    start_line: Option<i64>,
    secret: Option<SecretString>,
    file: Option<String>,
    commit: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TrufflehogFinding {
    source_metadata: Option<SourceMetadata>,
    detector_name: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    verified: bool,
    raw: Option<SecretString>,
    raw_v2: Option<SecretString>,
}

#[derive(Deserialize)]
struct SourceMetadata {
    /// One entry named after the source (`Filesystem`, `Git`, `Github`, …) with its own fields.
    #[serde(rename = "Data", default, deserialize_with = "null_as_default")]
    data: BTreeMap<String, serde_json::Value>,
}

/// One finding, before findings of the same secret are merged.
struct Finding {
    at: String,
    name: String,
    secret: SecretString,
    provider: Option<ProviderId>,
    tags: Vec<String>,
    usage: ImportedUsage,
}

/// Records so far, one per distinct secret.
#[derive(Default)]
struct Merged {
    records: Vec<ImportRecord>,
    /// SHA-256 of each secret → its record. A digest rather than the secret, so no second plain
    /// copy of every secret lives in the map.
    index: HashMap<[u8; 32], usize>,
}

impl Merged {
    /// Adds a finding: a new record for a new secret, otherwise one more usage (and any new tags)
    /// on the record that already holds it.
    fn add(&mut self, finding: Finding) {
        let digest: [u8; 32] = Sha256::digest(finding.secret.expose_secret().as_bytes()).into();
        let Some(&i) = self.index.get(&digest) else {
            let mut record = ImportRecord::new(finding.at, finding.name, finding.secret);
            record.provider = finding.provider;
            record.tags = finding.tags;
            record.usages.push(finding.usage);
            self.index.insert(digest, self.records.len());
            self.records.push(record);
            return;
        };
        let record = &mut self.records[i];
        if !record.usages.iter().any(|u| u.location == finding.usage.location) {
            record.usages.push(finding.usage);
        }
        for tag in finding.tags {
            reading::push_unique(&mut record.tags, tag);
        }
        if record.tags.iter().any(|t| t == VERIFIED) {
            record.tags.retain(|t| t != UNVERIFIED);
        }
    }
}

/// Reads a gitleaks JSON report (`gitleaks detect -f json`): an array of findings.
pub(crate) fn read_gitleaks(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    let text = reading::utf8(input)?;
    let findings: Option<Vec<GitleaksFinding>> = reading::parse_json(input, text)?;
    let mut merged = Merged::default();
    for (index, finding) in findings.unwrap_or_default().into_iter().enumerate() {
        let at = format!("finding {}", index + 1);
        let Some(secret) = finding.secret.filter(reading::is_filled) else { continue };
        let exposed = secret.expose_secret();
        if exposed == "REDACTED" || exposed.ends_with("...") {
            return Err(input.error(
                at,
                "Secret",
                "is redacted: the report holds no secrets; run gitleaks again without --redact",
            ));
        }
        let rule = reading::non_blank(finding.rule_id.as_deref()).unwrap_or("secret");
        let file = reading::non_blank(finding.file.as_deref());
        let mut usage = ImportedUsage::new(USAGE_KIND, location(file, finding.start_line, &at));
        usage.notes = finding.commit.filter(|c| !c.trim().is_empty()).map(|c| format!("commit {}", c.trim()));
        merged.add(Finding {
            name: finding_name(rule, file),
            provider: provider_for_name(rule),
            tags: ["found-by-gitleaks", rule].iter().filter_map(|t| reading::vault_tag(t)).collect(),
            at,
            secret,
            usage,
        });
    }
    Ok(merged.records)
}

/// Reads trufflehog's `--json` output: one JSON object per line. Lines that are not JSON objects
/// (progress and log lines) and objects that are not findings are skipped; a broken object is an
/// error naming its line.
pub(crate) fn read_trufflehog(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    let text = reading::utf8(input)?;
    let mut merged = Merged::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if !line.starts_with('{') {
            continue;
        }
        let at = format!("line {}", index + 1);
        reading::check_json_depth(input, line).map_err(|_| {
            input.error(&at, "structure", format!("JSON is nested more than {} levels deep", crate::MAX_JSON_DEPTH))
        })?;
        let finding: TrufflehogFinding = serde_json::from_str(line)
            .map_err(|e| input.error(format!("{at}, column {}", e.column()), "JSON", reading::json_problem(&e)))?;
        if let Some(finding) = trufflehog_finding(at, finding) {
            merged.add(finding);
        }
    }
    Ok(merged.records)
}

fn trufflehog_finding(at: String, finding: TrufflehogFinding) -> Option<Finding> {
    let secret = finding.raw.filter(reading::is_filled).or(finding.raw_v2.filter(reading::is_filled))?;
    let detector = reading::non_blank(finding.detector_name.as_deref()).unwrap_or("secret");
    let source = finding.source_metadata.and_then(|m| m.data.into_values().find(serde_json::Value::is_object));
    let field = |name: &str| source.as_ref().and_then(|s| source_field(s, name));
    let file = field("file");
    let line = field("line").and_then(|l| l.parse::<i64>().ok());
    let place = file.clone().or_else(|| field("repository")).or_else(|| field("link"));
    let mut usage = ImportedUsage::new(USAGE_KIND, location(place.as_deref(), line, &at));
    usage.notes = field("commit").map(|commit| match field("repository") {
        Some(repository) => format!("commit {commit} in {repository}"),
        None => format!("commit {commit}"),
    });
    let verified = if finding.verified { VERIFIED } else { UNVERIFIED };
    Some(Finding {
        name: finding_name(detector, file.as_deref()),
        provider: provider_for_detector(detector),
        tags: ["found-by-trufflehog", verified].iter().filter_map(|t| reading::vault_tag(t)).collect(),
        at,
        secret,
        usage,
    })
}

/// A source field as text, whatever its JSON type, matching the name in any case (`file`, `File`).
fn source_field(source: &serde_json::Value, name: &str) -> Option<String> {
    let (_, value) = source.as_object()?.iter().find(|(key, _)| key.eq_ignore_ascii_case(name))?;
    let text = match value {
        serde_json::Value::String(s) => s.trim().to_owned(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then(|| reading::truncate_chars(&text, 1024))
}

/// `src/config.rs:12`, the file alone without a line, or the finding itself when there is no file.
fn location(file: Option<&str>, line: Option<i64>, at: &str) -> String {
    match (file, line) {
        (Some(file), Some(line)) if line > 0 => format!("{file}:{line}"),
        (Some(file), _) => file.to_owned(),
        (None, _) => format!("scanner report, {at}"),
    }
}

/// `github-pat in src/deploy/config.rs`, with a long path shortened from the front.
fn finding_name(rule: &str, file: Option<&str>) -> String {
    let rule = reading::truncate_chars(rule, 60);
    match file {
        Some(file) => format!("{rule} in {}", short_path(file)),
        None => rule,
    }
}

fn short_path(path: &str) -> String {
    let count = path.chars().count();
    if count <= 60 {
        return path.to_owned();
    }
    let tail: String = path.chars().skip(count - 59).collect();
    format!("…{tail}")
}

/// The provider a gitleaks rule id names (`github-pat`, `slack-bot-token`), when it is obvious.
fn provider_for_name(name: &str) -> Option<ProviderId> {
    let folded: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    let (_, id) = PROVIDER_NAMES.iter().find(|(prefix, _)| folded.starts_with(prefix))?;
    ProviderId::parse(id).ok()
}

/// The provider a trufflehog detector names (`Github`, `AWS`, `SlackWebhook`): a known one, else the
/// detector's own name, except for detectors of generic credentials (`URI`, `PrivateKey`).
fn provider_for_detector(detector: &str) -> Option<ProviderId> {
    let lower = detector.to_ascii_lowercase();
    if GENERIC_DETECTORS.contains(&lower.as_str()) {
        return None;
    }
    provider_for_name(detector).or_else(|| ProviderId::parse(&lower).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::test_support::{assert_no_secret, failure, import_fixture};
    use proptest::prelude::*;

    const GITLEAKS: &[u8] = import_fixture!("gitleaks/report.json");
    const GITLEAKS_TRUNCATED: &[u8] = import_fixture!("gitleaks/truncated.json");
    const TRUFFLEHOG: &[u8] = import_fixture!("trufflehog/report.jsonl");
    const DEEP: &[u8] = import_fixture!("bitwarden/deep.json");

    const GITHUB: &str = "ghp_Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8";
    const SLACK: &str = "xoxb-2222222222-3333333333-QwErTyUiOpAsDfGhJkLzXcVb";
    const AWS: &str = "AKIAZ7FAKEEXAMPLE0Q1";
    const STRIPE: &str = "sk_live_FAKE51HxYz0123456789abcdefABCDEF";

    fn gitleaks(bytes: &[u8]) -> Result<Vec<ImportRecord>> {
        read_gitleaks(&Input { name: "gitleaks.json", bytes })
    }

    fn trufflehog(bytes: &[u8]) -> Result<Vec<ImportRecord>> {
        read_trufflehog(&Input { name: "trufflehog.jsonl", bytes })
    }

    fn locations(record: &ImportRecord) -> Vec<&str> {
        record.usages.iter().map(|u| u.location.as_str()).collect()
    }

    #[test]
    fn gitleaks_findings_map_to_named_tagged_tokens_with_usages() {
        let records = gitleaks(GITLEAKS).unwrap();
        let github = &records[0];
        assert_eq!(github.name, "github-pat in .github/workflows/release.yml");
        assert_eq!(github.secret.expose_secret(), GITHUB);
        assert_eq!(github.provider.as_ref().map(ProviderId::as_str), Some("github"));
        assert_eq!(github.tags, ["found-by-gitleaks", "github-pat"]);
        assert_eq!(github.usages[0].kind, "config_file");
        assert_eq!(github.usages[0].notes.as_deref(), Some("commit 6f1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5"));
        assert_eq!(github.at, "finding 1");
    }

    #[test]
    fn gitleaks_findings_of_one_secret_become_one_token() {
        let records = gitleaks(GITLEAKS).unwrap();
        assert_eq!(records.len(), 3, "five findings: one secret twice, one with an empty secret");
        assert_eq!(locations(&records[0]), [".github/workflows/release.yml:14", "scripts/deploy.sh:3"]);
        let slack = records.iter().find(|r| r.secret.expose_secret() == SLACK).unwrap();
        assert_eq!(slack.provider.as_ref().map(ProviderId::as_str), Some("slack"));
        let generic = records.iter().find(|r| r.secret.expose_secret() == STRIPE).unwrap();
        assert_eq!(generic.provider, None, "unknown rules leave the provider to the secret's prefix");
        assert!(generic.name.starts_with("generic-api-key in …"), "{}", generic.name);
        assert!(generic.name.chars().count() < 100);
    }

    #[test]
    fn gitleaks_redacted_and_empty_reports() {
        let err = failure(gitleaks(br#"[{"RuleID":"github-pat","Secret":"REDACTED","File":"a"}]"#));
        assert!(err.contains("--redact"), "{err}");
        assert!(gitleaks(b"[]").unwrap().is_empty());
        assert!(gitleaks(b"null").unwrap().is_empty());
    }

    #[test]
    fn trufflehog_lines_map_to_tokens_with_verification_tags() {
        let records = trufflehog(TRUFFLEHOG).unwrap();
        assert_eq!(records.len(), 3);
        let github = &records[0];
        assert_eq!(github.name, "Github in /srv/app/.env");
        assert_eq!(github.secret.expose_secret(), GITHUB);
        assert_eq!(github.provider.as_ref().map(ProviderId::as_str), Some("github"));
        assert_eq!(github.tags, ["found-by-trufflehog", "verified-live"], "a verified sighting wins");
        assert_eq!(locations(github), ["/srv/app/.env:3", "config/ci.yml:7"]);
        assert_eq!(github.usages[1].notes.as_deref(), Some("commit 0a1b2c3d in https://github.com/example/app.git"));
        assert_eq!(github.at, "line 2");
        let aws = records.iter().find(|r| r.secret.expose_secret() == AWS).unwrap();
        assert_eq!(aws.provider.as_ref().map(ProviderId::as_str), Some("aws"));
        assert_eq!(aws.tags, ["found-by-trufflehog", "unverified"]);
        let uri = records.iter().find(|r| r.name.starts_with("URI")).unwrap();
        assert_eq!(uri.provider, None);
    }

    #[test]
    fn trufflehog_malformed_object_line_is_named() {
        let bytes = b"scanning...\n{\"DetectorName\":\"AWS\",\"Raw\":\"AKIA\"\n";
        let err = failure(trufflehog(bytes));
        assert!(err.contains("line 2") && err.contains("truncated"), "{err}");
        let deep = format!("{}\n", String::from_utf8_lossy(DEEP));
        let err = failure(trufflehog(format!("{{\"a\":{deep}").as_bytes()));
        assert!(err.contains("line 1") && err.contains("nested"), "{err}");
    }

    #[test]
    fn truncated_and_deep_gitleaks_reports_are_clear_errors() {
        let err = failure(gitleaks(GITLEAKS_TRUNCATED));
        assert!(err.contains("truncated"), "{err}");
        let err = failure(gitleaks(DEEP));
        assert!(err.contains("nested more than"), "{err}");
        let err = failure(gitleaks(br#"{"not": "a report"}"#));
        assert!(err.contains("wrong type"), "{err}");
    }

    #[test]
    fn providers_come_from_rule_and_detector_names() {
        let id = |p: Option<ProviderId>| p.map(|p| p.as_str().to_owned());
        assert_eq!(id(provider_for_name("gitlab-pat")).as_deref(), Some("gitlab"));
        assert_eq!(id(provider_for_name("aws-access-token")).as_deref(), Some("aws"));
        assert_eq!(id(provider_for_name("stripe-access-token")).as_deref(), Some("stripe"));
        assert_eq!(id(provider_for_name("jwt")), None);
        assert_eq!(id(provider_for_detector("SlackWebhook")).as_deref(), Some("slack"));
        assert_eq!(id(provider_for_detector("Postgres")).as_deref(), Some("postgres"));
        assert_eq!(id(provider_for_detector("PrivateKey")), None);
    }

    #[test]
    fn no_secret_reaches_an_error_or_problem() {
        let mut texts = Vec::new();
        for (bytes, reader) in [(GITLEAKS, gitleaks as fn(&[u8]) -> _), (TRUFFLEHOG, trufflehog)] {
            let records = reader(bytes).unwrap();
            texts.extend(records.iter().flat_map(|r| r.problems.clone()));
            texts.extend(records.iter().map(|r| format!("{} {}", r.at, r.name)));
            for cut in (40..bytes.len()).step_by(97) {
                if let Err(e) = reader(&bytes[..cut]) {
                    texts.push(e.to_string());
                }
            }
        }
        assert_no_secret(&texts, [GITHUB, SLACK, AWS, STRIPE]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = gitleaks(&bytes);
            let _ = trufflehog(&bytes);
        }

        #[test]
        fn never_panics_on_json_like_text(s in "[\\[\\]{}\":,a-z0-9 \n]{0,400}") {
            let _ = gitleaks(s.as_bytes());
            let _ = trufflehog(s.as_bytes());
            let _ = trufflehog(format!("{{{s}").as_bytes());
        }
    }
}
