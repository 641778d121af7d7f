//! Detection against generated samples: every catalog pattern has a true positive (GitHub samples
//! carry a valid CRC-32), and near-misses (wrong length, alphabet or checksum; digests, UUIDs, prose)
//! do not match, or at most as a low-confidence catch-all of another kind.

use proptest::prelude::*;
use regex::Regex;
use tokenwarden_providers::{catalog, detect, detect_all, Confidence, Detection};

const DIGITS: &[u8] = b"0123456789";
const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE64URL: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";
const BASE64: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/";
const HEX: &[u8] = b"0123456789abcdef";
const MIXED_HEX: &[u8] = b"0123456789abcdefABCDEF";
const BASE32_UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE32_LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
const LOWER_ALNUM: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// The kinds whose only patterns are low-confidence catch-alls, which may claim random strings.
const CATCH_ALLS: &[(&str, &str)] = &[("cloudflare", "api-token"), ("vercel", "access-token"), ("azure-devops", "pat")];

/// splitmix64: deterministic samples without a `rand` dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char).collect()
    }
}

/// zlib's CRC-32, written independently of the crate's so a shared bug cannot hide.
fn crc32(bytes: &[u8]) -> u32 {
    let table: Vec<u32> =
        (0..256u32).map(|n| (0..8).fold(n, |c, _| if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 })).collect();
    !bytes.iter().fold(!0u32, |crc, &b| table[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8))
}

/// Base62 (0-9A-Za-z), most significant digit first, left-padded with '0' to 6 characters.
fn base62_6(mut n: u32) -> String {
    let mut digits = vec![b'0'; 6];
    for slot in digits.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    digits.into_iter().map(char::from).collect()
}

/// A GitHub token with a valid checksum: prefix, 30 random base62 characters, base62 CRC-32 of them.
fn github_token(prefix: &str, rng: &mut Rng) -> String {
    let body = rng.pick(BASE62, 30);
    format!("{prefix}{body}{}", base62_6(crc32(body.as_bytes())))
}

/// A string of `n` characters from `alphabet` that also contains each of `required`.
fn with_chars(rng: &mut Rng, alphabet: &[u8], n: usize, required: &str) -> String {
    let mut s = rng.pick(alphabet, n - required.len());
    let at = (rng.next() % (s.len() as u64 + 1)) as usize;
    s.insert_str(at, required);
    s
}

struct Sample {
    secret: String,
    provider: &'static str,
    kind: &'static str,
    confidence: Confidence,
    checksum: bool,
}

fn s(secret: String, provider: &'static str, kind: &'static str, confidence: Confidence) -> Sample {
    Sample { secret, provider, kind, confidence, checksum: false }
}

fn samples() -> Vec<Sample> {
    use Confidence::{High, Low, Medium};
    let r = &mut Rng(0x746F_6B65_6E77_6172);
    let mut out = vec![];
    for (prefix, kind) in [
        ("ghp_", "classic-pat"),
        ("gho_", "oauth-token"),
        ("ghu_", "user-to-server-token"),
        ("ghs_", "server-to-server-token"),
        ("ghr_", "refresh-token"),
    ] {
        out.push(Sample { checksum: true, ..s(github_token(prefix, r), "github", kind, High) });
    }
    let service_account = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo-{}\",\n  \"private_key_id\": \"{}\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\\n\",\n  \"client_email\": \"ci@demo.iam.gserviceaccount.com\"\n}}\n",
        r.pick(LOWER_ALNUM, 6),
        r.pick(HEX, 40),
        r.pick(BASE64, 64)
    );
    out.extend([
        s(format!("github_pat_11{}_{}", r.pick(BASE62, 20), r.pick(BASE62, 59)), "github", "fine-grained-pat", High),
        // GitLab
        s(format!("glpat-{}", r.pick(BASE64URL, 20)), "gitlab", "pat", High),
        s(format!("glpat-{}.01{}", r.pick(BASE64URL, 45), r.pick(LOWER_ALNUM, 7)), "gitlab", "pat", High),
        // The versioned routable form: `.01.`, the payload length in 2 base36, a 7-base36 CRC-32.
        s(format!("glpat-{}.01.19{}", r.pick(BASE64URL, 45), r.pick(LOWER_ALNUM, 7)), "gitlab", "pat", High),
        s(format!("gldt-{}", r.pick(BASE64URL, 20)), "gitlab", "deploy-token", High),
        s(format!("glrt-{}", r.pick(BASE64URL, 20)), "gitlab", "runner-token", High),
        s(format!("glrt-t1_{}.01{}", r.pick(BASE64URL, 30), r.pick(LOWER_ALNUM, 7)), "gitlab", "runner-token", High),
        s(format!("glptt-{}", r.pick(HEX, 40)), "gitlab", "pipeline-trigger-token", High),
        s(format!("gloas-{}", r.pick(BASE64URL, 64)), "gitlab", "oauth-application-secret", High),
        // Slack
        s(
            format!("xoxb-{}-{}-{}", r.pick(DIGITS, 12), r.pick(DIGITS, 13), r.pick(BASE62, 24)),
            "slack",
            "bot-token",
            High,
        ),
        s(format!("xoxb-{}-{}", r.pick(DIGITS, 10), r.pick(BASE62, 30)), "slack", "bot-token", Medium),
        s(
            format!("xoxp-{}-{}-{}-{}", r.pick(DIGITS, 12), r.pick(DIGITS, 12), r.pick(DIGITS, 13), r.pick(HEX, 32)),
            "slack",
            "user-token",
            High,
        ),
        s(format!("xoxp-{}-{}", r.pick(DIGITS, 10), r.pick(BASE62, 40)), "slack", "user-token", Medium),
        s(
            format!("xapp-1-A{}-{}-{}", r.pick(UPPER_DIGITS, 10), r.pick(DIGITS, 13), r.pick(HEX, 64)),
            "slack",
            "app-token",
            High,
        ),
        s(format!("xapp-1-{}", r.pick(BASE62, 30)), "slack", "app-token", Medium),
        s(
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                r.pick(UPPER_DIGITS, 10),
                r.pick(UPPER_DIGITS, 10),
                r.pick(BASE62, 24)
            ),
            "slack",
            "webhook-url",
            High,
        ),
        // Stripe
        s(format!("sk_live_{}", r.pick(BASE62, 99)), "stripe", "secret-key-live", High),
        s(format!("sk_test_{}", r.pick(BASE62, 24)), "stripe", "secret-key-test", High),
        s(format!("rk_live_{}", r.pick(BASE62, 99)), "stripe", "restricted-key-live", High),
        s(format!("rk_test_{}", r.pick(BASE62, 24)), "stripe", "restricted-key-test", High),
        s(format!("whsec_{}", r.pick(BASE64, 32)), "stripe", "webhook-signing-secret", High),
        // OpenAI
        s(format!("sk-proj-{}T3BlbkFJ{}", r.pick(BASE64URL, 74), r.pick(BASE64URL, 74)), "openai", "project-key", High),
        s(format!("sk-proj-{}", r.pick(BASE64URL, 48)), "openai", "project-key", Medium),
        s(
            format!("sk-svcacct-{}T3BlbkFJ{}", r.pick(BASE64URL, 58), r.pick(BASE64URL, 58)),
            "openai",
            "service-account-key",
            High,
        ),
        s(format!("sk-svcacct-{}", r.pick(BASE64URL, 64)), "openai", "service-account-key", Medium),
        s(format!("sk-admin-{}T3BlbkFJ{}", r.pick(BASE64URL, 74), r.pick(BASE64URL, 74)), "openai", "admin-key", High),
        s(format!("sk-admin-{}", r.pick(BASE64URL, 64)), "openai", "admin-key", Medium),
        s(format!("sk-{}T3BlbkFJ{}", r.pick(BASE62, 20), r.pick(BASE62, 20)), "openai", "legacy-user-key", High),
        // Anthropic
        s(format!("sk-ant-api03-{}AA", r.pick(BASE64URL, 93)), "anthropic", "api-key", High),
        s(format!("sk-ant-api03-{}", r.pick(BASE64URL, 100)), "anthropic", "api-key", Medium),
        s(format!("sk-ant-admin01-{}AA", r.pick(BASE64URL, 93)), "anthropic", "admin-key", High),
        s(format!("sk-ant-admin01-{}", r.pick(BASE64URL, 100)), "anthropic", "admin-key", Medium),
        // AWS
        s(format!("AKIA{}", r.pick(BASE32_UPPER, 16)), "aws", "access-key-id", High),
        s(format!("AKIA{}", with_chars(r, UPPER_DIGITS, 16, "0")), "aws", "access-key-id", Medium),
        s(format!("ASIA{}", r.pick(BASE32_UPPER, 16)), "aws", "temporary-access-key-id", High),
        s(format!("ASIA{}", with_chars(r, UPPER_DIGITS, 16, "9")), "aws", "temporary-access-key-id", Medium),
        s(format!("AKIA{}:{}", r.pick(BASE32_UPPER, 16), r.pick(BASE64, 40)), "aws", "access-key-pair", High),
        s(format!("AKIA{} {}", r.pick(BASE32_UPPER, 16), r.pick(BASE64, 40)), "aws", "access-key-pair", High),
        s(format!("AKIA{},{}", r.pick(BASE32_UPPER, 16), r.pick(BASE64, 40)), "aws", "access-key-pair", High),
        s(format!("ASIA{}\t{}", r.pick(BASE32_UPPER, 16), r.pick(BASE64, 40)), "aws", "access-key-pair", High),
        // Cloudflare
        s(format!("cfut_{}", r.pick(BASE62, 48)), "cloudflare", "api-token", High),
        s(with_chars(r, BASE64URL, 40, "aB3"), "cloudflare", "api-token", Low),
        s(format!("cfat_{}", r.pick(BASE62, 45)), "cloudflare", "account-api-token", High),
        s(format!("cfk_{}", r.pick(BASE62, 50)), "cloudflare", "global-api-key", High),
        // DigitalOcean
        s(format!("dop_v1_{}", r.pick(HEX, 64)), "digitalocean", "pat", High),
        s(format!("doo_v1_{}", r.pick(HEX, 64)), "digitalocean", "oauth-token", High),
        s(format!("dor_v1_{}", r.pick(HEX, 64)), "digitalocean", "oauth-refresh-token", High),
        // Atlassian
        s(format!("ATATT3{}={}", r.pick(BASE64URL, 177), r.pick(MIXED_HEX, 8)), "atlassian", "api-token", High),
        // Hugging Face
        s(format!("hf_{}", r.pick(LETTERS, 34)), "hugging-face", "access-token", High),
        s(format!("hf_{}", with_chars(r, BASE62, 34, "7")), "hugging-face", "access-token", Medium),
        s(format!("api_org_{}", r.pick(LETTERS, 34)), "hugging-face", "org-api-token", High),
        // Twilio
        s(format!("SK{}", r.pick(HEX, 32)), "twilio", "api-key-sid", Medium),
        s(format!("AC{}", r.pick(HEX, 32)), "twilio", "account-sid", Medium),
        // SendGrid
        s(format!("SG.{}.{}", r.pick(BASE64URL, 22), r.pick(BASE64URL, 43)), "sendgrid", "api-key", High),
        // Vercel
        s(format!("vcp_{}", r.pick(BASE62, 60)), "vercel", "access-token", High),
        s(with_chars(r, BASE62, 24, "xY9"), "vercel", "access-token", Low),
        s(format!("vci_{}", r.pick(BASE62, 60)), "vercel", "integration-token", High),
        s(format!("vca_{}", r.pick(BASE62, 60)), "vercel", "app-access-token", High),
        s(format!("vcr_{}", r.pick(BASE62, 60)), "vercel", "app-refresh-token", High),
        s(format!("vck_{}", r.pick(BASE62, 60)), "vercel", "api-key", High),
        // Docker Hub
        s(format!("dckr_pat_{}", r.pick(BASE64URL, 27)), "docker-hub", "pat", High),
        s(format!("dckr_oat_{}", r.pick(BASE64URL, 32)), "docker-hub", "organization-access-token", Medium),
        // Google Cloud
        s(format!("AIzaSy{}", r.pick(BASE64URL, 33)), "google-cloud", "api-key", High),
        s(service_account, "google-cloud", "service-account-key", High),
        // Azure DevOps
        s(
            format!("{}JQQJ99BA{}AZDO{}", r.pick(BASE62, 52), r.pick(BASE62, 16), r.pick(BASE62, 4)),
            "azure-devops",
            "pat",
            High,
        ),
        s(with_chars(r, BASE32_LOWER, 52, "z2"), "azure-devops", "pat", Low),
        // Sentry
        s(format!("sntryu_{}", r.pick(HEX, 64)), "sentry", "user-auth-token", High),
        s(
            format!("sntrys_eyJpYXQiOjE3{}==_{}", r.pick(BASE64, 120), r.pick(BASE64, 43)),
            "sentry",
            "org-auth-token",
            High,
        ),
        // Grafana
        s(format!("glsa_{}_{}", r.pick(BASE62, 32), r.pick(HEX, 8)), "grafana", "service-account-token", High),
        s(format!("glc_{}=", r.pick(BASE64, 119)), "grafana", "cloud-access-policy-token", High),
        s(format!("eyJrIjoi{}", r.pick(BASE62, 100)), "grafana", "legacy-api-key", Medium),
        // Linear
        s(format!("lin_api_{}", r.pick(BASE62, 40)), "linear", "api-key", High),
        // Shopify
        s(format!("shpat_{}", r.pick(MIXED_HEX, 32)), "shopify", "admin-api-access-token", High),
        s(format!("shpca_{}", r.pick(HEX, 32)), "shopify", "custom-app-access-token", High),
        s(format!("shppa_{}", r.pick(HEX, 32)), "shopify", "private-app-password", High),
        s(format!("shpss_{}", r.pick(HEX, 32)), "shopify", "shared-secret", High),
    ]);
    out
}

fn describe(d: &Option<Detection>) -> String {
    match d {
        Some(d) => format!("{}/{} ({:?})", d.provider, d.kind, d.confidence),
        None => "nothing".to_owned(),
    }
}

#[test]
fn every_catalog_pattern_has_a_true_positive_sample() {
    let samples = samples();
    for provider in catalog() {
        for kind in &provider.kinds {
            for pattern in kind.patterns() {
                let re = Regex::new(pattern.regex()).unwrap();
                let covered = samples.iter().any(|s| {
                    s.provider == provider.id
                        && s.kind == kind.id
                        && s.confidence == pattern.confidence()
                        && re.is_match(s.secret.trim())
                });
                assert!(covered, "no sample for {}/{} pattern {}", provider.id, kind.id, pattern.regex());
            }
        }
    }
}

#[test]
fn true_positives_are_detected_with_provider_kind_and_confidence() {
    for sample in samples() {
        let label = format!("{}/{}", sample.provider, sample.kind);
        let found = detect(&sample.secret);
        let d = found.as_ref().unwrap_or_else(|| panic!("{label}: not detected"));
        assert_eq!(
            (d.provider.as_str(), d.kind.as_str()),
            (sample.provider, sample.kind),
            "{label}: got {}",
            describe(&found)
        );
        assert_eq!(d.confidence, sample.confidence, "{label}");
        assert_eq!(d.checksum_verified, sample.checksum, "{label}");
        let provider = tokenwarden_providers::provider(sample.provider).unwrap();
        let kind = provider.kind(sample.kind).unwrap();
        assert_eq!(d.provider_name, provider.name);
        assert_eq!(d.kind_label, kind.label);
        assert_eq!(d.token_kind, kind.token_kind);
        assert_eq!(d.default_lifetime_days, kind.default_lifetime_days);
        assert_eq!(d.manage_url, provider.urls.manage);
        // Pasted values often carry a newline or spaces.
        assert_eq!(detect(&format!("  {}\r\n", sample.secret)).as_ref(), Some(d), "{label}: surrounding whitespace");
    }
}

#[test]
fn github_samples_carry_a_valid_checksum_by_construction() {
    // The generator itself, checked against a hand-computed value: crc32("123456789") = 0xCBF43926.
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(base62_6(0xCBF4_3926), "3jZRME");
    assert_eq!(base62_6(0), "000000");
    assert_eq!(base62_6(u32::MAX), "4gfFC3");
}

#[test]
fn detections_are_ordered_best_first_with_each_kind_once() {
    for sample in samples() {
        let all = detect_all(&sample.secret);
        assert!(!all.is_empty());
        assert_eq!(Some(&all[0]), detect(&sample.secret).as_ref());
        assert!(all.windows(2).all(|w| w[0].confidence >= w[1].confidence), "{}", sample.kind);
        let mut kinds: Vec<(&str, &str)> = all.iter().map(|d| (d.provider.as_str(), d.kind.as_str())).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), all.len(), "{}/{}: a kind twice", sample.provider, sample.kind);
    }
}

#[test]
fn specific_formats_are_never_shadowed_by_catch_alls() {
    let r = &mut Rng(7);
    // 40 characters of Cloudflare's legacy alphabet, 24 of Vercel's: the prefix decides.
    for secret in [
        format!("sk_test_{}", with_chars(r, BASE62, 32, "aZ1")),
        format!("rk_live_{}", with_chars(r, BASE62, 32, "aZ1")),
        github_token("ghp_", r),
    ] {
        let all = detect_all(&secret);
        assert_eq!(all.len(), 1, "{:?}", all.iter().map(|d| &d.kind).collect::<Vec<_>>());
        assert_eq!(all[0].confidence, Confidence::High);
    }
}

#[test]
fn off_by_one_lengths_do_not_match() {
    let r = &mut Rng(11);
    // (prefix, alphabet, length of the varied part, suffix)
    let fine_grained = format!("github_pat_11{}_", r.pick(BASE62, 20));
    let sendgrid_tail = format!(".{}", r.pick(BASE64URL, 43));
    let formats: Vec<(&str, &[u8], usize, &str)> = vec![
        (fine_grained.as_str(), BASE62, 59, ""),
        ("github_pat_11", BASE62, 20, "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"),
        ("glpat-", BASE64URL, 20, ""),
        ("gldt-", BASE64URL, 20, ""),
        ("glptt-", HEX, 40, ""),
        ("AKIA", BASE32_UPPER, 16, ""),
        ("ASIA", BASE32_UPPER, 16, ""),
        ("hf_", LETTERS, 34, ""),
        ("api_org_", LETTERS, 34, ""),
        ("SK", HEX, 32, ""),
        ("AC", HEX, 32, ""),
        ("lin_api_", BASE62, 40, ""),
        ("shpat_", HEX, 32, ""),
        ("shpss_", HEX, 32, ""),
        ("sntryu_", HEX, 64, ""),
        ("dop_v1_", HEX, 64, ""),
        ("doo_v1_", HEX, 64, ""),
        ("dckr_pat_", BASE64URL, 27, ""),
        ("AIza", BASE64URL, 35, ""),
        ("ATATT3", BASE64URL, 186, ""),
        ("SG.", BASE64URL, 22, sendgrid_tail.as_str()),
        ("glsa_", BASE62, 32, "_0a1b2c3d"),
    ];
    for (prefix, alphabet, n, suffix) in &formats {
        let exact = format!("{prefix}{}{suffix}", r.pick(alphabet, *n));
        assert!(detect(&exact).is_some(), "{prefix}: the exact length must match");
        for len in [n - 1, n + 1] {
            let secret = format!("{prefix}{}{suffix}", r.pick(alphabet, len));
            assert_eq!(detect(&secret), None, "{prefix} with {len} characters: got {}", describe(&detect(&secret)));
        }
    }
    // GitHub classic/OAuth formats: one character short or long.
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
        let token = github_token(prefix, r);
        assert_eq!(detect(&token[..token.len() - 1]), None, "{prefix} short");
        assert_eq!(detect(&format!("{token}A")), None, "{prefix} long");
    }
    // Azure DevOps: 83 or 85 characters around the signature.
    let azure =
        |a: usize, r: &mut Rng| format!("{}JQQJ99BA{}AZDO{}", r.pick(BASE62, a), r.pick(BASE62, 16), r.pick(BASE62, 4));
    assert_eq!(detect(&azure(51, r)), None);
    assert_eq!(detect(&azure(53, r)), None);
}

#[test]
fn off_by_one_lengths_of_formats_with_a_loose_fallback_drop_to_medium() {
    // Anthropic, OpenAI and Slack keep a medium pattern for the prefix with a looser length, so a
    // length change is still that provider, never high.
    let r = &mut Rng(13);
    let cases = [
        (format!("sk-ant-api03-{}AA", r.pick(BASE64URL, 92)), "anthropic", "api-key"),
        (format!("sk-ant-admin01-{}AA", r.pick(BASE64URL, 94)), "anthropic", "admin-key"),
        (format!("sk-proj-{}T3BlbkFJ{}", r.pick(BASE64URL, 75), r.pick(BASE64URL, 74)), "openai", "project-key"),
        (format!("xoxb-{}-{}-{}", r.pick(DIGITS, 12), r.pick(DIGITS, 13), r.pick(BASE62, 23)), "slack", "bot-token"),
        (format!("hf_{}", r.pick(LETTERS, 33)), "hugging-face", "none"),
    ];
    for (secret, provider, kind) in cases {
        let found = detect(&secret);
        if kind == "none" {
            assert_eq!(found, None, "{provider}");
            continue;
        }
        let d = found.unwrap_or_else(|| panic!("{provider}/{kind}"));
        assert_eq!((d.provider.as_str(), d.kind.as_str(), d.confidence), (provider, kind, Confidence::Medium));
    }
}

#[test]
fn wrong_alphabets_do_not_match() {
    let r = &mut Rng(17);
    for secret in [
        format!("dop_v1_{}", r.pick(b"0123456789ABCDEF", 64)),
        format!("sntryu_{}g", r.pick(HEX, 63)),
        format!("ghp_{}-{}", r.pick(BASE62, 20), r.pick(BASE62, 15)),
        format!("shpat_{}g", r.pick(HEX, 31)),
        format!("hf_{}-", r.pick(LETTERS, 33)),
        format!("akia{}", r.pick(BASE32_UPPER, 16)),
        format!("AKIA{}", r.pick(b"abcdefghijklmnop", 16)),
        format!("glptt-{}z", r.pick(HEX, 39)),
        format!("lin_api_{}_", r.pick(BASE62, 39)),
        format!("SG.{}.{}+", r.pick(BASE64URL, 22), r.pick(BASE64URL, 42)),
        format!("SK{}g", r.pick(HEX, 31)),
        format!("{}JQQJ99BA{}AZDO{}-", r.pick(BASE62, 52), r.pick(BASE62, 16), r.pick(BASE62, 3)),
    ] {
        assert_eq!(detect(&secret), None, "got {}", describe(&detect(&secret)));
    }
}

#[test]
fn a_bad_github_checksum_is_not_a_github_token() {
    let r = &mut Rng(19);
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
        let token = github_token(prefix, r);
        assert!(detect(&token).is_some_and(|d| d.checksum_verified));
        // Flip one character of the checksum (the last 6), then one of the random body.
        for at in [token.len() - 1, token.len() - 6, 4, 20, 33] {
            let mut bytes = token.clone().into_bytes();
            bytes[at] = if bytes[at] == b'a' { b'b' } else { b'a' };
            let flipped = String::from_utf8(bytes).unwrap();
            assert_eq!(detect(&flipped), None, "{prefix} flipped at {at}: got {}", describe(&detect(&flipped)));
        }
    }
}

#[test]
fn random_base64_strings_are_at_most_a_low_confidence_catch_all() {
    let r = &mut Rng(23);
    let mut catch_all_hits = 0;
    for len in 20..=64 {
        for alphabet in [BASE64, BASE64URL] {
            for _ in 0..40 {
                let secret = r.pick(alphabet, len);
                for d in detect_all(&secret) {
                    assert_eq!(d.confidence, Confidence::Low, "{len}: {}/{}", d.provider, d.kind);
                    assert!(CATCH_ALLS.contains(&(d.provider.as_str(), d.kind.as_str())), "{}/{}", d.provider, d.kind);
                    catch_all_hits += 1;
                }
            }
        }
    }
    // Only 24 characters (Vercel's legacy shape) and 40 (Cloudflare's) can hit, and only strings that
    // mix upper case, lower case and digits and avoid the characters those shapes exclude.
    assert!(catch_all_hits < 200, "{catch_all_hits}");
}

#[test]
fn digests_uuids_prose_and_addresses_do_not_match() {
    let r = &mut Rng(29);
    let mut inputs = vec![
        String::new(),
        "   ".to_owned(),
        "\n\t".to_owned(),
        "hello".to_owned(),
        "The quick brown fox jumps over the lazy dog".to_owned(),
        "Please rotate the token before Friday, thanks!".to_owned(),
        "thequickbrownfoxjumpsoverthelazydogthequickbrownfoxj".to_owned(),
        "alice@example.com".to_owned(),
        "first.last+tokens@sub.example.co.uk".to_owned(),
        "https://github.com/settings/tokens".to_owned(),
        "https://hooks.example.com/services/T000/B000/xxx".to_owned(),
        "0123456789".to_owned(),
        r#"{"type": "authorized_user", "client_id": "x", "refresh_token": "y"}"#.to_owned(),
        r#"{"type": "service_account"}"#.to_owned(),
        "{not json at all}".to_owned(),
    ];
    for _ in 0..50 {
        let uuid = format!(
            "{}-{}-4{}-a{}-{}",
            r.pick(HEX, 8),
            r.pick(HEX, 4),
            r.pick(HEX, 3),
            r.pick(HEX, 3),
            r.pick(HEX, 12)
        );
        inputs.push(uuid.to_uppercase());
        inputs.push(uuid.replace('-', ""));
        inputs.push(uuid);
        inputs.push(r.pick(HEX, 40)); // git SHA-1
        inputs.push(r.pick(HEX, 40).to_uppercase());
        inputs.push(r.pick(HEX, 64)); // SHA-256
        inputs.push(r.pick(HEX, 32)); // MD5
        inputs.push(r.pick(HEX, 52));
        inputs.push(r.pick(DIGITS, 24));
        inputs.push(r.pick(DIGITS, 40));
    }
    for input in &inputs {
        assert!(detect_all(input).is_empty(), "{input:?} detected as {}", describe(&detect(input)));
    }
}

#[test]
fn detections_serialize_without_the_secret() {
    for sample in samples() {
        let d = detect(&sample.secret).unwrap();
        let json = serde_json::to_string(&d).unwrap();
        let debug = format!("{d:?}");
        // Every sample's random part is at least 16 characters; no field may hold any of it.
        let tail = &sample.secret[sample.secret.len() - 16..];
        assert!(!json.contains(tail) && !debug.contains(tail), "{}/{} leaks", sample.provider, sample.kind);
        assert!(json.contains(&format!("\"confidence\":\"{}\"", format!("{:?}", d.confidence).to_lowercase())));
    }
}

#[test]
#[ignore = "timing report, run with --ignored --nocapture"]
fn report_time_per_detect_call() {
    let samples = samples();
    let mut negatives: Vec<String> = (0..samples.len()).map(|i| Rng(i as u64).pick(BASE64, 20 + i % 45)).collect();
    negatives.push("The quick brown fox jumps over the lazy dog".to_owned());
    let init = std::time::Instant::now();
    let _ = detect("warm-up");
    println!("first call (parses the catalog, compiles the patterns): {:?}", init.elapsed());
    let rounds = 200;
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        for s in &samples {
            std::hint::black_box(detect(std::hint::black_box(&s.secret)));
        }
        for n in &negatives {
            std::hint::black_box(detect(std::hint::black_box(n)));
        }
    }
    let calls = rounds * (samples.len() + negatives.len());
    let per_call = start.elapsed().as_secs_f64() * 1e6 / calls as f64;
    println!("detect: {per_call:.2} µs per call over {calls} calls");
}

proptest! {
    #[test]
    fn detect_never_panics_and_never_echoes_its_input(input in any::<String>()) {
        let all = detect_all(&input);
        let trimmed = input.trim();
        if trimmed.len() >= 12 {
            for d in &all {
                let json = serde_json::to_string(d).unwrap();
                prop_assert!(!json.contains(trimmed));
            }
        }
    }

    #[test]
    fn detect_never_panics_on_prefixed_garbage(
        prefix in prop::sample::select(vec!["ghp_", "github_pat_", "glpat-", "xoxb-", "sk-proj-", "sk-ant-api03-", "AKIA", "cfut_", "{", "SG.", "https://hooks.slack.com/services/T", "sntrys_eyJ"]),
        rest in "\\PC{0,300}",
    ) {
        let _ = detect_all(&format!("{prefix}{rest}"));
    }

    #[test]
    fn detected_tokens_never_appear_in_the_detection(
        body in "[0-9a-f]{64}",
        letters in "[A-Za-z]{34}",
        base62 in "[0-9A-Za-z]{40}",
        choice in 0usize..4,
    ) {
        let secret = match choice {
            0 => format!("dop_v1_{body}"),
            1 => format!("hf_{letters}"),
            2 => format!("lin_api_{base62}"),
            _ => format!("sntryu_{body}"),
        };
        let d = detect(&secret);
        prop_assert!(d.is_some());
        let d = d.unwrap();
        let rendered = format!("{} {d:?}", serde_json::to_string(&d).unwrap());
        prop_assert!(!rendered.contains(&secret));
        prop_assert!(!rendered.contains(&body[..16]) && !rendered.contains(&letters[..16]) && !rendered.contains(&base62[..16]));
    }
}
