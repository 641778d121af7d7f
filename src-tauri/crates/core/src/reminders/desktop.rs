//! `DesktopNotifier`: the freedesktop notification server over D-Bus (notify-rust on the blocking
//! `dbus` crate). Only the processes that notify (tray, window) enable the `notifications` feature;
//! it never blocks the caller on the user: clicks are awaited on a thread of their own.

use std::sync::Arc;

use super::notice::{server_text, ActionHandler, Notice, NoticeAction, NoticeKind, Notifier, NotifyError, APP_NAME};
use super::Urgency;
#[cfg(not(all(unix, not(target_os = "macos"))))]
use crate::display_text;

/// The desktop's notification server (org.freedesktop.Notifications on Linux).
pub struct DesktopNotifier {
    on_action: ActionHandler,
}

impl DesktopNotifier {
    pub fn new(on_action: ActionHandler) -> Self {
        DesktopNotifier { on_action }
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
impl Notifier for DesktopNotifier {
    fn notify(&self, n: &Notice) -> Result<(), NotifyError> {
        let (n, on_action) = (n.clone(), Arc::clone(&self.on_action));
        let (shown_tx, shown_rx) = std::sync::mpsc::channel();
        // The D-Bus handle cannot leave the thread that made it, and waiting for a click blocks
        // until the notification closes: so each notification gets a short-lived thread.
        std::thread::spawn(move || match show(&n) {
            Err(error) => {
                let _ = shown_tx.send(Err(NotifyError::Unavailable(error.to_string())));
            }
            Ok(handle) => {
                let _ = shown_tx.send(Ok(()));
                if let Some(handle) = handle {
                    handle.wait_for_action(|action| match action {
                        "default" => on_action(NoticeAction::Open, n.token_id.clone()),
                        "rotate" => on_action(NoticeAction::Rotate, n.token_id.clone()),
                        "snooze-1d" => on_action(NoticeAction::snooze(n.kind, 1), n.token_id.clone()),
                        "snooze-1w" => on_action(NoticeAction::snooze(n.kind, 7), n.token_id.clone()),
                        _ => {}
                    });
                }
            }
        });
        shown_rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap_or_else(|_| Err(NotifyError::Unavailable("no answer within 10 s".to_owned())))
    }
}

/// Sends `n`; returns the handle to wait on when the server supports actions.
#[cfg(all(unix, not(target_os = "macos")))]
fn show(n: &Notice) -> Result<Option<notify_rust::NotificationHandle>, notify_rust::error::Error> {
    // Servers without actions (some minimal daemons) would show the labels as text.
    let actions = notify_rust::get_capabilities()?.iter().any(|c| c == "actions");
    let (summary, body) = server_text(n);
    let mut notification = notify_rust::Notification::new();
    notification.appname(APP_NAME).summary(&summary).body(&body).urgency(match n.urgency {
        Urgency::Low => notify_rust::Urgency::Low,
        Urgency::Normal => notify_rust::Urgency::Normal,
        Urgency::Critical => notify_rust::Urgency::Critical,
    });
    if actions && n.kind == NoticeKind::Alert && n.token_id.is_some() {
        notification.action("default", "Open token");
        notification.action("snooze-1d", "Snooze 1 day");
        notification.action("snooze-1w", "Snooze 1 week");
    } else if actions {
        notification.action("default", "Open");
        if n.token_id.is_some() && n.kind == NoticeKind::Reminder {
            notification.action("rotate", "Rotate now");
            notification.action("snooze-1d", "Snooze 1 day");
            notification.action("snooze-1w", "Snooze 1 week");
        }
    }
    let handle = notification.show()?;
    Ok(actions.then_some(handle))
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
impl Notifier for DesktopNotifier {
    fn notify(&self, n: &Notice) -> Result<(), NotifyError> {
        // No click actions here: the toast only tells; the tray opens the app.
        let _ = &self.on_action;
        notify_rust::Notification::new()
            .appname(APP_NAME)
            .summary(&display_text::one_line(&n.title))
            .body(&display_text::multi_line(&n.body))
            .show()
            .map(drop)
            .map_err(|e| NotifyError::Unavailable(e.to_string()))
    }
}
