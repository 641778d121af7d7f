//! What the scheduler already did: reminders sent, snoozed and dismissed. Kept in `reminders.state`
//! beside the vault (not inside it) so it works while the vault is locked; it holds token ids,
//! thresholds and times only — never a name, a hint or a secret. The file carries a MAC and the
//! generation it shares with `reminders.idx` (see `auth`): dismissals and snoozes count only when
//! both check out; reminders already sent are never sent twice either way.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;

use super::auth::{ReminderKey, Verdict};
use super::{index, IndexEntry, Reminder, ReminderIndex, Schedule, Threshold};
use crate::error::{Error, Result};

pub const STATE_FILE: &str = "reminders.state";
/// 2: the file carries a generation and a MAC.
const VERSION: u32 = 2;

/// A reminder that was sent. `due_at` pins it to one expiry: a renewed token has new due times,
/// so its reminders fire again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Sent {
    token_id: String,
    threshold: Threshold,
    due_at: DateTime<Utc>,
    sent_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Snoozed {
    token_id: String,
    threshold: Threshold,
    until: DateTime<Utc>,
}

/// A dismissed reminder. Without `due_at` it holds for every expiry of the token, renewed or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Dismissed {
    token_id: String,
    threshold: Threshold,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due_at: Option<DateTime<Utc>>,
}

/// Sent, snoozed and dismissed reminders. Load it, change it, save it; `compute` only reads it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReminderState {
    #[serde(default)]
    version: u32,
    #[serde(default)]
    sent: Vec<Sent>,
    #[serde(default)]
    snoozed: Vec<Snoozed>,
    #[serde(default)]
    dismissed: Vec<Dismissed>,
    /// Shared with `reminders.idx`; 0 in files of version 1.
    #[serde(default)]
    generation: u64,
    /// HMAC over the file as written without this field; absent in files of version 1 and in
    /// files written while no key was at hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mac: Option<String>,
    /// What could be established about the file when it was loaded (a missing file: verified).
    #[serde(skip)]
    verdict: Verdict,
}

impl ReminderState {
    /// Reads `reminders.state` from `dir` and checks it with `key` against `index` (read with the
    /// same key); a missing file is an empty state. A file that fails the checks, or carries no MAC,
    /// keeps what was sent (so nothing is notified twice) but loses its snoozes and dismissals:
    /// they could silence a reminder. Without a key nothing can be checked and the file counts as it
    /// is (only the app, while locked with the keyring off, reads it that way). `verdict` says which.
    pub fn load(dir: &Path, key: Option<&ReminderKey>, index: &ReminderIndex) -> Result<ReminderState> {
        let path = dir.join(STATE_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ReminderState::default()),
            Err(e) => return Err(Error::Io { path, source: e }),
        };
        let mut state: ReminderState = serde_json::from_slice(&bytes)
            .map_err(|e| Error::Corrupt { path: path.clone(), detail: format!("not a reminder state: {e}") })?;
        if state.version > VERSION {
            return Err(Error::invalid(
                "reminders",
                format!("{} was written by a newer Tokenwarden; update Tokenwarden", path.display()),
            ));
        }
        state.verdict = match key {
            None => Verdict::NoKey,
            Some(key) => state.check(key, index)?,
        };
        if matches!(state.verdict, Verdict::Unsigned | Verdict::Invalid(_)) {
            state.snoozed.clear();
            state.dismissed.clear();
        }
        Ok(state)
    }

    fn check(&mut self, key: &ReminderKey, index: &ReminderIndex) -> Result<Verdict> {
        let Some(tag) = self.mac.take() else { return Ok(Verdict::Unsigned) };
        let ok = key.verify(STATE_FILE, &self.body()?, &tag);
        self.mac = Some(tag);
        let generation = self.generation;
        Ok(match index.generation {
            _ if !ok => Verdict::Invalid("its MAC does not match: edited by hand, or from another vault".into()),
            _ if generation < key.floor => Verdict::Invalid(format!(
                "an older copy was put back: generation {generation}, the vault wrote {}",
                key.floor
            )),
            None => Verdict::Invalid("the reminder index beside it could not be verified".into()),
            Some(current) if generation < current => Verdict::Invalid(format!(
                "an older copy was put back: generation {generation}, the reminder index is at {current}"
            )),
            Some(current) if generation != current => Verdict::Invalid(format!(
                "it does not match the reminder index (generation {generation}, index {current})"
            )),
            Some(_) => Verdict::Verified,
        })
    }

    /// The bytes the MAC covers: the file as written, without the MAC.
    fn body(&self) -> Result<Vec<u8>> {
        let mut copy = self.clone();
        copy.mac = None;
        serde_json::to_vec(&copy).map_err(|e| Error::Internal(e.to_string()))
    }

    /// What could be established about the file when it was loaded.
    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }

    /// The file's generation, if it was verified.
    pub(crate) fn verified_generation(&self) -> Option<u64> {
        self.verdict.is_verified().then_some(self.generation)
    }

    /// Writes `reminders.state` atomically, mode 0600. With `key`, authenticated under a new
    /// generation, which `reminders.idx` then takes too (when it verifies); without one (the app
    /// while locked with the keyring off), unauthenticated: its snoozes and dismissals will not count
    /// once a key is at hand again.
    pub fn save(&mut self, dir: &Path, key: Option<&ReminderKey>) -> Result<()> {
        let Some(key) = key else {
            self.version = VERSION;
            self.mac = None;
            let bytes = serde_json::to_vec_pretty(&*self).map_err(|e| Error::Internal(e.to_string()))?;
            return crate::files::write_atomic(&dir.join(STATE_FILE), &bytes, true);
        };
        let generation = [Some(key.floor), index::verified_generation(dir, key), self.verified_generation()]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        self.write_signed(dir, key, generation)?;
        index::restamp(dir, key, generation)
    }

    /// Writes the file under `key` with `generation`; from now on it counts as verified.
    pub(crate) fn write_signed(&mut self, dir: &Path, key: &ReminderKey, generation: u64) -> Result<()> {
        self.version = VERSION;
        self.generation = generation;
        self.mac = None;
        let tag = key.tag(STATE_FILE, &self.body()?);
        self.mac = Some(tag);
        let bytes = serde_json::to_vec_pretty(&*self).map_err(|e| Error::Internal(e.to_string()))?;
        crate::files::write_atomic(&dir.join(STATE_FILE), &bytes, true)?;
        self.verdict = Verdict::Verified;
        Ok(())
    }

    /// Records that `r` was sent (or shown): it will not be due again for this expiry.
    pub fn mark_sent(&mut self, r: &Reminder, now: DateTime<Utc>) {
        if !self.was_sent(&r.token_id, r.threshold, r.due_at) {
            self.sent.push(Sent {
                token_id: r.token_id.clone(),
                threshold: r.threshold,
                due_at: r.due_at,
                sent_at: now,
            });
        }
        self.snoozed.retain(|s| !(s.token_id == r.token_id && s.threshold == r.threshold));
    }

    /// Marks everything a schedule delivered: `due` (sent) and `covered` (folded into them).
    pub fn mark_schedule_sent(&mut self, schedule: &Schedule, now: DateTime<Utc>) {
        for r in schedule.due.iter().chain(&schedule.covered) {
            self.mark_sent(r, now);
        }
    }

    /// Holds this reminder back until `until`; it is due again then (even if it was sent).
    pub fn snooze(&mut self, token_id: &str, threshold: Threshold, until: DateTime<Utc>) {
        self.snoozed.retain(|s| !(s.token_id == token_id && s.threshold == threshold));
        self.snoozed.push(Snoozed { token_id: token_id.to_owned(), threshold, until });
        // A snoozed reminder comes back: forget that it was sent, or it would stay silent.
        self.sent.retain(|s| !(s.token_id == token_id && s.threshold == threshold));
    }

    /// Silences every listed threshold of a token until `until` (a notification's "Snooze" buttons,
    /// `remind --snooze`): neither the reminder now due nor the next one fires before then.
    pub fn snooze_token(&mut self, token_id: &str, thresholds: &[Threshold], until: DateTime<Utc>) {
        for threshold in thresholds {
            self.snooze(token_id, *threshold, until);
        }
    }

    /// Never remind of this threshold of this token again, whatever its expiry becomes.
    pub fn dismiss(&mut self, token_id: &str, threshold: Threshold) {
        self.push_dismissal(token_id, threshold, None);
    }

    /// Dismisses one reminder: a renewed expiry brings its threshold back.
    pub fn dismiss_reminder(&mut self, r: &Reminder) {
        self.push_dismissal(&r.token_id, r.threshold, Some(r.due_at));
    }

    fn push_dismissal(&mut self, token_id: &str, threshold: Threshold, due_at: Option<DateTime<Utc>>) {
        self.snoozed.retain(|s| !(s.token_id == token_id && s.threshold == threshold));
        let entry = Dismissed { token_id: token_id.to_owned(), threshold, due_at };
        if !self.dismissed.contains(&entry) {
            self.dismissed.push(entry);
        }
    }

    /// Forgets tokens that are no longer in the index (purged, archived), so the file stays small.
    pub fn retain_tokens(&mut self, entries: &[IndexEntry]) {
        let known = |id: &str| entries.iter().any(|e| e.token_id == id);
        self.sent.retain(|s| known(&s.token_id));
        self.snoozed.retain(|s| known(&s.token_id));
        self.dismissed.retain(|d| known(&d.token_id));
    }

    pub(crate) fn was_sent(&self, token_id: &str, threshold: Threshold, due_at: DateTime<Utc>) -> bool {
        self.sent.iter().any(|s| s.token_id == token_id && s.threshold == threshold && s.due_at == due_at)
    }

    pub(crate) fn is_dismissed(&self, token_id: &str, threshold: Threshold, due_at: DateTime<Utc>) -> bool {
        self.dismissed
            .iter()
            .any(|d| d.token_id == token_id && d.threshold == threshold && d.due_at.is_none_or(|t| t == due_at))
    }

    /// When a snooze of this reminder ends, if one is in force at `now`.
    pub(crate) fn snoozed_until(
        &self,
        token_id: &str,
        threshold: Threshold,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        self.snoozed
            .iter()
            .find(|s| s.token_id == token_id && s.threshold == threshold && s.until > now)
            .map(|s| s.until)
    }
}
