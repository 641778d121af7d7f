//! OS notifications behind a `Notifier` trait, so the reminders loop can be driven in tests.
//! `DesktopNotifier` talks to the freedesktop notification server over D-Bus (notify-rust); it
//! never blocks the caller on the user: clicks are awaited on a thread of their own.

use std::sync::Arc;
use tokenwarden_core::display_text;
use tokenwarden_core::reminders::Urgency;

/// The app name notifications carry (servers group and filter by it).
pub const APP_NAME: &str = "Tokenwarden";

/// One notification. `token_id` is the token a click opens (`None` for a summary of several).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    pub urgency: Urgency,
    pub token_id: Option<String>,
    pub kind: NoticeKind,
}

/// What a notification is about, which decides its buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// An expiry or rotation reminder: Open, and for one token Rotate now and the snoozes.
    Reminder,
    /// A monitor alert: Open token and the snoozes (acknowledging happens in the app); a summary
    /// of several opens the app.
    Alert,
}

/// What the user did with a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeAction {
    /// Clicked the notification itself: open the token (or the app, for a summary).
    Open,
    /// Chose "Rotate now".
    Rotate,
    /// Chose "Snooze 1 day" or "Snooze 1 week" on a reminder: remind again after this many days.
    Snooze(u32),
    /// Chose "Snooze 1 day" or "Snooze 1 week" on an alert: say it again after this many days.
    SnoozeAlert(u32),
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("no notification server answered: {0}")]
    Unavailable(String),
}

/// What the notification server is given for a notice: the summary as one line of plain text, the
/// body with `& < >` escaped (the freedesktop body may be rendered as markup), neither holding
/// control characters or escape sequences. A token's name is data, never markup.
pub fn server_text(n: &Notice) -> (String, String) {
    (display_text::one_line(&n.title).into_owned(), display_text::notification_body(&n.body))
}

pub trait Notifier: Send + Sync {
    fn notify(&self, n: &Notice) -> Result<(), NotifyError>;
}

/// Called on a background thread when the user acts on a notification.
pub type ActionHandler = Arc<dyn Fn(NoticeAction, Option<String>) + Send + Sync>;

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
                        "snooze-1d" => on_action(snooze(n.kind, 1), n.token_id.clone()),
                        "snooze-1w" => on_action(snooze(n.kind, 7), n.token_id.clone()),
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

/// A snooze of `days` on a notice of `kind`.
fn snooze(kind: NoticeKind, days: u32) -> NoticeAction {
    match kind {
        NoticeKind::Reminder => NoticeAction::Snooze(days),
        NoticeKind::Alert => NoticeAction::SnoozeAlert(days),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(title: &str, body: &str) -> Notice {
        Notice {
            title: title.to_owned(),
            body: body.to_owned(),
            urgency: Urgency::Normal,
            token_id: None,
            kind: NoticeKind::Reminder,
        }
    }

    #[test]
    fn markup_in_a_body_reaches_the_server_escaped() {
        let (_, body) = server_text(&notice("2 tokens expire", "GitHub · <b>ci</b> & <i>co</i> expires\nnext"));
        assert_eq!(body, "GitHub · &lt;b&gt;ci&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt; expires\nnext");
    }

    #[test]
    fn escape_sequences_and_line_breaks_never_reach_the_server_summary() {
        let (summary, body) = server_text(&notice("x\u{1b}[2Jy\nFAKE expires", "a\u{1b}]0;t\u{7}b\u{9b}31mc"));
        assert_eq!(summary, "xy FAKE expires");
        assert_eq!(body, "abc");
    }
}
