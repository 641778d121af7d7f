//! Canary test: unique random markers used as secrets must never appear — raw, hex or base64 —
//! in any file the CLI writes (vault dir, its TMPDIR) or in any output except `reveal`'s.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../../../../tests/fake-providers/fake.rs"]
mod fake;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use common::{snapshot, Env, Run};
use rand::RngCore;

fn marker() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("canary{}", hex::encode(bytes))
}

/// The forms a leaked marker could take on disk or in output.
fn encodings(marker: &str) -> Vec<Vec<u8>> {
    let raw = marker.as_bytes();
    let mut forms = vec![raw.to_vec(), hex::encode(raw).into_bytes(), hex::encode_upper(raw).into_bytes()];
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        // Base64 of the marker at each of the three alignments it could sit at inside a larger blob.
        for pad in 0..3 {
            let mut shifted = vec![b'x'; pad];
            shifted.extend_from_slice(raw);
            let encoded = engine.encode(&shifted);
            let skip = (pad * 4).div_ceil(3) + 1;
            forms.push(encoded.as_bytes()[skip..encoded.len() - 4].to_vec());
        }
    }
    forms
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn assert_absent(markers: &[String], what: &str, bytes: &[u8]) {
    for marker in markers {
        for form in encodings(marker) {
            assert!(!contains(bytes, &form), "a secret leaked into {what} as {}", String::from_utf8_lossy(&form));
        }
    }
}

#[test]
fn secrets_never_reach_disk_or_output_in_the_clear() {
    let env = Env::init();
    let markers: Vec<String> = (0..4).map(|_| marker()).collect();
    let mut outputs: Vec<Run> = Vec::new();
    let mut ids = Vec::new();
    for (i, m) in markers.iter().take(3).enumerate() {
        let run = env
            .cli_stdin(
                &["--json", "add", "--name", &format!("canary {i}"), "--expires", "30d", "--secret-file", "-"],
                m,
            )
            .ok();
        ids.push(run.json()["id"].as_str().unwrap().to_owned());
        outputs.push(run);
    }
    // Replace a secret, archive one, purge one, change the password, and read everything back.
    outputs
        .push(env.cli_stdin(&["edit", &ids[0], "--secret-file", "-", "--name", "canary 0 renamed"], &markers[3]).ok());
    outputs.push(env.cli(&["rm", &ids[1]]).ok());
    outputs.push(env.cli(&["rm", &ids[2], "--purge", "--yes"]).ok());
    let new_password = env.tmp.path().join("new-password");
    std::fs::write(&new_password, "another password\n").unwrap();
    outputs.push(env.cli(&["passwd", "--new-password-file", new_password.to_str().unwrap()]).ok());
    std::fs::copy(&new_password, &env.password_file).unwrap();
    for args in [
        &["list", "--all"][..],
        &["list", "--all", "--json"],
        &["show", &ids[0]],
        &["show", &ids[0], "--json"],
        &["log"],
        &["log", "--json"],
        &["info", "--json"],
        &["check"],
        &["usage", "list", &ids[0]],
    ] {
        outputs.push(env.cli(args).ok());
    }
    // Failures must not echo secrets either.
    outputs.push(env.cli_stdin(&["add", "--name", "", "--secret-file", "-"], &markers[0]));

    for (i, run) in outputs.iter().enumerate() {
        assert_absent(&markers, &format!("stdout of command {i}"), run.stdout.as_bytes());
        assert_absent(&markers, &format!("stderr of command {i}"), run.stderr.as_bytes());
    }
    for (path, bytes) in snapshot(&env.vault).into_iter().chain(snapshot(&env.tmpdir)) {
        assert_absent(&markers, &path.display().to_string(), &bytes);
    }

    // The test can fail: reveal does print the live secret, and the check above would see it.
    let revealed = env.cli(&["reveal", &ids[0]]).ok();
    assert_eq!(revealed.stdout.trim(), markers[3]);
    assert!(encodings(&markers[3]).iter().any(|f| contains(revealed.stdout.as_bytes(), f)));
}

#[test]
fn exports_and_imports_keep_secrets_out_of_files_and_output() {
    let env = Env::init();
    let markers: Vec<String> = (0..3).map(|_| marker()).collect();
    for (i, m) in markers.iter().enumerate() {
        env.cli_stdin(&["add", "--name", &format!("canary {i}"), "--secret-file", "-"], m).ok();
    }
    let out = env.tmp.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    let passphrase = env.tmp.path().join("passphrase");
    std::fs::write(&passphrase, "a long enough backup passphrase\n").unwrap();
    let file = |name: &str| out.join(name).to_str().unwrap().to_owned();
    let pass = passphrase.to_str().unwrap();
    let mut outputs = vec![
        env.cli(&["export", &file("backup.age"), "--passphrase-file", pass]).ok(),
        env.cli(&["export", &file("backup.txt"), "--passphrase-file", pass, "--armor"]).ok(),
        env.cli(&["export", &file("meta.csv"), "--format", "csv"]).ok(),
        env.cli(&["--json", "export", &file("meta.json"), "--format", "json"]).ok(),
    ];
    // A CSV holding the secrets, imported into a second vault, and a broken one that must not echo them.
    let source = env.tmp.path().join("source.csv");
    let rows: Vec<String> = markers.iter().enumerate().map(|(i, m)| format!("again {i},{m}")).collect();
    std::fs::write(&source, format!("name,token\n{}\n", rows.join("\n"))).unwrap();
    let broken = env.tmp.path().join("broken.csv");
    std::fs::write(&broken, format!("name,token\n\"unterminated,{}\n", markers[0])).unwrap();
    let second = Env::init();
    outputs.push(second.cli(&["import", source.to_str().unwrap(), "--dry-run"]).ok());
    outputs.push(second.cli(&["--json", "import", source.to_str().unwrap()]).ok());
    outputs.push(second.cli(&["import", &file("backup.age"), "--passphrase-file", pass]).ok());
    let failed = second.cli(&["import", broken.to_str().unwrap()]);
    assert_eq!(failed.code, 5, "{}", failed.stderr);
    outputs.push(failed);

    for (i, run) in outputs.iter().enumerate() {
        assert_absent(&markers, &format!("stdout of command {i}"), run.stdout.as_bytes());
        assert_absent(&markers, &format!("stderr of command {i}"), run.stderr.as_bytes());
    }
    for dir in [&out, &env.vault, &env.tmpdir, &second.vault, &second.tmpdir] {
        for (path, bytes) in snapshot(dir) {
            assert_absent(&markers, &path.display().to_string(), &bytes);
        }
    }
    // The check can fail: a plain export with --include-secrets does hold them.
    env.cli(&["export", &file("plain.csv"), "--format", "csv", "--include-secrets"]).ok();
    let plain = std::fs::read(out.join("plain.csv")).unwrap();
    assert!(markers.iter().all(|m| contains(&plain, m.as_bytes())));
}

#[test]
fn checks_rotations_and_revocations_keep_secrets_out_of_files_and_output() {
    let fake = fake::FakeProviders::start();
    let env = Env::init();
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = env.command();
        for provider in ["gitlab", "github"] {
            cmd.env(format!("TOKENWARDEN_API_{}", provider.to_ascii_uppercase()), fake.url(provider));
        }
        env.cli_with(args, stdin, &mut cmd)
    };
    let gitlab = format!("glpat-{}", &marker()[..20]);
    let github_old = marker();
    let github_new = marker();
    fake.add_token(serde_json::json!({ "provider": "gitlab", "token": gitlab, "owner": "alice", "scopes": ["api"] }));
    fake.add_token(serde_json::json!({ "provider": "github", "token": github_old, "owner": "octo" }));
    fake.add_token(serde_json::json!({ "provider": "github", "token": github_new, "owner": "octo" }));
    env.cli_stdin(&["add", "--name", "gl", "--provider", "gitlab", "--secret-file", "-"], &gitlab).ok();
    env.cli_stdin(&["add", "--name", "gh", "--provider", "github", "--secret-file", "-"], &github_old).ok();
    let mut outputs = vec![
        run(&["verify", "--all"], None).ok(),
        run(&["--json", "verify", "gl"], None).ok(),
        // API rotation: ask GitLab, promote (GitLab already killed the old token).
        run(&["rotate", "gl", "--method", "api"], Some("y\ny\n")).ok(),
        // Guided rotation: paste the new GitHub token, promote, confirm the old one revoked.
        run(&["rotate", "gh"], Some(&format!("{github_new}\ny\nc\n"))).ok(),
        run(&["log", "--json"], None).ok(),
        run(&["--json", "list", "--all"], None).ok(),
    ];
    // A failing check must not echo the token either.
    fake.fail(serde_json::json!({ "provider": "github", "status": 500 }));
    outputs.push(run(&["verify", "gh"], None));
    let issued: Vec<String> = fake
        .tokens()
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["rotated_from"] == gitlab.as_str())
        .map(|t| t["token"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(issued.len(), 1, "GitLab issued the new token");
    let markers = vec![gitlab.clone(), github_old.clone(), github_new.clone(), issued[0].clone()];
    for (i, out) in outputs.iter().enumerate() {
        assert_absent(&markers, &format!("stdout of command {i}"), out.stdout.as_bytes());
        assert_absent(&markers, &format!("stderr of command {i}"), out.stderr.as_bytes());
    }
    for (path, bytes) in snapshot(&env.vault).into_iter().chain(snapshot(&env.tmpdir)) {
        assert_absent(&markers, &path.display().to_string(), &bytes);
    }
    // The check can fail: the vault does hold the issued token, as `reveal` shows.
    let list = run(&["--json", "list", "--status", "active"], None).ok().json();
    let revealed: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| run(&["reveal", t["id"].as_str().unwrap()], None).ok().stdout.trim().to_owned())
        .collect();
    assert!(revealed.contains(&issued[0]) && revealed.contains(&github_new), "{} active tokens", revealed.len());
}
