//! tokenwarden-cli end to end: the real binary against real SQLCipher vaults in temp dirs.
//! These pin the behaviour scripts depend on: JSON shapes, exit codes, one-line errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{snapshot, Env};

#[test]
fn init_add_list_show_reveal_round_trip() {
    let env = Env::init();
    let soon = env.add(
        "deploy bot",
        "ghp_0123456789abcdefghijklmnopqrstuvwxAB12",
        &["--expires", "6d", "--tag", "ci", "--scopes", "repo,read:org", "--account", "octo", "--env", "prod"],
    );
    let later = env.add("gitlab runner", "glpat-abcdefghijklmnopqrstu", &["--expires", "90d"]);
    let never =
        env.add("webhook", "whsec_0123456789abcdefghijklmnop", &["--kind", "webhook-secret", "--provider", "Stripe"]);

    let list = env.cli(&["list", "--json"]).ok().json();
    let items = list.as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [soon.as_str(), later.as_str(), never.as_str()], "sorted by time left, no expiry last");
    let first = &items[0];
    assert_eq!(first["name"], "deploy bot");
    assert_eq!(first["provider"], "github", "guessed from the ghp_ prefix");
    assert_eq!(first["hint"], "ghp_…AB12");
    assert_eq!(first["scopes"], serde_json::json!(["repo", "read:org"]));
    assert_eq!(first["tags"], serde_json::json!(["ci"]));
    assert_eq!(first["account"], "octo");
    assert_eq!(first["environment"], "prod");
    assert_eq!(first["days_left"], 5, "whole days, rounded down");
    assert_eq!(first["countdown"], "in 6 days");
    assert_eq!(first["status"], "active");
    assert!(first["expires_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(items[1]["provider"], "gitlab");
    assert_eq!(items[2]["provider"], "stripe");
    assert_eq!(items[2]["kind"], "webhook_secret");
    assert!(items[2]["expires_at"].is_null());
    assert!(items[2]["days_left"].is_null());

    let table = env.cli(&["list"]).ok().stdout;
    assert!(table.lines().next().unwrap().starts_with("NAME"), "{table}");
    assert!(table.contains("in 6 days"), "{table}");

    let shown = env.cli(&["show", "gitlab runner", "--json"]).ok().json();
    assert_eq!(shown["token"]["id"], later.as_str());
    assert_eq!(shown["history"][0]["kind"], "created");

    let revealed = env.cli(&["reveal", &soon[..13]]).ok();
    assert_eq!(revealed.stdout, "ghp_0123456789abcdefghijklmnopqrstuvwxAB12\n");
    assert!(revealed.stderr.is_empty(), "{}", revealed.stderr);
    let log = env.cli(&["log", "--json", "--token", &soon]).ok().json();
    assert_eq!(log[0]["kind"], "revealed");
    env.cli(&["log", "--verify"]).ok();
}

#[test]
fn filters_narrow_the_list() {
    let env = Env::init();
    env.add("soon", "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0001", &["--expires", "3d", "--tag", "infra"]);
    env.add("later", "ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb0002", &["--expires", "60d", "--env", "staging"]);
    env.add("gone", "ghp_cccccccccccccccccccccccccccccccccccc0003", &["--expires", "2020-01-01"]);
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--json"];
        all.extend_from_slice(args);
        env.cli(&all).ok().json().as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names(&["--expiring-within", "7d"]), ["gone", "soon"]);
    assert_eq!(names(&["--search", "LAT"]), ["later"]);
    assert_eq!(names(&["--tag", "infra"]), ["soon"]);
    assert_eq!(names(&["--env", "staging"]), ["later"]);
    assert_eq!(names(&["--status", "expired"]), ["gone"]);
    assert_eq!(names(&["--provider", "gitlab"]), Vec::<String>::new());
    assert_eq!(names(&["--sort", "name"]), ["gone", "later", "soon"]);
}

#[test]
fn edit_archive_and_purge() {
    let env = Env::init();
    let id = env.add("bot", "ghp_dddddddddddddddddddddddddddddddddddd0004", &["--tag", "a", "--tag", "b"]);
    let edited = env
        .cli(&[
            "edit",
            &id,
            "--name",
            "bot 2",
            "--add-tag",
            "c",
            "--remove-tag",
            "a",
            "--expires",
            "2030-01-01",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(edited["name"], "bot 2");
    assert_eq!(edited["tags"], serde_json::json!(["b", "c"]));
    assert_eq!(edited["expires_at"], "2030-01-01T00:00:00Z");
    let replaced = env
        .cli_stdin(&["edit", &id, "--secret-file", "-", "--json"], "ghp_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee0005")
        .ok()
        .json();
    assert_eq!(replaced["hint"], "ghp_…0005");
    assert_eq!(env.cli(&["reveal", &id]).ok().stdout.trim(), "ghp_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee0005");

    env.cli(&["rm", "bot 2"]).ok();
    assert_eq!(env.cli(&["list", "--json"]).ok().json(), serde_json::json!([]));
    assert_eq!(env.cli(&["list", "--json", "--all"]).ok().json()[0]["status"], "archived");

    let refused = env.cli(&["rm", &id, "--purge"]);
    assert_eq!(refused.code, 2, "purge without a terminal needs --yes");
    env.cli(&["rm", &id, "--purge", "--yes"]).ok();
    assert_eq!(env.cli(&["list", "--json", "--all"]).ok().json(), serde_json::json!([]));
    assert_eq!(env.cli(&["show", &id]).code, 4);
    env.cli(&["log", "--verify"]).ok();
}

#[test]
fn wrong_password_exits_3_and_leaves_every_file_untouched() {
    let env = Env::init();
    env.add("t", "ghp_ffffffffffffffffffffffffffffffffffff0006", &[]);
    let before = snapshot(&env.vault);
    std::fs::write(&env.password_file, "not the password\n").unwrap();
    let run = env.cli(&["list"]);
    assert_eq!(run.code, 3);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    assert!(run.stderr.contains("password is wrong"), "{}", run.stderr);
    assert_eq!(snapshot(&env.vault), before);
    let json = env.cli(&["list", "--json"]);
    let err: serde_json::Value = serde_json::from_str(json.stderr.trim()).unwrap();
    assert_eq!(err["code"], "wrong_password");
}

#[test]
fn exit_codes_match_the_documentation() {
    let env = Env::new();
    assert_eq!(env.cli(&["list"]).code, 4, "no vault yet");
    let env = Env::init();
    let help = env.cli(&["--help"]).ok().stdout;
    assert!(help.contains("Exit codes:") && help.contains("3  wrong password"), "{help}");
    assert_eq!(env.cli(&["frobnicate"]).code, 2);
    assert_eq!(env.cli(&["list", "--bogus"]).code, 2);
    assert_eq!(env.cli(&["show", "nothing-like-this"]).code, 4);
    let bad_date = env.cli_stdin(&["add", "--name", "x", "--expires", "next tuesday", "--secret-file", "-"], "ghp_x");
    assert_eq!(bad_date.code, 5);
    assert!(bad_date.stderr.contains("expires: 'next tuesday' is not a date"), "{}", bad_date.stderr);
    assert_eq!(env.cli_stdin(&["add", "--name", "x", "--kind", "magic", "--secret-file", "-"], "s").code, 5);
    assert_eq!(env.cli(&["list", "--expiring-within", "soon"]).code, 5);
    assert_eq!(
        env.cli_stdin(&["--password-file", "-", "add", "--name", "x", "--secret-file", "-"], "pw\nsecret").code,
        2
    );
    assert_eq!(env.cli(&["init"]).code, 1, "a vault already exists");
    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    let locked = env.cli_with(&["list"], None, &mut no_password);
    assert_eq!(locked.code, 3);
    assert!(locked.stderr.contains("--password-file"), "{}", locked.stderr);
}

#[test]
fn password_can_come_from_stdin_and_be_changed() {
    let env = Env::init();
    let id = env.add("t", "ghp_gggggggggggggggggggggggggggggggggggg0007", &[]);
    let mut cmd = env.command();
    cmd.env_remove("TOKENWARDEN_PASSWORD_FILE");
    let run =
        env.cli_with(&["--password-file", "-", "reveal", &id], Some(&format!("{}\n", common::PASSWORD)), &mut cmd);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let new_file = env.tmp.path().join("new-password");
    std::fs::write(&new_file, "a whole new password\n").unwrap();
    env.cli(&["passwd", "--new-password-file", new_file.to_str().unwrap()]).ok();
    assert_eq!(env.cli(&["list"]).code, 3, "the old password no longer opens the vault");
    let run = env.cli(&["--password-file", new_file.to_str().unwrap(), "reveal", &id]).ok();
    assert_eq!(run.stdout.trim(), "ghp_gggggggggggggggggggggggggggggggggggg0007");
}

#[test]
fn info_shows_kdf_parameters_without_the_password_and_warns_below_the_floor() {
    let env = Env::new();
    let created = env.cli(&["init", "--kdf-memory-mib", "16", "--kdf-iterations", "2", "--kdf-parallelism", "1"]).ok();
    assert!(created.stderr.contains("below the recommended minimum"), "{}", created.stderr);
    let mut cmd = env.command();
    cmd.env_remove("TOKENWARDEN_PASSWORD_FILE");
    let info = env.cli_with(&["info", "--json"], None, &mut cmd).ok().json();
    assert_eq!(info["kdf"], serde_json::json!({ "memory_kib": 16384, "iterations": 2, "parallelism": 1 }));
    assert_eq!(info["kdf_below_floor"], true);
    assert_eq!(info["keyring_slot"], false);
    let text = env.cli_with(&["info"], None, &mut env.command()).ok().stdout;
    assert!(text.contains("Argon2id m=16 MiB, t=2, p=1"), "{text}");
}

#[test]
fn the_kdf_time_is_reported_on_stderr_only_when_asked_and_leaves_json_output_alone() {
    let env = Env::init();
    env.add("deploy bot", "ghp_0123456789abcdefghijklmnopqrstuvwxAB12", &[]);
    let quiet = env.cli(&["list", "--json"]).ok();
    assert!(!quiet.stderr.contains("kdf:"), "{}", quiet.stderr);

    let mut cmd = env.command();
    cmd.env("TOKENWARDEN_REPORT_KDF", "1");
    let run = env.cli_with(&["list", "--json"], None, &mut cmd).ok();
    assert_eq!(run.json().as_array().unwrap().len(), 1, "stdout is the list, as without the report");
    let line = run.stderr.lines().find(|l| l.starts_with("tokenwarden-cli: kdf: ")).expect(&run.stderr);
    let field = |name: &str| -> u64 {
        let value = line.split(' ').find_map(|w| w.strip_prefix(name)).expect(line);
        value.parse().expect(line)
    };
    assert!(field("cpu_us=") > 0, "{line}");
    assert!(field("wall_us=") > 0, "{line}");
}

#[test]
fn a_damaged_vault_gives_a_clear_error_never_wrong_data() {
    let env = Env::init();
    for i in 0..50 {
        env.add(&format!("token {i:02}"), &format!("ghp_{i:036}"), &["--expires", &format!("{}d", i + 1)]);
    }
    let good = env.cli(&["list", "--json"]).ok().stdout;
    let keys = env.vault.join("vault.keys");
    let original_keys = std::fs::read(&keys).unwrap();
    for offset in [10, original_keys.len() / 2, original_keys.len() - 2] {
        let mut bad = original_keys.clone();
        bad[offset] ^= 0x01;
        std::fs::write(&keys, &bad).unwrap();
        let run = env.cli(&["list", "--json"]);
        assert_eq!(run.code, 1, "offset {offset}: {}", run.stderr);
        assert!(run.stderr.contains("damaged or was altered"), "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    std::fs::write(&keys, &original_keys).unwrap();

    let db = env.vault.join("vault.db");
    let original_db = std::fs::read(&db).unwrap();
    for offset in (0..original_db.len()).step_by(original_db.len() / 9) {
        let mut bad = original_db.clone();
        bad[offset] ^= 0x01;
        std::fs::write(&db, &bad).unwrap();
        let run = env.cli(&["list", "--json"]);
        if run.code == 0 {
            assert_eq!(run.stdout, good, "offset {offset}: wrong data from a damaged vault");
            assert_ne!(env.cli(&["check"]).code, 0, "offset {offset}: check missed the damage");
        } else {
            assert_eq!(run.code, 1, "offset {offset}: {}", run.stderr);
            assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
            assert!(run.stderr.contains("vault.db"), "{}", run.stderr);
        }
    }
    std::fs::write(&db, &original_db).unwrap();
    env.cli(&["check"]).ok();
}

#[test]
fn usages_are_recorded_listed_and_removed() {
    let env = Env::init();
    let id = env.add("t", "ghp_hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh0008", &[]);
    let usage = env
        .cli(&["usage", "add", &id, "--kind", "ci-secret", "--location", "acme/app: DEPLOY_TOKEN", "--json"])
        .ok()
        .json();
    let listed = env.cli(&["usage", "list", &id, "--json"]).ok().json();
    assert_eq!(listed[0]["location"], "acme/app: DEPLOY_TOKEN");
    assert_eq!(listed[0]["kind"], "ci_secret");
    env.cli(&["usage", "rm", usage["id"].as_str().unwrap()]).ok();
    assert_eq!(env.cli(&["usage", "list", &id, "--json"]).ok().json(), serde_json::json!([]));
    assert_eq!(env.cli(&["usage", "add", &id, "--kind", "carrier-pigeon", "--location", "x"]).code, 5);
}

#[test]
fn usage_errors_honour_json_wherever_it_is_in_argv() {
    let env = Env::init();
    let cases: [&[&str]; 6] = [
        &["--json", "list", "--bogus"],
        &["list", "--bogus", "--json"],
        &["--json", "frobnicate"],
        &["--json", "show"],
        &["--json"],
        &["usage", "add", "some-token", "--json"],
    ];
    for args in cases {
        let run = env.cli(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr.trim().lines().count(), 1, "{args:?}: one line: {}", run.stderr);
        let err: serde_json::Value = serde_json::from_str(run.stderr.trim())
            .unwrap_or_else(|e| panic!("{args:?}: stderr is not JSON ({e}): {}", run.stderr));
        assert_eq!(err["code"], "usage", "{args:?}");
        assert!(!err["message"].as_str().unwrap().is_empty(), "{args:?}: {err}");
    }
    let bogus = env.cli(&["--json", "list", "--bogus"]);
    let err: serde_json::Value = serde_json::from_str(bogus.stderr.trim()).unwrap();
    assert!(err["message"].as_str().unwrap().contains("--bogus"), "says what was wrong: {err}");

    // Without --json a usage error stays clap's text (exit 2), and --help still prints help.
    let plain = env.cli(&["list", "--bogus"]);
    assert_eq!(plain.code, 2);
    assert!(
        plain.stderr.contains("--bogus") && serde_json::from_str::<serde_json::Value>(plain.stderr.trim()).is_err()
    );
    let help = env.cli(&["--json", "--help"]).ok();
    assert!(help.stdout.contains("Exit codes:"), "{}", help.stdout);
}
