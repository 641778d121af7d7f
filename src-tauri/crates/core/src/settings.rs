//! User settings kept inside the vault (so they are encrypted and travel with backups).
//! Each setting has a default; only changed values are stored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit_log::{self, EventKind};
use crate::error::{Error, Result};
use crate::store;
use crate::vault::Vault;

/// The most day-before thresholds a vault or a token may have.
pub const MAX_REMINDER_DAYS: usize = 10;

/// Checks a list of day-before reminder thresholds: each 1..=365, at most ten. An empty list is
/// allowed (only the at-expiry reminder then).
pub fn validate_days(field: &str, days: &[u32]) -> Result<()> {
    if days.len() > MAX_REMINDER_DAYS {
        return Err(Error::invalid(field, format!("at most {MAX_REMINDER_DAYS} reminders before expiry")));
    }
    if let Some(bad) = days.iter().find(|d| !(1..=365).contains(*d)) {
        return Err(Error::invalid(field, format!("{bad} is not between 1 and 365 days")));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Settings {
    /// Lock after this many seconds without input.
    pub auto_lock_secs: u32,
    /// Clear a copied secret from the clipboard after this many seconds.
    pub clipboard_clear_secs: u32,
    /// A token is "warning" at or under this many days left.
    pub warn_days: u32,
    /// A token is "urgent" at or under this many days left.
    pub urgent_days: u32,
    /// `system`, `light` or `dark`.
    #[cfg_attr(feature = "ts", ts(type = "\"system\" | \"light\" | \"dark\""))]
    pub theme: String,
    /// Remind this many whole days before a token expires (besides at expiry); a token may
    /// override it. Each 1..=365, at most ten.
    pub reminder_days: Vec<u32>,
    /// Lock the vault when its window is closed; when off, the window process stays in the background
    /// with the vault open until it locks by itself (auto-lock, the tray's Lock, the screen locking).
    pub lock_on_close: bool,
    /// Lock the vault when the desktop's screen locks (the screensaver or logind says so).
    pub lock_on_screen_lock: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_lock_secs: 300,
            clipboard_clear_secs: 20,
            warn_days: 30,
            urgent_days: 7,
            theme: "system".to_owned(),
            reminder_days: vec![30, 7, 1],
            lock_on_close: true,
            lock_on_screen_lock: true,
        }
    }
}

impl Settings {
    pub fn validate(&self) -> Result<()> {
        Settings::check_attention_days(self.warn_days, self.urgent_days)?;
        if !(5..=3600).contains(&self.clipboard_clear_secs) {
            return Err(Error::invalid("clipboard_clear_secs", "must be between 5 and 3600 seconds"));
        }
        if !(30..=86_400).contains(&self.auto_lock_secs) {
            return Err(Error::invalid("auto_lock_secs", "must be between 30 seconds and 24 hours"));
        }
        if !["system", "light", "dark"].contains(&self.theme.as_str()) {
            return Err(Error::invalid("theme", "must be system, light or dark"));
        }
        validate_days("reminder_days", &self.reminder_days)?;
        Ok(())
    }

    /// Checks the warning and urgent thresholds wherever they come from (a form, the settings
    /// row, the reminder index): each 1..=365 days, urgent not more than warn.
    pub fn check_attention_days(warn_days: u32, urgent_days: u32) -> Result<()> {
        if !(1..=365).contains(&warn_days) {
            return Err(Error::invalid("warn_days", format!("{warn_days} is not between 1 and 365 days")));
        }
        if !(1..=365).contains(&urgent_days) {
            return Err(Error::invalid("urgent_days", format!("{urgent_days} is not between 1 and 365 days")));
        }
        if urgent_days > warn_days {
            return Err(Error::invalid("urgent_days", "must not be more than warn_days"));
        }
        Ok(())
    }
}

const KEY: &str = "user";

impl Vault {
    /// The stored settings, or the defaults. A stored value out of range (written by an older or
    /// altered vault) is not trusted: the defaults are used and a warning goes to stderr.
    pub fn settings(&self) -> Result<Settings> {
        let raw = store::settings::get(&self.conn, KEY)?;
        let settings: Settings = raw.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or_default();
        if let Err(problem) = settings.validate() {
            eprintln!("tokenwarden: ignoring the stored settings ({problem}); using the defaults");
            return Ok(Settings::default());
        }
        Ok(settings)
    }

    pub fn save_settings(&mut self, settings: &Settings, now: DateTime<Utc>) -> Result<()> {
        settings.validate()?;
        let value = serde_json::to_string(settings).map_err(|e| Error::Internal(e.to_string()))?;
        let tx = self.conn.transaction()?;
        store::settings::put(&tx, KEY, &value)?;
        audit_log::append(&tx, &self.keys.audit, now, EventKind::SettingsChanged, None, &serde_json::json!({}))?;
        tx.commit()?;
        // Thresholds and warning days are in the reminder index.
        self.refresh_reminder_index();
        Ok(())
    }
}

impl Vault {
    /// A settings entry of its own (not part of [`Settings`]), as JSON; `None` when never set
    /// (or unreadable: every such entry has a safe default).
    pub(crate) fn setting_json<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let raw = store::settings::get(&self.conn, key)?;
        Ok(raw.and_then(|r| serde_json::from_str(&r).ok()))
    }

    /// Writes a settings entry of its own and logs the change (the key's name, not its value).
    pub(crate) fn set_setting_json<T: Serialize>(&mut self, key: &str, value: &T, now: DateTime<Utc>) -> Result<()> {
        let value = serde_json::to_string(value).map_err(|e| Error::Internal(e.to_string()))?;
        let tx = self.conn.transaction()?;
        store::settings::put(&tx, key, &value)?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::SettingsChanged,
            None,
            &serde_json::json!({ "key": key }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use secrecy::SecretString;

    #[test]
    fn attention_days_out_of_range_are_refused_when_saved() {
        for (warn, urgent) in [(0, 0), (366, 7), (30, 0), (4_000_000_000, 7), (7, 30)] {
            let settings = Settings { warn_days: warn, urgent_days: urgent, ..Settings::default() };
            assert!(settings.validate().is_err(), "{warn}/{urgent}");
        }
        assert!(Settings { warn_days: 365, urgent_days: 1, ..Settings::default() }.validate().is_ok());
    }

    #[test]
    fn settings_stored_before_the_lock_choices_existed_lock_on_close_and_on_screen_lock() {
        let older: Settings = serde_json::from_value(serde_json::json!({
            "auto_lock_secs": 600, "clipboard_clear_secs": 20, "warn_days": 30, "urgent_days": 7,
            "theme": "dark", "reminder_days": [7]
        }))
        .unwrap();
        assert!(older.lock_on_close && older.lock_on_screen_lock);
        assert_eq!(older.auto_lock_secs, 600, "the stored values are kept");
        let chosen: Settings =
            serde_json::from_value(serde_json::json!({ "lock_on_close": false, "lock_on_screen_lock": false }))
                .unwrap();
        assert!(!chosen.lock_on_close && !chosen.lock_on_screen_lock);
    }

    #[test]
    fn stored_settings_out_of_range_are_ignored_for_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let cheap = crate::KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
        let vault = Vault::create(&dir.path().join("v"), &SecretString::from("test password"), cheap, now).unwrap();
        let hostile = serde_json::json!({ "warn_days": 4_000_000_000u32, "urgent_days": 4_000_000_000u32 });
        store::settings::put(&vault.conn, KEY, &hostile.to_string()).unwrap();
        assert_eq!(vault.settings().unwrap(), Settings::default());
        // The reminder index written from them carries the defaults, not the hostile values.
        vault.write_reminder_index().unwrap();
        let index = crate::reminders::ReminderIndex::read(vault.dir(), &crate::keystore::MemoryKeyStore::default());
        assert_eq!(index.unwrap().warn_days, Settings::default().warn_days);
    }
}
