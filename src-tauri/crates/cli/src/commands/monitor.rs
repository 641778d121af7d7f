//! `monitor --once`: one monitor pass now (the checks that are due, the alerts they raise), for
//! cron. The schedule, consent and back-off live in the core; this prints what happened.

use chrono::{DateTime, Utc};
use tokenwarden_core::monitor::ScheduleConfig;

use crate::args::{Global, MonitorArgs};
use crate::failure::{CliResult, Failure};
use crate::output::{field, print_json, print_table};
use crate::vault_access;

pub fn run(global: &Global, args: MonitorArgs, now: DateTime<Utc>) -> CliResult {
    debug_assert!(args.once, "clap requires --once");
    let mut vault = vault_access::unlock(global)?;
    let api = vault_access::provider_api(&vault)?;
    let report = vault.monitor_pass(&api, now, &ScheduleConfig::default())?;
    if global.json {
        print_json(&report);
    } else if !report.enabled {
        crate::say!("The monitor is turned off for this vault: nothing was checked.");
    } else {
        if report.checks.is_empty() {
            crate::say!("No token is due for a check.");
        } else {
            let rows: Vec<Vec<String>> = report
                .checks
                .iter()
                .map(|c| {
                    vec![
                        field(&c.token_name).into_owned(),
                        c.provider.clone(),
                        c.result.clone(),
                        c.detail.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            print_table(&["TOKEN", "PROVIDER", "RESULT", "DETAIL"], &rows);
        }
        if !report.alerts.is_empty() {
            let rows: Vec<Vec<String>> = report
                .alerts
                .iter()
                .map(|a| {
                    vec![
                        format!("{:?}", a.severity).to_lowercase(),
                        a.kind.as_str().to_owned(),
                        field(&a.token_name).into_owned(),
                        a.evidence.clone(),
                    ]
                })
                .collect();
            print_table(&["SEVERITY", "ALERT", "TOKEN", "EVIDENCE"], &rows);
        }
        if let Some(next) = report.next_check {
            crate::say!("Next check due at {}.", tokenwarden_core::timestamp::encode(next));
        }
    }
    if !report.alerts.is_empty() {
        return Err(Failure::alerts(format!("the monitor raised {} new alert(s)", report.alerts.len())));
    }
    let failed = report.checks.iter().filter(|c| !matches!(c.result.as_str(), "valid" | "invalid")).count();
    if failed > 0 {
        return Err(Failure::provider(format!("{failed} due check(s) could not be made; they are retried later")));
    }
    Ok(())
}
