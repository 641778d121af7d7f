//! OS notifications: the core's `Notifier` trait and `DesktopNotifier` (notify-rust over D-Bus),
//! shared with the tray process, so the monitor's alerts and the reminders are sent the same way.

pub use tokenwarden_core::reminders::notice::{
    server_text, ActionHandler, Notice, NoticeAction, NoticeKind, Notifier, NotifyError, APP_NAME,
};
pub use tokenwarden_core::reminders::DesktopNotifier;
