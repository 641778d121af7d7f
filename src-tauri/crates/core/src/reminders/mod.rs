//! Expiry and rotation reminders: which are due at `now`, what they say, what was already sent,
//! and the small index beside the vault that lets all this work while the vault is locked.
//! Everything here takes `now` and never reads the clock; nothing here ever holds a secret.

mod auth;
#[cfg(feature = "notifications")]
mod desktop;
mod index;
pub mod notice;
mod schedule;
mod state;
pub mod tray_menu;

pub use auth::{ReminderKey, Verdict};
#[cfg(feature = "notifications")]
pub use desktop::DesktopNotifier;
pub use index::{IndexEntry, ReminderIndex, INDEX_FILE};
pub use schedule::{compute, crossed, upcoming, Schedule};
pub use state::{ReminderState, STATE_FILE};

use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::expiry;
use crate::settings::Settings;

pub use crate::settings::{validate_days, MAX_REMINDER_DAYS};

/// When a reminder fires: some whole days before expiry, at expiry, or when rotation is due.
/// The derived order puts `DaysBefore` by its number first, then `AtExpiry`, then `RotationDue`.
/// Stored and sent as text: `"30d"`, `"expiry"`, `"rotation"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub enum Threshold {
    DaysBefore(u32),
    AtExpiry,
    RotationDue,
}

impl Threshold {
    /// The instant this threshold is crossed for a token, if the token has the date it needs.
    pub fn due_at(
        self,
        expires_at: Option<DateTime<Utc>>,
        rotation_due_at: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        match self {
            // A fixed number of 24-hour days before an instant: see `schedule` for why not calendar days.
            // Checked: an expiry read from the index may sit at the edge of what a date can hold.
            Threshold::DaysBefore(n) => expires_at.and_then(|t| expiry::add_days(t, -i64::from(n))),
            Threshold::AtExpiry => expires_at,
            Threshold::RotationDue => rotation_due_at,
        }
    }

    /// Expiry thresholds form one track, rotation another; each track notifies once per crossing.
    pub(crate) fn is_expiry(self) -> bool {
        !matches!(self, Threshold::RotationDue)
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Threshold::DaysBefore(n) => write!(f, "{n}d"),
            Threshold::AtExpiry => f.write_str("expiry"),
            Threshold::RotationDue => f.write_str("rotation"),
        }
    }
}

impl FromStr for Threshold {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "expiry" => Ok(Threshold::AtExpiry),
            "rotation" => Ok(Threshold::RotationDue),
            other => other
                .strip_suffix('d')
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|n| (1..=365).contains(n))
                .map(Threshold::DaysBefore)
                .ok_or_else(|| Error::invalid("threshold", format!("'{s}' is not one of: 1d..365d, expiry, rotation"))),
        }
    }
}

impl From<Threshold> for String {
    fn from(t: Threshold) -> String {
        t.to_string()
    }
}

/// The same text as `String::from`, spelled in a buffer on the stack rather than through the
/// formatter (the reminder index holds a few for each of 10,000 tokens).
impl Serialize for Threshold {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match *self {
            Threshold::DaysBefore(mut n) => {
                // Up to ten digits, then `d`, written from the end.
                let mut buf = [b'd'; 11];
                let mut start = buf.len() - 1;
                loop {
                    start -= 1;
                    buf[start] = b'0' + (n % 10) as u8;
                    n /= 10;
                    if n == 0 {
                        break;
                    }
                }
                serializer.serialize_str(std::str::from_utf8(&buf[start..]).unwrap_or_default())
            }
            Threshold::AtExpiry => serializer.serialize_str("expiry"),
            Threshold::RotationDue => serializer.serialize_str("rotation"),
        }
    }
}

impl TryFrom<String> for Threshold {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

/// How loudly to remind: maps to the notification urgency hint and the tray's attention state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Low,
    Normal,
    Critical,
}

impl Urgency {
    /// Critical: expired or at most `urgent_days` left; Normal: at most `warn_days` left; else Low.
    /// A rotation reminder is at least Normal: the token is overdue for something.
    pub fn of(
        threshold: Threshold,
        expires_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        warn_days: u32,
        urgent_days: u32,
    ) -> Urgency {
        let by_expiry = match expires_at.map(|t| expiry::days_left(t, now)) {
            // Negative once expired, so an expired token is always critical.
            Some(left) if left <= i64::from(urgent_days) => Urgency::Critical,
            Some(left) if left <= i64::from(warn_days) => Urgency::Normal,
            _ => Urgency::Low,
        };
        match threshold {
            Threshold::RotationDue => by_expiry.max(Urgency::Normal),
            _ => by_expiry,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::Critical => "critical",
        }
    }
}

/// One reminder: a token crossed (or, for `upcoming`, will cross) a threshold.
/// `name` and `provider` are `None` when it came from an index that could not be opened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub token_id: String,
    pub name: Option<String>,
    pub provider: Option<String>,
    pub threshold: Threshold,
    pub due_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub urgency: Urgency,
}

impl Reminder {
    /// "GitHub · deploy-bot expires in 7 days", "… expired 2 days ago", "… is due for rotation";
    /// without a name: "A token expires tomorrow — unlock to see which".
    pub fn title(&self, now: DateTime<Utc>) -> String {
        let what = match (self.threshold, self.expires_at) {
            (Threshold::RotationDue, _) | (_, None) => "is due for rotation".to_owned(),
            (_, Some(expires_at)) => expiry_phrase(expires_at, now),
        };
        match &self.name {
            Some(name) => match self.provider.as_deref().filter(|p| !p.is_empty()) {
                Some(provider) => format!("{provider} · {name} {what}"),
                None => format!("{name} {what}"),
            },
            None => format!("A token {what} — unlock to see which"),
        }
    }

    /// "Expires Fri 4 Dec 2026, 13:00 (UTC+01:00). Open Tokenwarden to rotate it.", in the
    /// computer's time zone (`TZ`, else /etc/localtime).
    pub fn body(&self, now: DateTime<Utc>) -> String {
        self.body_in(now, &chrono::Local)
    }

    /// [`Reminder::body`] with the moment told in the given time zone, the zone always named.
    pub fn body_in<Tz: TimeZone>(&self, now: DateTime<Utc>, zone: &Tz) -> String {
        let day = |t: DateTime<Utc>| local_moment(t.with_timezone(zone));
        let when = match (self.threshold, self.expires_at) {
            (Threshold::RotationDue, _) | (_, None) => format!("Rotation was due {}.", day(self.due_at)),
            (_, Some(t)) if t <= now => format!("Expired {}.", day(t)),
            (_, Some(t)) => format!("Expires {}.", day(t)),
        };
        let action = if self.name.is_some() {
            "Open Tokenwarden to rotate it."
        } else {
            "Unlock Tokenwarden to see which token, and rotate it."
        };
        format!("{when} {action}")
    }
}

/// "Fri 4 Dec 2026, 17:30 (UTC+05:30)", or "… (UTC)" where the offset is zero.
fn local_moment<Tz: TimeZone>(t: DateTime<Tz>) -> String {
    let seconds = t.offset().fix().local_minus_utc();
    let zone = if seconds == 0 {
        "UTC".to_owned()
    } else {
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    };
    format!("{} ({zone})", t.naive_local().format("%a %-d %b %Y, %H:%M"))
}

/// "expires in 7 days", "expires tomorrow", "expires today", "has expired", "expired yesterday",
/// "expired 2 days ago". Days are rounded to the nearest whole day before expiry, so a reminder
/// that fires a few seconds late still says "in 7 days".
fn expiry_phrase(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (expires_at - now).num_seconds();
    if secs > 0 {
        match (secs + 43_200) / 86_400 {
            0 => "expires today".to_owned(),
            1 => "expires tomorrow".to_owned(),
            n => format!("expires in {n} days"),
        }
    } else {
        match (-secs) / 86_400 {
            0 => "has expired".to_owned(),
            1 => "expired yesterday".to_owned(),
            n => format!("expired {n} days ago"),
        }
    }
}

/// One line for several reminders at once: "3 tokens expired, 2 expire this week".
/// `None` for zero or one reminder (one is said by its own title).
pub fn summary(due: &[Reminder], now: DateTime<Utc>) -> Option<String> {
    if due.len() < 2 {
        return None;
    }
    let week = now + Duration::days(7);
    let (mut expired, mut this_week, mut later, mut rotation) = (0, 0, 0, 0);
    for r in due {
        match (r.threshold, r.expires_at) {
            (Threshold::RotationDue, _) | (_, None) => rotation += 1,
            (_, Some(t)) if t <= now => expired += 1,
            (_, Some(t)) if t <= week => this_week += 1,
            _ => later += 1,
        }
    }
    // (count, verb for one, verb for many): the first part also names the noun.
    let parts = [
        (expired, "expired", "expired"),
        (this_week, "expires this week", "expire this week"),
        (later, "expires soon", "expire soon"),
        (rotation, "is due for rotation", "are due for rotation"),
    ];
    let mut words: Vec<String> = Vec::new();
    for (count, one, many) in parts.into_iter().filter(|(c, _, _)| *c > 0) {
        let verb = if count == 1 { one } else { many };
        if words.is_empty() {
            let noun = if count == 1 { "token" } else { "tokens" };
            words.push(format!("{count} {noun} {verb}"));
        } else {
            words.push(format!("{count} {verb}"));
        }
    }
    Some(words.join(", "))
}

/// Which thresholds remind, for the whole vault; a token may override `days_before`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// Whole days before expiry; default 30, 7 and 1.
    pub days_before: Vec<u32>,
    /// Remind when a token expires; default on.
    pub at_expiry: bool,
    /// Remind when a token's age passes its rotation policy; default on.
    pub rotation: bool,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { days_before: vec![30, 7, 1], at_expiry: true, rotation: true }
    }
}

impl Thresholds {
    pub fn from_settings(settings: &Settings) -> Thresholds {
        Thresholds { days_before: settings.reminder_days.clone(), ..Thresholds::default() }
    }

    /// The thresholds of one token, sorted: its own day list if it has one, else the vault's.
    pub fn for_token(
        &self,
        own_days: Option<&[u32]>,
        expires_at: Option<DateTime<Utc>>,
        rotation_due_at: Option<DateTime<Utc>>,
    ) -> Vec<Threshold> {
        let mut out: Vec<Threshold> = Vec::new();
        if expires_at.is_some() {
            out.extend(own_days.unwrap_or(&self.days_before).iter().map(|&d| Threshold::DaysBefore(d)));
            if self.at_expiry {
                out.push(Threshold::AtExpiry);
            }
        }
        if self.rotation && rotation_due_at.is_some() {
            out.push(Threshold::RotationDue);
        }
        out.sort();
        out.dedup();
        out
    }
}

/// A provider's name as the catalog spells it (`github` → `GitHub`); nothing for `generic`.
pub fn provider_label(id: &str) -> String {
    if id == tokenwarden_providers::ProviderId::generic().as_str() {
        return String::new();
    }
    tokenwarden_providers::display_name(id)
}

#[cfg(test)]
mod tests;
