//! "Lock when the screen locks": watches the desktop for its screen locking and calls back.
//! On the session bus, a screensaver's `ActiveChanged(true)` (`org.freedesktop.ScreenSaver`, and
//! GNOME's `org.gnome.ScreenSaver`); on the system bus, logind's `Lock` for this process's own
//! session (`loginctl lock-session`). Either may be missing (no system bus in a container, no
//! screensaver service): that watch is skipped with a line on stderr, the other keeps working.

use dbus::blocking::Connection;
use dbus::message::MatchRule;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

/// What the watcher calls when the screen locks; the app checks its setting there.
pub type OnLock = Arc<dyn Fn() + Send + Sync>;

const SCREENSAVERS: [&str; 2] = ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"];

/// The running watches; [`Watch::ready`] says whether the session bus one has subscribed.
pub struct Watch {
    session_ready: mpsc::Receiver<()>,
}

impl Watch {
    /// Waits until the session-bus watch has subscribed (a signal sent after that is seen);
    /// false when it could not, or not within `limit`.
    pub fn ready(&self, limit: Duration) -> bool {
        self.session_ready.recv_timeout(limit).is_ok()
    }
}

/// Starts both watches on threads of their own, for the life of the process.
pub fn spawn(on_lock: OnLock) -> Watch {
    let (ready, session_ready) = mpsc::channel();
    let session = Arc::clone(&on_lock);
    let spawned = std::thread::Builder::new().name("screen-lock".into()).spawn(move || {
        if let Err(error) = watch_screensavers(&session, &ready) {
            eprintln!("tokenwarden: not watching the screensaver on the session bus: {error}");
        }
    });
    if let Err(error) = spawned {
        eprintln!("tokenwarden: not watching the screensaver: {error}");
    }
    let spawned = std::thread::Builder::new().name("logind-lock".into()).spawn(move || {
        if let Err(error) = watch_logind(&on_lock) {
            eprintln!("tokenwarden: not watching logind's session lock: {error}");
        }
    });
    if let Err(error) = spawned {
        eprintln!("tokenwarden: not watching logind's session lock: {error}");
    }
    Watch { session_ready }
}

fn watch_screensavers(on_lock: &OnLock, ready: &mpsc::Sender<()>) -> Result<(), dbus::Error> {
    let bus = Connection::new_session()?;
    for interface in SCREENSAVERS {
        let on_lock = Arc::clone(on_lock);
        bus.add_match(MatchRule::new_signal(interface, "ActiveChanged"), move |(active,): (bool,), _, _| {
            if active {
                on_lock();
            }
            true
        })?;
    }
    let _ = ready.send(());
    loop {
        bus.process(Duration::from_secs(3600))?;
    }
}

fn watch_logind(on_lock: &OnLock) -> Result<(), dbus::Error> {
    let bus = Connection::new_system()?;
    let manager = bus.with_proxy("org.freedesktop.login1", "/org/freedesktop/login1", Duration::from_secs(5));
    let (session,): (dbus::Path<'static>,) =
        manager.method_call("org.freedesktop.login1.Manager", "GetSessionByPID", (std::process::id(),))?;
    let mut rule = MatchRule::new_signal("org.freedesktop.login1.Session", "Lock");
    rule.path = Some(session);
    let on_lock = Arc::clone(on_lock);
    bus.add_match(rule, move |(): (), _, _| {
        on_lock();
        true
    })?;
    loop {
        bus.process(Duration::from_secs(3600))?;
    }
}
