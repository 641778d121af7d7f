//! What a reminder says as a notification, the `Notifier` trait that sends it, and one pass of the
//! reminders (read the index, notify what is due once, mark it sent). Shared by the tray process,
//! which runs the loop, and the window process, whose monitor notifies alerts. Never a secret here.

use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::Arc;

use super::{Reminder, ReminderIndex, ReminderKey, ReminderState, Schedule, Urgency, Verdict, INDEX_FILE, STATE_FILE};
use crate::display_text::{self, multi_line, one_line};
use crate::error::Result;
use crate::keystore::KeyStore;

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

impl NoticeAction {
    /// A snooze of `days` on a notice of `kind`.
    pub fn snooze(kind: NoticeKind, days: u32) -> NoticeAction {
        match kind {
            NoticeKind::Reminder => NoticeAction::Snooze(days),
            NoticeKind::Alert => NoticeAction::SnoozeAlert(days),
        }
    }
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

/// What one pass found and did.
pub struct Pass {
    /// The notifications for what was due: none, one reminder, or one summary of several.
    pub notices: Vec<Notice>,
    /// Whether the notifier took them. When it did not, nothing was marked sent.
    pub delivered: bool,
    pub schedule: Schedule,
    pub index: ReminderIndex,
    /// Whether `reminders.state` could be trusted (when not, its dismissals and snoozes were ignored).
    pub state_verdict: Verdict,
}

/// The notifications for `due`: one per reminder when there is one, else one summary.
pub fn notices(due: &[Reminder], now: DateTime<Utc>) -> Vec<Notice> {
    match due {
        [] => Vec::new(),
        [one] => vec![Notice {
            title: one_line(&one.title(now)).into_owned(),
            body: multi_line(&one.body(now)).into_owned(),
            urgency: one.urgency,
            token_id: Some(one.token_id.clone()),
            kind: NoticeKind::Reminder,
        }],
        several => {
            const LISTED: usize = 5;
            let mut soonest: Vec<&Reminder> = several.iter().collect();
            soonest.sort_by_key(|r| (r.expires_at.is_none(), r.expires_at, r.due_at));
            // One line per token: a name cannot add lines or escape sequences of its own.
            let mut lines: Vec<String> =
                soonest.iter().take(LISTED).map(|r| one_line(&r.title(now)).into_owned()).collect();
            if several.len() > LISTED {
                lines.push(format!("and {} more", several.len() - LISTED));
            }
            vec![Notice {
                title: super::summary(several, now).unwrap_or_default(),
                body: lines.join("\n"),
                urgency: several.iter().map(|r| r.urgency).max().unwrap_or(Urgency::Normal),
                token_id: None,
                kind: NoticeKind::Reminder,
            }]
        }
    }
}

/// One pass over the vault in `dir` at `now`: reads the index (its names opened with `store`),
/// notifies what is due and marks it sent. The loop calls this; tests drive it headless.
pub fn run_once(dir: &Path, store: &dyn KeyStore, notifier: &dyn Notifier, now: DateTime<Utc>) -> Result<Pass> {
    let key = ReminderKey::from_keyring(dir, store)?;
    run_with(dir, ReminderIndex::read_with(dir, key.as_ref())?, key.as_ref(), notifier, now)
}

/// As `run_once`, for an index already read with `key` (or filled from the unlocked vault).
pub fn run_with(
    dir: &Path,
    index: ReminderIndex,
    key: Option<&ReminderKey>,
    notifier: &dyn Notifier,
    now: DateTime<Utc>,
) -> Result<Pass> {
    let state = ReminderState::load(dir, key, &index)?;
    let schedule = super::compute(now, &index.entries, &state, index.warn_days, index.urgent_days);
    let notices = notices(&schedule.due, now);
    let delivered = notices.iter().all(|n| notifier.notify(n).is_ok());
    if delivered && !notices.is_empty() {
        mark_sent(dir, key, &schedule, now)?;
    }
    Ok(Pass { notices, delivered, schedule, index, state_verdict: state.verdict().clone() })
}

/// Records everything `schedule` made due as sent (or shown in-app).
pub fn mark_sent(dir: &Path, key: Option<&ReminderKey>, schedule: &Schedule, now: DateTime<Utc>) -> Result<()> {
    let mut state = ReminderState::load(dir, key, &ReminderIndex::read_with(dir, key)?)?;
    state.mark_schedule_sent(schedule, now);
    state.save(dir, key)
}

/// Silences every reminder of one token for `days` from `now` (a notification's "Snooze" buttons);
/// the state file persists it, so the tray, the window and `tokenwarden-cli remind` all honour it.
/// A token the index no longer holds is left alone.
pub fn snooze(dir: &Path, key: Option<&ReminderKey>, token_id: &str, days: u32, now: DateTime<Utc>) -> Result<()> {
    let index = ReminderIndex::read_with(dir, key)?;
    let Some(entry) = index.entries.iter().find(|e| e.token_id == token_id) else { return Ok(()) };
    let until = now + chrono::Duration::days(i64::from(days));
    let mut state = ReminderState::load(dir, key, &index)?;
    state.snooze_token(&entry.token_id, &entry.thresholds, until);
    state.save(dir, key)
}

/// Says on stderr (each line led by `who`), once for each new finding, which file beside the vault
/// failed its check; `said_before` keeps what was said last, so a loop does not repeat it every minute.
pub fn say_untrusted(who: &str, said_before: &mut Option<String>, index: &Verdict, state: &Verdict) {
    let lines: Vec<String> = [
        index.warning(INDEX_FILE, "reminders come from the dates alone"),
        state.warning(STATE_FILE, "its dismissals and snoozes are ignored"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let said = (!lines.is_empty()).then(|| lines.join("; "));
    if said.is_some() && said != *said_before {
        for line in &lines {
            eprintln!("{who}: {line}");
        }
    }
    *said_before = said;
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
