#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Precision of the scan on real files: every catalog format at its exact length is named with its
//! provider and kind, whole; look-alikes (placeholders, documented examples, wrong lengths, foreign
//! prefixes, digests, UUIDs, base64) are named with no provider at all.

mod samples;

use secrecy::ExposeSecret;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use tokenwarden_scan::{scan, Certainty, ScanOptions};

use samples::{Rng, FORMATS};

/// One candidate as `(line, provider or "-", kind or "-", certainty, secret)`.
type Row = (usize, String, String, Certainty, String);

fn scan_file(path: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    scan(&[path.to_owned()], &ScanOptions::default(), &AtomicBool::new(false), |c| {
        let (provider, kind) =
            c.detection.as_ref().map_or(("-".into(), "-".into()), |d| (d.provider.clone(), d.kind.clone()));
        rows.push((c.line, provider, kind, c.certainty, c.secret.expose_secret().to_owned()));
    })
    .unwrap();
    rows.sort_by_key(|r| r.0);
    rows
}

/// Where people put tokens in text, each wrapping the value differently.
fn in_context(i: usize, value: &str) -> String {
    match i % 6 {
        0 => format!("export SERVICE_TOKEN={value}"),
        1 => format!("    \"credential\": \"{value}\","),
        2 => format!("curl -H 'Authorization: Bearer {value}' https://api.example.test"),
        3 => format!("client = Client(key='{value}')"),
        4 => format!("token: {value}"),
        _ => format!("Rotated {value}. Done."),
    }
}

#[test]
fn every_catalog_format_at_its_exact_length_is_named_with_its_provider_and_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(14);
    let mut expected = Vec::new();
    let mut text = String::new();
    for (i, format) in FORMATS.iter().enumerate() {
        // Several samples each: lengths and alphabets vary within a format.
        for j in 0..5 {
            let value = samples::sample(format, &mut rng);
            text.push_str(&in_context(i + j, &value));
            text.push('\n');
            expected.push((expected.len() + 1, format.provider, format.kind, value));
        }
    }
    let path = dir.path().join("everything.txt");
    std::fs::write(&path, &text).unwrap();
    let rows = scan_file(&path);
    for (line, provider, kind, value) in &expected {
        let row = rows.iter().find(|r| r.0 == *line);
        let got = row.map(|r| (r.1.as_str(), r.2.as_str(), r.3, r.4.as_str()));
        assert_eq!(
            got,
            Some((*provider, *kind, Certainty::Likely, value.as_str())),
            "line {line}: {}",
            text.lines().nth(line - 1).unwrap()
        );
    }
    assert_eq!(rows.len(), expected.len(), "one candidate per line");
}

#[test]
fn a_token_ending_in_a_dash_is_found_whole_and_a_sentence_dot_is_not_part_of_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.md");
    let text = "curl -H \"Authorization: Bearer glpat-Ab3dEf5hIj7lMn9pQr1-\" https://gitlab.example/api/v4/user\n\
                The token is glpat-Zb3dEf5hIj7lMn9pQr1t.\n";
    std::fs::write(&path, text).unwrap();
    let rows = scan_file(&path);
    let values: Vec<(&str, Certainty, &str)> = rows.iter().map(|r| (r.1.as_str(), r.3, r.4.as_str())).collect();
    assert_eq!(
        values,
        vec![
            ("gitlab", Certainty::Likely, "glpat-Ab3dEf5hIj7lMn9pQr1-"),
            ("gitlab", Certainty::Likely, "glpat-Zb3dEf5hIj7lMn9pQr1t")
        ]
    );
}

#[test]
fn gitlab_routable_tokens_with_the_versioned_segment_are_gitlab_pats() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ci.env");
    // The shape GitLab.com issues: payload, `.01.`, payload length and CRC-32 in base36.
    let token = "glpat-kQ3rT9vW2xY5zA8bC1dE4fG7hJ0kL3mN6pQ9.01.171x3k8pw";
    std::fs::write(&path, format!("GITLAB_TOKEN={token}\n")).unwrap();
    let rows = scan_file(&path);
    let got: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r.1.as_str(), r.2.as_str(), r.4.as_str())).collect();
    assert_eq!(got, vec![("gitlab", "pat", token)]);
}

#[test]
fn catch_all_shapes_are_only_possible() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.env");
    // Vercel's and Cloudflare's legacy tokens have no prefix: a shape many strings share.
    std::fs::write(&path, "V=q8Zr2Lm5Vt9Kw3Nx7Bc1Hd4F\nC=Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3Wx4Yz5A\n").unwrap();
    let rows = scan_file(&path);
    let got: Vec<(&str, Certainty)> = rows.iter().map(|r| (r.1.as_str(), r.3)).collect();
    assert_eq!(got, vec![("vercel", Certainty::Possible), ("cloudflare", Certainty::Possible)]);
}

#[test]
fn near_misses_are_named_with_no_provider_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(41);
    let near = samples::near_misses(&mut rng);
    let text: String = near.iter().enumerate().map(|(i, (_, value))| in_context(i, value) + "\n").collect();
    let path = dir.path().join("README.md");
    std::fs::write(&path, &text).unwrap();
    let rows = scan_file(&path);
    let named: Vec<String> = rows
        .iter()
        .filter(|r| r.1 != "-")
        .map(|r| format!("{} ({}) named {} {:?}", near[r.0 - 1].1, near[r.0 - 1].0, r.1, r.3))
        .collect();
    assert!(named.is_empty(), "{named:#?}");
    // Those under a secret name may be shown as `possible` (no provider); nothing is `likely`.
    assert!(rows.iter().all(|r| r.3 == Certainty::Possible), "{rows:?}");
}

#[test]
fn foreign_prefix_shapes_never_fall_through_to_a_catch_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.txt");
    // 40 characters each: the length of Cloudflare's legacy catch-all, but shaped like a prefix.
    let values = [
        "xxx_Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3Wx4",
        "XXX_Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3Wx4",
        "GHP_Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3Wx4",
        "SK_LIVE_b3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3",
        "npm_Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3Wx4",
    ];
    std::fs::write(&path, values.map(|v| format!("value {v} here\n")).concat()).unwrap();
    for v in values {
        assert_eq!(v.len(), 40, "{v}");
    }
    let rows = scan_file(&path);
    assert!(rows.is_empty(), "{rows:?}");
}
