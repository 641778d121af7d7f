//! Health: the audit's findings as the Health view and the dashboard show them. A finding names
//! a token and says what is wrong in words; it never holds a secret.

use serde::Serialize;
use tokenwarden_core::health::{Finding, FindingKind, Fix, Severity};
use ts_rs::TS;

/// One finding of the audit: what is wrong with which token, and the fix the UI offers.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FindingView {
    pub kind: FindingKind,
    pub severity: Severity,
    pub token_id: String,
    pub token_name: String,
    /// The provider's catalog id (the UI shows the catalog's name).
    pub provider: String,
    /// The evidence in words ("expired 3 days ago and still marked active").
    pub evidence: String,
    pub fix: Fix,
}

impl From<Finding> for FindingView {
    fn from(f: Finding) -> Self {
        FindingView {
            kind: f.kind,
            severity: f.severity,
            token_id: f.token_id,
            token_name: f.token_name,
            provider: f.provider,
            evidence: f.evidence,
            fix: f.fix,
        }
    }
}

/// How many open findings there are of each severity: what the sidebar and the dashboard show,
/// without sending every finding (the Health view fetches those when it opens).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct HealthSummary {
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl HealthSummary {
    pub fn of(findings: &[Finding]) -> Self {
        let mut summary = HealthSummary::default();
        for finding in findings {
            match finding.severity {
                Severity::High => summary.high += 1,
                Severity::Medium => summary.medium += 1,
                Severity::Low => summary.low += 1,
            }
        }
        summary
    }
}
