//! What the CLI prints for people cannot drive the terminal: names, owners from a provider and
//! usage locations reach stdout and stderr without escape sequences or control characters, and a
//! line break inside a one-line field cannot forge a line of output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../../../../tests/fake-providers/fake.rs"]
mod fake;

use common::Env;
use fake::FakeProviders;
use serde_json::json;

const SECRET: &str = "ghp_T3rm1nalT3xtT3rm1nalT3xtT3rm1nal0042";
/// Clears the screen, then an 8-bit CSI colour, then a line that pretends to be the CLI's own.
const FORGED: &str = "x\u{1b}[2Jy\u{9b}31m\nFAKE: all tokens are valid";

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}'), "{what} holds an escape sequence: {text:?}");
    assert!(!text.lines().any(|l| l.trim_start().starts_with("FAKE:")), "{what} holds a forged line: {text:?}");
}

#[test]
fn escape_sequences_from_a_provider_or_a_usage_never_reach_the_terminal() {
    let fake = FakeProviders::start();
    fake.add_token(json!({ "provider": "github", "token": SECRET, "owner": FORGED }));
    let env = Env::init();
    let id = env.add("deploy", SECRET, &["--provider", "github"]);
    let mut cmd = env.command();
    cmd.env("TOKENWARDEN_API_GITHUB", fake.url("github"));
    let verified = env.cli_with(&["verify", &id], None, &mut cmd).ok();
    assert_clean("verify", &verified.stdout);
    assert!(verified.stdout.contains("owner xy FAKE: all tokens are valid"), "{}", verified.stdout);
    // The owner is stored as the provider sent it: only what is shown is cleaned.
    let shown = env.cli(&["--json", "show", &id]).ok().json();
    let stored = shown["token"]["account"].as_str().unwrap();
    assert!(stored.contains("\u{1b}[2J") && stored.contains("\nFAKE:"), "{stored:?}");

    let added = env.cli(&["usage", "add", &id, "--kind", "ci_secret", "--location", FORGED]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert_clean("usage add", &added.stdout);

    let show = env.cli(&["show", &id]).ok();
    assert_clean("show", &show.stdout);
    assert!(show.stdout.contains("Account:     xy FAKE: all tokens are valid\n"), "{}", show.stdout);
    assert!(show.stdout.contains("  - xy FAKE: all tokens are valid (ci_secret)\n"), "{}", show.stdout);
    let listings: [&[&str]; 3] = [&["list"], &["usage", "list", &id], &["log"]];
    for args in listings {
        let run = env.cli(args).ok();
        assert_clean(&args.join(" "), &run.stdout);
        assert_clean(&args.join(" "), &run.stderr);
    }
}

#[test]
fn a_name_with_an_escape_sequence_is_refused_and_the_error_holds_none() {
    let env = Env::init();
    let run = env.cli_stdin(&["add", "--name", "x\u{1b}[2Jy", "--secret-file", "-"], "ghp_x\n");
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("control characters"), "{}", run.stderr);
    assert_clean("add", &run.stderr);
    let missing = env.cli(&["show", "x\u{1b}[2Jy\nFAKE: found"]);
    assert_eq!(missing.code, 4);
    assert_clean("show of a missing name", &missing.stderr);
}

#[test]
fn json_output_escapes_what_could_drive_a_terminal_and_keeps_it_in_the_data() {
    // An owner with an 8-bit CSI, DEL and a right-to-left override besides the 7-bit escape.
    let owner = format!("{FORGED}\u{7f}\u{202e}txt.exe");
    let fake = FakeProviders::start();
    fake.add_token(json!({ "provider": "github", "token": SECRET, "owner": owner }));
    let env = Env::init();
    let id = env.add("deploy", SECRET, &["--provider", "github"]);
    let mut cmd = env.command();
    cmd.env("TOKENWARDEN_API_GITHUB", fake.url("github"));
    env.cli_with(&["verify", &id], None, &mut cmd).ok();
    for args in [&["--json", "list"][..], &["--json", "show", &id]] {
        let run = env.cli(args).ok();
        assert_clean(&args.join(" "), &run.stdout);
        for c in ['\u{7f}', '\u{202e}'] {
            assert!(!run.stdout.contains(c), "{args:?} printed {c:?} as it is: {}", run.stdout);
        }
        // Escaped, not dropped: a script reads back what the vault holds.
        let parsed = run.json();
        let account = if args[1] == "list" { &parsed[0]["account"] } else { &parsed["token"]["account"] };
        assert_eq!(account.as_str(), Some(owner.as_str()), "{args:?}");
    }
}
