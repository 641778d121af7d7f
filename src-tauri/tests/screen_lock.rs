//! "Lock when the screen locks" hears the desktop: a screensaver's ActiveChanged(true) on the real
//! session bus (the harness's private one) calls back once; ActiveChanged(false) does not.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(all(unix, not(target_os = "macos")))]

use std::process::Command;
use std::sync::{mpsc, Arc};
use std::time::Duration;
use tokenwarden_app::screen_lock;

/// Under the harness (TOKENWARDEN_TEST_SERVICES=1, as `make test` runs) the session bus must be
/// there; bare, without one, the test says SKIP and returns.
fn session_bus(test: &str) -> bool {
    if std::env::var_os("TOKENWARDEN_TEST_SERVICES").is_some_and(|v| !v.is_empty() && v != "0") {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "{test}: the test harness is on but there is no session bus"
        );
        return true;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        eprintln!("SKIP {test}: no session bus (run under tests/harness/with-services.sh)");
        return false;
    }
    true
}

fn screensaver(interface: &str, active: bool) {
    let path = format!("/{}", interface.replace('.', "/"));
    let status = Command::new("dbus-send")
        .args([
            "--session",
            "--type=signal",
            &path,
            &format!("{interface}.ActiveChanged"),
            &format!("boolean:{active}"),
        ])
        .status()
        .expect("dbus-send runs");
    assert!(status.success());
}

#[test]
fn the_screensaver_turning_on_calls_back_once_and_turning_off_does_not() {
    if !session_bus("the_screensaver_turning_on_calls_back_once_and_turning_off_does_not") {
        return;
    }
    let (locked, heard) = mpsc::channel();
    let watch = screen_lock::spawn(Arc::new(move || {
        let _ = locked.send(());
    }));
    assert!(watch.ready(Duration::from_secs(20)), "the watch subscribed on the session bus");

    for interface in ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"] {
        // Signals from one sender arrive in order: when the "on" is heard, the "off" before it
        // has been handled, so exactly one call means the "off" was ignored.
        screensaver(interface, false);
        screensaver(interface, true);
        heard.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| panic!("{interface}: no call back"));
        assert!(heard.try_recv().is_err(), "{interface}: one call for one lock");
    }
}
