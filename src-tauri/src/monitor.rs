//! The monitor's background loop: while the vault is unlocked, a pass every minute checks what
//! the core's schedule says is due (waiting for providers with the vault free), records the
//! answers, sends each new high-severity alert as a desktop notification once, and has the tray
//! follow. Locked, it does nothing. It decides nothing itself: schedule and alerts are the core's.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokenwarden_core::display_text::one_line;
use tokenwarden_core::health::Severity;
use tokenwarden_core::monitor::{Alert, PassReport, ScheduleConfig};
use tokenwarden_core::provider_api::LiveApi;
use tokenwarden_core::reminders::Urgency;
use tokenwarden_core::Vault;

use crate::notifier::{Notice, NoticeKind, Notifier};
use crate::state::Session;
use crate::ReminderTrigger;

/// Sent to the UI when alerts were raised or acknowledged by the loop (it reloads `alerts_list`).
pub const ALERTS_EVENT: &str = "alerts-changed";

/// How often the loop asks the schedule; a pass with nothing due makes no call.
const TICK: Duration = Duration::from_secs(60);

/// The notification for a high alert: the token's name and what was seen; clicking opens it.
pub fn alert_notice(alert: &Alert) -> Notice {
    let what = match alert.kind.as_str() {
        "drift" => "changed at the provider",
        "died" => "was refused by the provider",
        "still_in_use" => "is still in use after rotation",
        _ => "was used unusually",
    };
    Notice {
        title: format!("{} {what}", one_line(&alert.token_name)),
        body: alert.evidence.clone(),
        urgency: Urgency::Critical,
        token_id: Some(alert.token_id.clone()),
        kind: NoticeKind::Alert,
    }
}

/// Open high-severity alerts (the tray shows attention while there are any).
pub fn high_alerts(vault: &Vault) -> usize {
    vault.open_alerts().map_or(0, |alerts| alerts.iter().filter(|a| a.severity == Severity::High).count())
}

/// One notification for several alerts at once (the reminders' rule): a line per alert, and a
/// click opens the app.
pub fn alerts_summary(alerts: &[Alert]) -> Notice {
    const LISTED: usize = 5;
    let mut lines: Vec<String> =
        alerts.iter().take(LISTED).map(|a| one_line(&alert_notice(a).title).into_owned()).collect();
    if alerts.len() > LISTED {
        lines.push(format!("and {} more", alerts.len() - LISTED));
    }
    Notice {
        title: format!("{} monitor alerts need attention", alerts.len()),
        body: lines.join("\n"),
        urgency: Urgency::Critical,
        token_id: None,
        kind: NoticeKind::Alert,
    }
}

/// Notifies every open high alert not yet notified, once each (one summary when several are
/// pending): what the notifier took is marked, what it did not is tried again next time, an
/// acknowledged alert never. Returns how many alerts were told. Does nothing while locked.
pub fn notify_alerts(session: &Session, notifier: &dyn Notifier, now: DateTime<Utc>) -> usize {
    let pending = session.peek(|v| v.alerts_to_notify(now)).and_then(Result::ok).unwrap_or_default();
    let notice = match pending.as_slice() {
        [] => return 0,
        [one] => alert_notice(one),
        several => alerts_summary(several),
    };
    if notifier.notify(&notice).is_err() {
        return 0;
    }
    let _ = session.peek_mut(|v| pending.iter().try_for_each(|a| v.mark_alert_notified(&a.id, now)));
    pending.len()
}

/// "Snooze" on a token's alert notification: its alerts are said again after `days`. Needs the
/// vault open, as the alerts are in it (locked, the snooze is not kept and the alert stays said).
pub fn snooze(session: &Session, token_id: &str, days: u32, now: DateTime<Utc>) -> bool {
    let until = now + chrono::Duration::days(i64::from(days));
    matches!(session.peek_mut(|v| v.snooze_alerts(token_id, until)), Some(Ok(())))
}

/// One pass: plan and open the secrets with the vault, ask the providers without it, record with
/// it. `None` when the vault is locked (or locked during the calls: their answers are dropped).
pub fn run_pass(session: &Session, now: DateTime<Utc>) -> Option<tokenwarden_core::Result<PassReport>> {
    let config = ScheduleConfig::default();
    let prepared = session.peek(|v| {
        let api = LiveApi::for_vault(v)?;
        let jobs = v.monitor_jobs(&api, now, &config)?;
        Ok::<_, tokenwarden_core::Error>((api, jobs))
    })?;
    let (api, jobs) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return Some(Err(error)),
    };
    let answers = jobs.run(&api);
    session.peek_mut(|v| v.monitor_finish(&api, answers, now, &config))
}

/// The loop's thread name, which `make bench` finds it by to measure its idle cost.
pub const THREAD_NAME: &str = "tw-monitor";

/// Starts the loop on a thread of its own.
pub fn spawn<R: Runtime>(app: AppHandle<R>, notifier: Arc<dyn Notifier>) {
    let started = std::thread::Builder::new().name(THREAD_NAME.to_owned()).spawn(move || loop {
        let session = app.state::<Session>();
        let now = Utc::now();
        let raised = match run_pass(&session, now) {
            Some(Ok(report)) => !report.alerts.is_empty(),
            Some(Err(error)) => {
                eprintln!("tokenwarden: monitor: {error}");
                false
            }
            None => false,
        };
        let sent = notify_alerts(&session, notifier.as_ref(), now);
        if raised {
            let _ = app.emit(ALERTS_EVENT, ());
        }
        if raised || sent > 0 {
            // The reminders loop owns the tray: it redraws it with the alerts counted.
            app.state::<ReminderTrigger>().poke();
        }
        std::thread::sleep(TICK);
    });
    if let Err(error) = started {
        eprintln!("tokenwarden: monitor: could not start: {error}");
    }
}
