//! The real X clipboard (run under tests/harness/with-services.sh, which sets
//! TOKENWARDEN_TEST_SERVICES=1): a copy's clear signal (the vault locking) clears the clipboard at
//! once if it still holds our value, and leaves alone what the user copied since.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use secrecy::SecretString;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokenwarden_core::clipboard::{copy_then_clear_early, ClearOutcome, ClearSignal};

fn services(test: &str) -> bool {
    if std::env::var_os("TOKENWARDEN_TEST_SERVICES").is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    eprintln!("SKIP: {test}: needs an X clipboard; run under tests/harness/with-services.sh");
    false
}

/// One X display has one clipboard: the tests take turns.
static CLIPBOARD: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// What the X clipboard holds; `None` when it holds no text. Any other xclip failure fails the
/// test: it must never pass for a cleared clipboard.
fn clipboard() -> Option<String> {
    let out = Command::new("xclip")
        .args(["-selection", "clipboard", "-o"])
        .output()
        .unwrap_or_else(|e| panic!("xclip cannot run: {e}"));
    if out.status.success() {
        return Some(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("target STRING not available") || stderr.contains("target UTF8_STRING not available") {
        return None;
    }
    panic!("xclip could not read the clipboard ({}): {}", out.status, stderr.trim());
}

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(started.elapsed() < Duration::from_secs(10), "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts a copy held for ten minutes on a thread; returns once the value is on the clipboard.
fn start_copy(secret: &'static str, signal: &ClearSignal) -> mpsc::Receiver<ClearOutcome> {
    let (done_tx, done_rx) = mpsc::channel();
    let signal = signal.clone();
    std::thread::spawn(move || {
        let outcome = copy_then_clear_early(&SecretString::from(secret), Duration::from_secs(600), &signal, || {});
        let _ = done_tx.send(outcome.expect("the copy works"));
    });
    wait_for("the secret on the clipboard", || clipboard().as_deref() == Some(secret));
    done_rx
}

#[test]
fn the_clear_signal_clears_our_value_before_the_timeout() {
    if !services("the_clear_signal_clears_our_value_before_the_timeout") {
        return;
    }
    let _turn = CLIPBOARD.lock().unwrap_or_else(|p| p.into_inner());
    let signal = ClearSignal::default();
    let done = start_copy("ghp_lockClearsThis0123456789abcdefghij", &signal);
    assert!(done.try_recv().is_err(), "the copy still holds the clipboard before the signal");
    signal.clear_now();
    let outcome = done.recv_timeout(Duration::from_secs(30)).expect("the copy ends after the signal");
    assert_eq!(outcome, ClearOutcome::Cleared);
    assert_eq!(clipboard(), None, "the clipboard is empty after the signal");
}

#[test]
fn the_clear_signal_leaves_what_the_user_copied_since() {
    if !services("the_clear_signal_leaves_what_the_user_copied_since") {
        return;
    }
    let _turn = CLIPBOARD.lock().unwrap_or_else(|p| p.into_inner());
    let signal = ClearSignal::default();
    let done = start_copy("ghp_userCopiedSince0123456789abcdefghi", &signal);
    // The user copies something else meanwhile (xclip forks and keeps serving it).
    let mut xclip =
        Command::new("xclip").args(["-selection", "clipboard", "-i"]).stdin(Stdio::piped()).spawn().unwrap();
    xclip.stdin.take().unwrap().write_all(b"the user's own text").unwrap();
    xclip.wait().unwrap();
    wait_for("the user's text on the clipboard", || clipboard().as_deref() == Some("the user's own text"));
    signal.clear_now();
    let outcome = done.recv_timeout(Duration::from_secs(30)).expect("the copy ends after the signal");
    assert_eq!(outcome, ClearOutcome::Replaced);
    assert_eq!(clipboard().as_deref(), Some("the user's own text"));
}
