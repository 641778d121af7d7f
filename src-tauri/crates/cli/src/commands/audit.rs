//! `audit [--fail-on SEVERITY]`, `audit dismiss TOKEN FINDING --reason R`, `audit reviewed TOKEN`.

use chrono::{DateTime, Utc};
use tokenwarden_core::health::{AuditSettings, FindingKind, Severity};

use crate::args::{AuditAction, AuditArgs, Global};
use crate::failure::{CliResult, Failure};
use crate::output::{field, print_json, print_table};
use crate::vault_access;

pub fn run(global: &Global, args: AuditArgs, now: DateTime<Utc>) -> CliResult {
    // Checked before the vault is opened: a typo must not cost a password prompt.
    let fail_on = args.fail_on.as_deref().map(str::parse::<Severity>).transpose()?;
    let mut vault = vault_access::unlock(global)?;
    let settings = AuditSettings { warn_days: vault.settings()?.warn_days, ..AuditSettings::default() };
    match args.action {
        Some(AuditAction::Dismiss { token, finding, reason }) => {
            let kind: FindingKind = finding.parse()?;
            let token = vault.resolve(&token)?;
            let dismissed = vault.dismiss_finding(&token.id, kind, &reason, now, &settings)?;
            if global.json {
                print_json(&dismissed);
            } else {
                crate::say!("Dismissed '{}' for {} until its evidence changes.", kind.as_str(), field(&token.name));
            }
            return Ok(());
        }
        Some(AuditAction::Reviewed { token }) => {
            let token = vault.resolve(&token)?;
            vault.mark_scopes_reviewed(&token.id, now)?;
            if !global.json {
                crate::say!("Recorded a review of {}'s scopes.", field(&token.name));
            }
            return Ok(());
        }
        None => {}
    }
    let findings = vault.audit(now, &settings)?;
    if global.json {
        print_json(&findings);
    } else if findings.is_empty() {
        crate::say!("No findings: every token looks healthy.");
    } else {
        let rows: Vec<Vec<String>> = findings
            .iter()
            .map(|f| {
                vec![
                    format!("{:?}", f.severity).to_lowercase(),
                    f.kind.as_str().to_owned(),
                    f.token_name.clone(),
                    f.provider.clone(),
                    f.evidence.clone(),
                    format!("{:?}", f.fix).to_lowercase(),
                ]
            })
            .collect();
        print_table(&["SEVERITY", "FINDING", "TOKEN", "PROVIDER", "EVIDENCE", "FIX"], &rows);
    }
    if let Some(threshold) = fail_on {
        let over = findings.iter().filter(|f| f.severity <= threshold).count();
        if over > 0 {
            return Err(Failure::findings(
                format!("{over} finding(s) at or above {:?} severity", threshold).to_lowercase(),
            ));
        }
    }
    Ok(())
}
