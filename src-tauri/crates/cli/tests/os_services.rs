//! The CLI against the real OS services: gnome-keyring's Secret Service over a private D-Bus
//! session, and the X11 clipboard of an Xvfb display. `tests/harness/with-services.sh` starts them
//! and sets TOKENWARDEN_TEST_SERVICES=1; `make test` always runs these under it. Run bare (plain
//! `cargo test`), they say they were skipped rather than pretend to pass.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{services, Env, Service};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn keyring_unlock_uses_the_real_secret_service_and_falls_back_to_the_password() {
    if !services("keyring_unlock_uses_the_real_secret_service", &[Service::SecretService]) {
        return;
    }
    let env = Env::init();
    let id = env.add("t", "ghp_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk0009", &[]);
    env.cli(&["keyring", "enable"]).ok();
    let status = env.cli(&["keyring", "status", "--json"]).ok().json();
    assert_eq!(status, serde_json::json!({ "enabled": true, "holds_key": true, "problem": null }));
    assert_eq!(env.cli(&["info", "--json"]).ok().json()["keyring_slot"], true);

    // The key really is in gnome-keyring: secret-tool finds an item for this vault.
    let vault_id = env.cli(&["info", "--json"]).ok().json()["vault_id"].as_str().unwrap().to_owned();
    let found = Command::new("secret-tool")
        .args(["search", "service", "tokenwarden", "username", &format!("vault:{vault_id}")])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&found.stdout).contains("tokenwarden")
            || String::from_utf8_lossy(&found.stderr).contains("tokenwarden"),
        "secret-tool sees no item: {}",
        String::from_utf8_lossy(&found.stderr)
    );

    // No password at all: the keyring alone opens the vault.
    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    let run = env.cli_with(&["reveal", &id], None, &mut no_password);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "ghp_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk0009");

    // Keyring unreachable (no D-Bus): a clear note, then the password.
    let mut no_bus = env.command();
    no_bus.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    let run = env.cli_with(&["list", "--json"], None, &mut no_bus);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("keyring is not available") && run.stderr.contains("using the password instead"),
        "{}",
        run.stderr
    );
    let mut neither = env.command();
    neither.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus").env_remove("TOKENWARDEN_PASSWORD_FILE");
    assert_eq!(env.cli_with(&["list"], None, &mut neither).code, 3);

    // --no-keyring ignores the slot.
    let mut opted_out = env.command();
    opted_out.env_remove("TOKENWARDEN_PASSWORD_FILE");
    assert_eq!(env.cli_with(&["--no-keyring", "list"], None, &mut opted_out).code, 3);

    env.cli(&["keyring", "disable"]).ok();
    let status = env.cli(&["keyring", "status", "--json"]).ok().json();
    assert_eq!(status["enabled"], false);
    assert_eq!(status["holds_key"], false, "disable removes the key from the keyring");
    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    assert_eq!(env.cli_with(&["list"], None, &mut no_password).code, 3);
}

/// One X display has one clipboard: tests that use it take turns.
static CLIPBOARD: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// What the X clipboard holds; `None` when it holds no text. Any other xclip failure (not
/// installed, no display) fails the test: it must never pass for a cleared clipboard.
fn clipboard() -> Option<String> {
    clipboard_of(Command::new("xclip").args(["-selection", "clipboard", "-o"]))
}

fn clipboard_of(xclip: &mut Command) -> Option<String> {
    let out = xclip.output().unwrap_or_else(|e| panic!("xclip cannot run: {e}"));
    if out.status.success() {
        return Some(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    // What xclip says when nobody owns the clipboard, or the owner offers no text.
    if stderr.contains("target STRING not available") || stderr.contains("target UTF8_STRING not available") {
        return None;
    }
    panic!("xclip could not read the clipboard ({}): {}", out.status, stderr.trim());
}

fn wait_for(what: &str, limit: Duration, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs `copy` with a 3 s timeout and waits until the secret is on the clipboard.
fn start_copy(env: &Env, id: &str, secret: &str) -> std::process::Child {
    let child = env
        .command()
        .args(["copy", id, "--clear-after", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the secret on the clipboard", Duration::from_secs(5), || clipboard().as_deref() == Some(secret));
    child
}

#[test]
fn copy_puts_the_secret_on_the_clipboard_and_clears_it_after_the_timeout() {
    if !services("copy_puts_the_secret_on_the_clipboard", &[Service::XClipboard]) {
        return;
    }
    let _turn = CLIPBOARD.lock().unwrap_or_else(|p| p.into_inner());
    let env = Env::init();
    let id = env.add("t", "ghp_llllllllllllllllllllllllllllllllllll0010", &[]);
    let child = start_copy(&env, &id, "ghp_llllllllllllllllllllllllllllllllllll0010");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("clears in 3 s") && stderr.contains("Clipboard cleared"), "{stderr}");
    assert!(!stderr.contains("ghp_llll"), "{stderr}");
    assert_ne!(clipboard().as_deref(), Some("ghp_llllllllllllllllllllllllllllllllllll0010"));
    let log = env.cli(&["log", "--json", "--token", &id]).ok().json();
    assert_eq!(log[0]["kind"], "copied");
}

#[test]
fn copy_leaves_a_newer_clipboard_value_alone() {
    if !services("copy_leaves_a_newer_clipboard_value_alone", &[Service::XClipboard]) {
        return;
    }
    let _turn = CLIPBOARD.lock().unwrap_or_else(|p| p.into_inner());
    let env = Env::init();
    let id = env.add("t", "ghp_mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm0011", &[]);
    let child = start_copy(&env, &id, "ghp_mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm0011");
    // The user copies something else meanwhile (xclip forks and keeps serving it).
    let mut xclip =
        Command::new("xclip").args(["-selection", "clipboard", "-i"]).stdin(Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut xclip.stdin.take().unwrap(), b"the user's own text").unwrap();
    xclip.wait().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("left it alone"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(clipboard().as_deref(), Some("the user's own text"));
}

#[test]
fn a_clipboard_that_cannot_be_read_fails_rather_than_reads_as_cleared() {
    if !services("a_clipboard_that_cannot_be_read_fails", &[Service::XClipboard]) {
        return;
    }
    let no_display = std::panic::catch_unwind(|| {
        clipboard_of(Command::new("xclip").args(["-selection", "clipboard", "-o"]).env("DISPLAY", ":4242"))
    });
    assert!(no_display.is_err(), "an xclip that cannot open the display must not read as an empty clipboard");
    let no_xclip = std::panic::catch_unwind(|| clipboard_of(&mut Command::new("/nonexistent/xclip")));
    assert!(no_xclip.is_err(), "a missing xclip must not read as an empty clipboard");
}
