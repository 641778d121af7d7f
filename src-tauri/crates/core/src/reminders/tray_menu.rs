//! What the tray shows, as a pure model (icon state, tooltip, menu items) computed from the reminder
//! index at `now`; the tray process draws it. Nothing here decides what is due (that is `schedule`).

use chrono::{DateTime, Duration, Utc};

use super::IndexEntry;
use crate::expiry;

/// How many upcoming expiries the menu lists.
pub const MENU_TOKENS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayIconState {
    Normal,
    /// Something expires within the warning threshold, or has expired.
    Attention,
    Locked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayItem {
    /// An upcoming expiry, "deploy-bot — in 6 days"; clicking opens the token.
    Token {
        id: String,
        label: String,
    },
    /// A line of text that does nothing ("No tokens expire").
    Note(String),
    Separator,
    Open,
    Lock {
        enabled: bool,
    },
    Quit,
}

impl TrayItem {
    pub fn label(&self) -> &str {
        match self {
            TrayItem::Token { label, .. } | TrayItem::Note(label) => label,
            TrayItem::Separator => "",
            TrayItem::Open => "Open Tokenwarden",
            TrayItem::Lock { .. } => "Lock",
            TrayItem::Quit => "Quit",
        }
    }
}

/// Open high-severity monitor alerts turn the icon to attention and lead the tooltip.
pub fn with_alerts(model: &mut TrayModel, high_alerts: usize) {
    if high_alerts == 0 {
        return;
    }
    model.icon = TrayIconState::Attention;
    let what = if high_alerts == 1 { "1 alert".to_owned() } else { format!("{high_alerts} alerts") };
    model.tooltip = model.tooltip.replacen("Tokenwarden: ", &format!("Tokenwarden: {what} to look at; "), 1);
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayModel {
    pub icon: TrayIconState,
    pub tooltip: String,
    pub items: Vec<TrayItem>,
}

/// What the tray shows for `entries` at `now`. Attention wins over locked: reminders work while
/// locked, and an expiring token matters more than the lock state.
pub fn menu_model(entries: &[IndexEntry], now: DateTime<Utc>, locked: bool, warn_days: u32) -> TrayModel {
    let mut expiring: Vec<(&IndexEntry, DateTime<Utc>)> =
        entries.iter().filter_map(|e| e.expires_at.map(|t| (e, t))).collect();
    expiring.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.token_id.cmp(&b.0.token_id)));

    let warn = now + Duration::days(i64::from(warn_days));
    let icon = if expiring.iter().any(|(_, t)| *t <= warn) {
        TrayIconState::Attention
    } else if locked {
        TrayIconState::Locked
    } else {
        TrayIconState::Normal
    };
    let week = expiring.iter().filter(|(_, t)| *t <= now + Duration::days(7)).count();
    let mut tooltip = match week {
        0 => "Tokenwarden: nothing due this week".to_owned(),
        n => format!("Tokenwarden: {n} due this week"),
    };
    if locked {
        tooltip.push_str(" (locked)");
    }

    let mut items: Vec<TrayItem> = expiring
        .iter()
        .take(MENU_TOKENS)
        .map(|(e, t)| TrayItem::Token {
            id: e.token_id.clone(),
            label: format!("{} — {}", e.name.as_deref().unwrap_or("A token"), expiry::countdown(Some(*t), now)),
        })
        .collect();
    if items.is_empty() {
        items.push(TrayItem::Note("No tokens expire".to_owned()));
    }
    items.extend([TrayItem::Separator, TrayItem::Open, TrayItem::Lock { enabled: !locked }, TrayItem::Quit]);
    TrayModel { icon, tooltip, items }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
    }

    fn entry(id: &str, name: Option<&str>, days: Option<i64>) -> IndexEntry {
        IndexEntry {
            token_id: id.to_owned(),
            name: name.map(str::to_owned),
            provider: Some("GitHub".to_owned()),
            expires_at: days.map(|d| now() + Duration::days(d)),
            rotation_due_at: None,
            since: None,
            thresholds: Vec::new(),
        }
    }

    fn labels(model: &TrayModel) -> Vec<&str> {
        model.items.iter().map(TrayItem::label).collect()
    }

    #[test]
    fn menu_lists_the_next_five_expiries_soonest_first_then_open_lock_quit() {
        let entries = [
            entry("a", Some("later"), Some(60)),
            entry("b", Some("deploy-bot"), Some(6)),
            entry("c", Some("no expiry"), None),
            entry("d", Some("gone"), Some(-2)),
            entry("e", Some("e"), Some(100)),
            entry("f", Some("f"), Some(200)),
            entry("g", Some("g"), Some(300)),
        ];
        let model = menu_model(&entries, now(), false, 30);
        assert_eq!(
            labels(&model),
            [
                "gone — expired 2 days ago",
                "deploy-bot — in 6 days",
                "later — in 2 months",
                "e — in 3 months",
                "f — in 7 months",
                "",
                "Open Tokenwarden",
                "Lock",
                "Quit"
            ]
        );
        assert_eq!(model.items[1], TrayItem::Token { id: "b".into(), label: "deploy-bot — in 6 days".into() });
        assert_eq!(model.items[5], TrayItem::Separator);
        assert_eq!(model.items[7], TrayItem::Lock { enabled: true });
    }

    #[test]
    fn tooltip_counts_what_is_due_this_week_including_expired() {
        let entries = [entry("a", Some("a"), Some(6)), entry("b", Some("b"), Some(-1)), entry("c", Some("c"), Some(8))];
        assert_eq!(menu_model(&entries, now(), false, 30).tooltip, "Tokenwarden: 2 due this week");
        assert_eq!(menu_model(&entries[2..], now(), false, 30).tooltip, "Tokenwarden: nothing due this week");
        assert_eq!(menu_model(&[], now(), true, 30).tooltip, "Tokenwarden: nothing due this week (locked)");
    }

    #[test]
    fn icon_is_attention_within_the_warning_threshold_else_locked_or_normal() {
        let soon = [entry("a", Some("a"), Some(20))];
        let far = [entry("a", Some("a"), Some(40))];
        assert_eq!(menu_model(&soon, now(), false, 30).icon, TrayIconState::Attention);
        assert_eq!(menu_model(&soon, now(), true, 30).icon, TrayIconState::Attention);
        assert_eq!(menu_model(&soon, now(), false, 14).icon, TrayIconState::Normal);
        assert_eq!(menu_model(&far, now(), true, 30).icon, TrayIconState::Locked);
        assert_eq!(menu_model(&far, now(), false, 30).icon, TrayIconState::Normal);
    }

    #[test]
    fn locked_without_names_says_a_token_and_disables_lock() {
        let model = menu_model(&[entry("a", None, Some(3))], now(), true, 30);
        assert_eq!(labels(&model), ["A token — in 3 days", "", "Open Tokenwarden", "Lock", "Quit"]);
        assert_eq!(model.items[3], TrayItem::Lock { enabled: false });
    }

    #[test]
    fn an_open_high_alert_turns_the_icon_to_attention_and_leads_the_tooltip() {
        let mut model = menu_model(&[entry("a", Some("a"), Some(40))], now(), false, 30);
        with_alerts(&mut model, 0);
        assert_eq!(model.icon, TrayIconState::Normal);
        with_alerts(&mut model, 2);
        assert_eq!(model.icon, TrayIconState::Attention);
        assert_eq!(model.tooltip, "Tokenwarden: 2 alerts to look at; nothing due this week");
    }

    #[test]
    fn nothing_expiring_shows_a_note_instead_of_tokens() {
        let model = menu_model(&[entry("a", Some("a"), None)], now(), false, 30);
        assert_eq!(labels(&model), ["No tokens expire", "", "Open Tokenwarden", "Lock", "Quit"]);
    }
}
