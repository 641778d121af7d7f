//! The inventory's health: [`audit`] is one pure function from the tokens, what is known about
//! them and the settings to findings, each with a severity, its evidence in words and the fix it
//! suggests. [`Vault::audit`] gathers that input from the vault (and checks which recorded files
//! still exist) and leaves out the findings the user dismissed, unless their evidence changed.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::audit_log::{self, EventKind};
use crate::error::{Error, Result};
use crate::store;
use crate::store::checks::LatestCheck;
use crate::tokens::{Token, TokenStatus};
use crate::usages::Usage;
use crate::vault::Vault;

pub use crate::severity::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    ExpiredButActive,
    ExpiresSoon,
    NoExpiry,
    RotationOverdue,
    OverPrivileged,
    Unused,
    Orphaned,
    NeverChecked,
    CheckStale,
    LastCheckInvalid,
    DuplicateSecret,
    ReviewDue,
}

impl FindingKind {
    pub const ALL: &'static [FindingKind] = &[
        FindingKind::ExpiredButActive,
        FindingKind::ExpiresSoon,
        FindingKind::NoExpiry,
        FindingKind::RotationOverdue,
        FindingKind::OverPrivileged,
        FindingKind::Unused,
        FindingKind::Orphaned,
        FindingKind::NeverChecked,
        FindingKind::CheckStale,
        FindingKind::LastCheckInvalid,
        FindingKind::DuplicateSecret,
        FindingKind::ReviewDue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::ExpiredButActive => "expired_but_active",
            FindingKind::ExpiresSoon => "expires_soon",
            FindingKind::NoExpiry => "no_expiry",
            FindingKind::RotationOverdue => "rotation_overdue",
            FindingKind::OverPrivileged => "over_privileged",
            FindingKind::Unused => "unused",
            FindingKind::Orphaned => "orphaned",
            FindingKind::NeverChecked => "never_checked",
            FindingKind::CheckStale => "check_stale",
            FindingKind::LastCheckInvalid => "last_check_invalid",
            FindingKind::DuplicateSecret => "duplicate_secret",
            FindingKind::ReviewDue => "review_due",
        }
    }
}

impl std::str::FromStr for FindingKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let folded = s.trim().to_ascii_lowercase().replace('-', "_");
        FindingKind::ALL.iter().copied().find(|k| k.as_str() == folded).ok_or_else(|| {
            let names: Vec<&str> = FindingKind::ALL.iter().map(|k| k.as_str()).collect();
            Error::invalid("finding", format!("'{s}' is not one of: {}", names.join(", ")))
        })
    }
}

/// What to do about a finding: the UI shows it as a button, the CLI names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Fix {
    Rotate,
    Revoke,
    SetExpiry,
    VerifyNow,
    AddUsage,
    MarkReviewed,
}

/// One thing wrong with one token. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    pub token_id: String,
    pub token_name: String,
    pub provider: String,
    /// The evidence in words ("expired 3 days ago and still marked active").
    pub evidence: String,
    pub fix: Fix,
}

/// The thresholds an audit uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditSettings {
    /// "Expires soon" within this many days (the reminder warning window).
    pub warn_days: u32,
    /// Unused when the provider says it was last used this many days ago, or never in that long.
    pub unused_days: u32,
    /// A last check older than this is stale.
    pub stale_check_days: u32,
    /// Each token's scopes should be reviewed this often.
    pub review_days: u32,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings { warn_days: 30, unused_days: 90, stale_check_days: 30, review_days: 180 }
    }
}

/// Everything [`audit`] looks at besides the tokens' own fields.
#[derive(Default)]
pub struct AuditFacts {
    pub usages: HashMap<String, Vec<Usage>>,
    /// Usage ids whose recorded file no longer exists.
    pub missing_files: HashSet<String>,
    /// Groups of token ids that hold the same secret (by keyed fingerprint).
    pub same_secret: Vec<Vec<String>>,
    /// When each token's scopes were last marked reviewed.
    pub reviewed_at: HashMap<String, DateTime<Utc>>,
}

/// A provider's catalog entry, if it has one, and the longest lifetime it allows a kind of token.
type CatalogFacts = (Option<&'static tokenwarden_providers::Provider>, Option<u32>);

/// The findings for `tokens`: most severe first, then by kind, token name and token id. Only
/// active and rotating tokens are audited.
pub fn audit(now: DateTime<Utc>, tokens: &[Token], facts: &AuditFacts, settings: &AuditSettings) -> Vec<Finding> {
    // Tokens are visited by name and id and each finding goes to the group of its severity and
    // kind (in the order those compare), so the groups joined are in the full order without
    // comparing names per finding.
    let mut audited: Vec<&Token> =
        tokens.iter().filter(|t| matches!(t.status, TokenStatus::Active | TokenStatus::Rotating)).collect();
    audited.sort_unstable_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    // Both enums compare in the order they are declared, so their discriminants keep that order.
    let slot = |severity: Severity, kind: FindingKind| severity as usize * FindingKind::ALL.len() + kind as usize;
    let mut groups: Vec<Vec<Finding>> =
        (0..(Severity::Low as usize + 1) * FindingKind::ALL.len()).map(|_| Vec::new()).collect();
    let names: HashMap<&str, &str> = if facts.same_secret.is_empty() {
        HashMap::new()
    } else {
        tokens.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect()
    };
    let group_of: HashMap<&str, &Vec<String>> = facts
        .same_secret
        .iter()
        .filter(|g| g.len() > 1)
        .flat_map(|g| g.iter().map(move |id| (id.as_str(), g)))
        .collect();
    // The catalog entry and the longest lifetime it allows, once per provider and kind.
    let mut catalog_of: HashMap<(&str, &str), CatalogFacts> = HashMap::new();
    let days_ago = |t: DateTime<Utc>| (now - t).num_days();
    for token in audited {
        let provider_name = token.provider.as_str();
        let (catalog, provider_limit) = *catalog_of.entry((provider_name, token.kind.as_str())).or_insert_with(|| {
            let catalog = tokenwarden_providers::provider(provider_name);
            let limit = catalog.and_then(|p| {
                p.kinds.iter().filter(|k| k.token_kind == token.kind.as_str()).filter_map(|k| k.max_lifetime_days).max()
            });
            (catalog, limit)
        });
        let mut add = |kind, severity, evidence: String, fix| {
            groups[slot(severity, kind)].push(Finding {
                kind,
                severity,
                token_id: token.id.clone(),
                token_name: token.name.clone(),
                provider: provider_name.to_owned(),
                evidence,
                fix,
            });
        };
        match token.expires_at {
            Some(at) if at <= now => add(
                FindingKind::ExpiredButActive,
                Severity::High,
                format!("expired {} days ago and is still marked active", days_ago(at)),
                Fix::Revoke,
            ),
            Some(at) if at - now <= Duration::days(i64::from(settings.warn_days)) => add(
                FindingKind::ExpiresSoon,
                Severity::Medium,
                format!("expires in {} days", (at - now).num_days()),
                Fix::Rotate,
            ),
            Some(_) => {}
            None => add(
                FindingKind::NoExpiry,
                Severity::Low,
                "has no expiry date: a leaked copy works for ever".to_owned(),
                Fix::SetExpiry,
            ),
        }
        // The token's own policy, else the longest lifetime the provider allows tokens of its kind.
        let max_age = token.rotation_max_age_days.or(provider_limit);
        if let Some(max_age) = max_age {
            let since = token.last_rotated_at.unwrap_or(token.created_at);
            if days_ago(since) > i64::from(max_age) {
                add(
                    FindingKind::RotationOverdue,
                    Severity::Medium,
                    format!("last rotated {} days ago; the limit is {max_age} days", days_ago(since)),
                    Fix::Rotate,
                );
            }
        }
        if let Some(provider) = catalog {
            let dangerous: Vec<&str> =
                token.scopes.iter().map(String::as_str).filter(|s| provider.is_dangerous_scope(s)).collect();
            if !dangerous.is_empty() {
                add(
                    FindingKind::OverPrivileged,
                    Severity::Medium,
                    format!("holds powerful scopes: {}", dangerous.join(", ")),
                    Fix::Rotate,
                );
            }
        }
        let unused = i64::from(settings.unused_days);
        match token.last_used_at {
            Some(used) if days_ago(used) > unused => add(
                FindingKind::Unused,
                Severity::Low,
                format!("the provider last saw it used {} days ago", days_ago(used)),
                Fix::Revoke,
            ),
            None if token.last_verified_at.is_some() && days_ago(token.created_at) > unused => add(
                FindingKind::Unused,
                Severity::Low,
                format!("never used in the {} days since it was added", days_ago(token.created_at)),
                Fix::Revoke,
            ),
            _ => {}
        }
        let usages = facts.usages.get(&token.id).map(Vec::as_slice).unwrap_or_default();
        let gone: Vec<&str> =
            usages.iter().filter(|u| facts.missing_files.contains(&u.id)).map(|u| u.location.as_str()).collect();
        if usages.is_empty() {
            add(
                FindingKind::Orphaned,
                Severity::Low,
                "no usage is recorded: nobody knows what breaks when it is revoked".to_owned(),
                Fix::AddUsage,
            );
        } else if !gone.is_empty() {
            add(
                FindingKind::Orphaned,
                Severity::Low,
                format!("recorded in files that no longer exist: {}", gone.join(", ")),
                Fix::AddUsage,
            );
        }
        let checkable = catalog.is_some_and(|p| p.api.verify);
        match (token.last_verified_at, token.last_verified_result.as_deref()) {
            (Some(_), Some("invalid")) => add(
                FindingKind::LastCheckInvalid,
                Severity::High,
                "the provider refused it at the last check".to_owned(),
                Fix::Revoke,
            ),
            (Some(at), _) if checkable && days_ago(at) > i64::from(settings.stale_check_days) => add(
                FindingKind::CheckStale,
                Severity::Low,
                format!("last checked {} days ago", days_ago(at)),
                Fix::VerifyNow,
            ),
            (None, _) if checkable => add(
                FindingKind::NeverChecked,
                Severity::Low,
                "never checked at the provider".to_owned(),
                Fix::VerifyNow,
            ),
            _ => {}
        }
        if let Some(group) = group_of.get(token.id.as_str()) {
            let others: Vec<&str> = group
                .iter()
                .filter(|id| **id != token.id)
                .map(|id| names.get(id.as_str()).copied().unwrap_or("?"))
                .collect();
            add(
                FindingKind::DuplicateSecret,
                Severity::Medium,
                format!("the same secret is also stored as: {}", others.join(", ")),
                Fix::Revoke,
            );
        }
        let reviewed = facts.reviewed_at.get(&token.id).copied().unwrap_or(token.created_at);
        if !token.scopes.is_empty() && days_ago(reviewed) > i64::from(settings.review_days) {
            add(
                FindingKind::ReviewDue,
                Severity::Low,
                format!("its scopes were last reviewed {} days ago", days_ago(reviewed)),
                Fix::MarkReviewed,
            );
        }
    }
    let mut findings = Vec::with_capacity(groups.iter().map(Vec::len).sum());
    for found in groups {
        findings.extend(found);
    }
    findings
}

/// A dismissal: the evidence it was given for (a changed evidence brings the finding back) and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Dismissal {
    evidence: String,
    reason: String,
}

const DISMISSED_SETTING: &str = "audit.dismissed";

fn dismissal_key(kind: FindingKind, token_id: &str) -> String {
    format!("{}:{token_id}", kind.as_str())
}

/// Usage kinds whose location is a file path.
const FILE_USAGE_KINDS: &[&str] = &["env_file", "config_file", "plaintext_file"];

/// What the audit reads about checks and use, brought up to date from the history: a later
/// check's time and verdict, and the last *real* use (the monitor's own calls left out) where
/// the last use came from a provider. Other sources of a last use (set by hand) stand.
pub fn fold_history(tokens: &mut [Token], latest: &[LatestCheck]) {
    let by_token: HashMap<&str, &LatestCheck> = latest.iter().map(|c| (c.token_id.as_str(), c)).collect();
    for token in tokens {
        let Some(check) = by_token.get(token.id.as_str()) else { continue };
        if token.last_verified_at.is_none_or(|at| at < check.last_at) {
            token.last_verified_at = Some(check.last_at);
            token.last_verified_result = Some(if check.valid { "valid" } else { "invalid" }.to_owned());
        }
        if token.last_used_source.as_deref().is_none_or(|s| s == "provider") {
            token.last_used_at = check.last_used_at;
            if token.last_used_at.is_none() {
                token.last_used_source = None;
            } else if token.last_used_source.is_none() {
                token.last_used_source = Some("provider".to_owned());
            }
        }
    }
}

impl Vault {
    /// The audit's findings now, without those dismissed for the same evidence.
    pub fn audit(&self, now: DateTime<Utc>, settings: &AuditSettings) -> Result<Vec<Finding>> {
        let mut tokens = store::tokens::all_for_audit(&self.conn)?;
        // Checks and last use as the monitor's history has them (its own calls are not use).
        fold_history(&mut tokens, &store::checks::latest_for_audit(&self.conn)?);
        let facts = self.audit_facts()?;
        let dismissed: BTreeMap<String, Dismissal> = self.setting_json(DISMISSED_SETTING)?.unwrap_or_default();
        let mut findings = audit(now, &tokens, &facts, settings);
        if !dismissed.is_empty() {
            // Keyed by kind and token without building a key per finding.
            let dismissed: HashMap<(&str, &str), &str> = dismissed
                .iter()
                .filter_map(|(key, d)| key.split_once(':').map(|(kind, id)| ((kind, id), d.evidence.as_str())))
                .collect();
            findings.retain(|f| {
                dismissed.get(&(f.kind.as_str(), f.token_id.as_str())).is_none_or(|evidence| *evidence != f.evidence)
            });
        }
        Ok(findings)
    }

    /// Everything the audit weighs besides the tokens: usages (and which recorded files are gone),
    /// secrets held twice, and when each token's scopes were last reviewed.
    fn audit_facts(&self) -> Result<AuditFacts> {
        let mut facts = AuditFacts::default();
        for usage in store::usages::all(&self.conn)? {
            if FILE_USAGE_KINDS.contains(&usage.kind.as_str()) {
                // `path:line` for a scan's finding; only absolute paths can be checked.
                let path = usage.location.rsplit_once(':').map_or(usage.location.as_str(), |(p, _)| p);
                let path = std::path::Path::new(path);
                if path.is_absolute() && !path.exists() {
                    facts.missing_files.insert(usage.id.clone());
                }
            }
            facts.usages.entry(usage.token_id.clone()).or_default().push(usage);
        }
        facts.same_secret = self.tokens_sharing_a_secret()?;
        for (id, at) in store::events::latest_of_kind_by_token(&self.conn, EventKind::ScopesReviewed.as_str())? {
            facts.reviewed_at.insert(id, crate::timestamp::decode(&at)?);
        }
        Ok(facts)
    }

    /// Dismisses a current finding with a reason (logged); it comes back when its evidence changes.
    pub fn dismiss_finding(
        &mut self,
        token_id: &str,
        kind: FindingKind,
        reason: &str,
        now: DateTime<Utc>,
        settings: &AuditSettings,
    ) -> Result<Finding> {
        let reason = reason.trim();
        if reason.is_empty() || reason.len() > 1000 {
            return Err(Error::invalid("reason", "say why (1 to 1000 characters)"));
        }
        let finding =
            self.audit(now, settings)?.into_iter().find(|f| f.token_id == token_id && f.kind == kind).ok_or_else(
                || Error::invalid("finding", format!("the token has no open '{}' finding", kind.as_str())),
            )?;
        let mut dismissed: BTreeMap<String, Dismissal> = self.setting_json(DISMISSED_SETTING)?.unwrap_or_default();
        dismissed.insert(
            dismissal_key(kind, token_id),
            Dismissal { evidence: finding.evidence.clone(), reason: reason.to_owned() },
        );
        self.set_setting_json(DISMISSED_SETTING, &dismissed, now)?;
        let tx = self.conn.transaction()?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::FindingDismissed,
            Some(token_id),
            &serde_json::json!({ "finding": kind.as_str(), "reason": reason }),
        )?;
        tx.commit()?;
        Ok(finding)
    }

    /// Records that a person reviewed the token's scopes (the "review due" finding then rests).
    pub fn mark_scopes_reviewed(&mut self, token_id: &str, now: DateTime<Utc>) -> Result<()> {
        let token = self.token(token_id)?;
        let tx = self.conn.transaction()?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::ScopesReviewed,
            Some(&token.id),
            &serde_json::json!({ "scopes": token.scopes }),
        )?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn all_tokens(&self) -> Result<Vec<Token>> {
        store::tokens::all_by_id(&self.conn)
    }

    /// Groups of token ids whose sealed secrets share a keyed fingerprint.
    fn tokens_sharing_a_secret(&self) -> Result<Vec<Vec<String>>> {
        let mut groups: BTreeMap<Vec<u8>, Vec<String>> = BTreeMap::new();
        for (fingerprint, id) in store::secrets::shared(&self.conn)? {
            groups.entry(fingerprint).or_default().push(id);
        }
        Ok(groups.into_values().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::TokenKind;
    use tokenwarden_providers::ProviderId;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-04T12:00:00Z").unwrap().with_timezone(&Utc)
    }

    /// A healthy token: expires in 200 days, checked yesterday, used yesterday, a usage recorded.
    fn healthy(id: &str) -> Token {
        let now = now();
        Token {
            id: id.to_owned(),
            name: format!("token {id}"),
            provider: ProviderId::parse("gitlab").unwrap(),
            kind: TokenKind::PersonalAccessToken,
            hint: "glpat-…a1B2".to_owned(),
            account: None,
            environment: None,
            scopes: vec!["read_api".to_owned()],
            tags: Vec::new(),
            purpose: None,
            notes: None,
            url: None,
            created_at: now - Duration::days(10),
            updated_at: now - Duration::days(10),
            expires_at: Some(now + Duration::days(200)),
            rotation_max_age_days: None,
            last_rotated_at: None,
            last_used_at: Some(now - Duration::days(1)),
            last_used_source: None,
            last_verified_at: Some(now - Duration::days(1)),
            last_verified_result: Some("valid".to_owned()),
            status: TokenStatus::Active,
            replaced_by: None,
            replaces: None,
            revoked_at: None,
            revoke_method: None,
        }
    }

    fn facts_with_usage(ids: &[&str]) -> AuditFacts {
        let mut facts = AuditFacts::default();
        for id in ids {
            let usage = Usage {
                id: format!("u-{id}"),
                token_id: (*id).to_owned(),
                kind: "ci_secret".to_owned(),
                location: "GitLab CI".to_owned(),
                notes: None,
                created_at: now(),
                last_confirmed_at: None,
            };
            facts.usages.insert((*id).to_owned(), vec![usage]);
        }
        facts
    }

    fn kinds(token: Token, facts: &AuditFacts) -> Vec<FindingKind> {
        audit(now(), &[token], facts, &AuditSettings::default()).into_iter().map(|f| f.kind).collect()
    }

    /// A finding of `kind` appears for `broken` and not for the same token once `fixed`.
    fn shows_then_goes(kind: FindingKind, broken: impl FnOnce(&mut Token), fixed: impl FnOnce(&mut Token)) {
        let facts = facts_with_usage(&["a"]);
        let mut token = healthy("a");
        assert_eq!(kinds(token.clone(), &facts), vec![], "the healthy token has no finding");
        broken(&mut token);
        assert!(kinds(token.clone(), &facts).contains(&kind), "{kind:?} missing: {:?}", kinds(token.clone(), &facts));
        fixed(&mut token);
        assert!(!kinds(token.clone(), &facts).contains(&kind), "{kind:?} stayed after the fix");
    }

    #[test]
    fn expired_but_active_is_high_and_goes_when_revoked() {
        shows_then_goes(
            FindingKind::ExpiredButActive,
            |t| t.expires_at = Some(now() - Duration::days(3)),
            |t| t.status = TokenStatus::Revoked,
        );
        let mut t = healthy("a");
        t.expires_at = Some(now() - Duration::days(3));
        let f = &audit(now(), &[t], &facts_with_usage(&["a"]), &AuditSettings::default())[0];
        assert_eq!((f.severity, f.fix), (Severity::High, Fix::Revoke));
        assert_eq!(f.evidence, "expired 3 days ago and is still marked active");
    }

    #[test]
    fn expires_soon_within_the_warning_window() {
        shows_then_goes(
            FindingKind::ExpiresSoon,
            |t| t.expires_at = Some(now() + Duration::days(20)),
            |t| t.expires_at = Some(now() + Duration::days(90)),
        );
    }

    #[test]
    fn no_expiry() {
        shows_then_goes(
            FindingKind::NoExpiry,
            |t| t.expires_at = None,
            |t| t.expires_at = Some(now() + Duration::days(90)),
        );
    }

    #[test]
    fn rotation_overdue_by_policy_or_by_the_providers_maximum_lifetime() {
        shows_then_goes(
            FindingKind::RotationOverdue,
            |t| t.rotation_max_age_days = Some(5),
            |t| t.last_rotated_at = Some(now() - Duration::days(1)),
        );
        // GitLab personal access tokens live at most 365 days.
        shows_then_goes(
            FindingKind::RotationOverdue,
            |t| t.created_at = now() - Duration::days(400),
            |t| t.last_rotated_at = Some(now() - Duration::days(30)),
        );
    }

    #[test]
    fn over_privileged_by_the_catalogs_dangerous_scopes() {
        shows_then_goes(
            FindingKind::OverPrivileged,
            |t| t.scopes = vec!["api".to_owned(), "read_api".to_owned()],
            |t| t.scopes = vec!["read_api".to_owned()],
        );
    }

    #[test]
    fn unused_by_the_providers_last_use_or_never_used_since_added() {
        shows_then_goes(
            FindingKind::Unused,
            |t| t.last_used_at = Some(now() - Duration::days(120)),
            |t| t.last_used_at = Some(now() - Duration::days(2)),
        );
        shows_then_goes(
            FindingKind::Unused,
            |t| {
                t.last_used_at = None;
                t.created_at = now() - Duration::days(100);
            },
            |t| t.last_used_at = Some(now()),
        );
    }

    #[test]
    fn orphaned_without_a_usage_or_with_its_file_gone() {
        let token = healthy("a");
        assert!(kinds(token.clone(), &AuditFacts::default()).contains(&FindingKind::Orphaned));
        let mut facts = facts_with_usage(&["a"]);
        assert!(!kinds(token.clone(), &facts).contains(&FindingKind::Orphaned));
        facts.missing_files.insert("u-a".to_owned());
        let found = audit(now(), &[token], &facts, &AuditSettings::default());
        let orphaned = found.iter().find(|f| f.kind == FindingKind::Orphaned).unwrap();
        assert_eq!(orphaned.evidence, "recorded in files that no longer exist: GitLab CI");
    }

    #[test]
    fn never_checked_stale_and_refused_checks() {
        shows_then_goes(FindingKind::NeverChecked, |t| t.last_verified_at = None, |t| t.last_verified_at = Some(now()));
        shows_then_goes(
            FindingKind::CheckStale,
            |t| t.last_verified_at = Some(now() - Duration::days(45)),
            |t| t.last_verified_at = Some(now()),
        );
        shows_then_goes(
            FindingKind::LastCheckInvalid,
            |t| t.last_verified_result = Some("invalid".to_owned()),
            |t| t.status = TokenStatus::Revoked,
        );
    }

    #[test]
    fn the_same_secret_under_two_names() {
        let facts =
            AuditFacts { same_secret: vec![vec!["a".to_owned(), "b".to_owned()]], ..facts_with_usage(&["a", "b"]) };
        let found = audit(now(), &[healthy("a"), healthy("b")], &facts, &AuditSettings::default());
        let dup: Vec<&Finding> = found.iter().filter(|f| f.kind == FindingKind::DuplicateSecret).collect();
        assert_eq!(dup.len(), 2);
        assert_eq!(dup[0].evidence, "the same secret is also stored as: token b");
        let apart = facts_with_usage(&["a", "b"]);
        assert!(audit(now(), &[healthy("a"), healthy("b")], &apart, &AuditSettings::default()).is_empty());
    }

    #[test]
    fn review_due_until_marked_reviewed() {
        let mut facts = facts_with_usage(&["a"]);
        let mut token = healthy("a");
        token.created_at = now() - Duration::days(200);
        token.last_rotated_at = Some(now() - Duration::days(10));
        assert!(kinds(token.clone(), &facts).contains(&FindingKind::ReviewDue));
        facts.reviewed_at.insert("a".to_owned(), now() - Duration::days(3));
        assert!(!kinds(token, &facts).contains(&FindingKind::ReviewDue));
    }

    #[test]
    fn findings_come_most_severe_first_and_archived_tokens_are_not_audited() {
        let mut a = healthy("a");
        a.expires_at = None;
        let mut b = healthy("b");
        b.expires_at = Some(now() - Duration::days(1));
        let mut c = healthy("c");
        c.expires_at = None;
        c.status = TokenStatus::Archived;
        let found = audit(now(), &[a, b, c], &facts_with_usage(&["a", "b", "c"]), &AuditSettings::default());
        let order: Vec<(Severity, &str)> = found.iter().map(|f| (f.severity, f.token_id.as_str())).collect();
        assert_eq!(order, vec![(Severity::High, "b"), (Severity::Low, "a")]);
    }

    #[test]
    fn the_vaults_audit_finds_what_the_full_rows_and_the_whole_history_say() {
        use crate::store::checks::{CheckRecord, StoredCheck};
        use secrecy::SecretString;
        let dir = tempfile::tempdir().unwrap();
        let now = now();
        let added = now - Duration::days(400);
        let cheap = crate::KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
        let mut vault =
            Vault::create(&dir.path().join("v"), &SecretString::from("test password"), cheap, added).unwrap();
        let providers = ["github", "gitlab", "slack", "openai", "made-up-provider"];
        let batch = (0..15)
            .map(|i: usize| {
                // Two tokens share a name, two share a secret.
                let name = if i == 3 { "token 2".to_owned() } else { format!("token {i}") };
                let secret =
                    if i == 5 { "ghp_Reference0Secret4".to_owned() } else { format!("ghp_Reference0Secret{i}") };
                let mut t = crate::NewToken::new(
                    name,
                    ProviderId::parse(providers[i % providers.len()]).unwrap(),
                    TokenKind::PersonalAccessToken,
                    SecretString::from(secret),
                );
                t.scopes = if i % 3 == 0 { Vec::new() } else { vec!["repo".to_owned(), "api".to_owned()] };
                t.expires_at = (i % 4 != 0).then(|| now + Duration::days(i as i64 * 9 - 30));
                t.rotation_max_age_days = (i % 5 == 1).then_some(100);
                t
            })
            .collect();
        let ids = vault.add_tokens(batch, added).unwrap();
        vault.add_usage(&ids[0], "ci_secret", "GitHub Actions", None, now).unwrap();
        vault.add_usage(&ids[1], "env_file", "/no/such/dir/.env:3", None, now).unwrap();
        vault.mark_scopes_reviewed(&ids[2], now - Duration::days(5)).unwrap();
        vault.conn.execute("UPDATE tokens SET status = 'archived' WHERE id = ?1", [&ids[6]]).unwrap();
        vault.conn.execute("UPDATE tokens SET status = 'rotating' WHERE id = ?1", [&ids[7]]).unwrap();
        vault
            .conn
            .execute(
                "UPDATE tokens SET last_used_at = ?2, last_used_source = 'manual' WHERE id = ?1",
                rusqlite::params![ids[8], crate::timestamp::encode(now - Duration::days(2))],
            )
            .unwrap();
        let mut rows = Vec::new();
        for (n, id) in ids.iter().enumerate().filter(|(n, _)| n % 7 != 2) {
            for q in 0..(n % 4 + 1) {
                let at = now - Duration::days(360) + Duration::days(70 * q as i64 + n as i64);
                let record = CheckRecord {
                    valid: (n + q) % 5 != 0,
                    owner: Some("owner".into()),
                    scopes: Some(vec!["repo".into()]),
                    expires_at: None,
                    last_used_at: (q % 2 == 0).then(|| at - Duration::days(n as i64)),
                    last_used_source: None,
                };
                rows.push(StoredCheck { token_id: id.clone(), first_at: at, last_at: at, seen: 1, record });
            }
        }
        // Two answers in the same second: the later row is the latest.
        let tie = rows.last().unwrap().clone();
        assert_eq!(tie.token_id, ids[14]);
        rows.push(StoredCheck { record: CheckRecord { valid: !tie.record.valid, ..tie.record.clone() }, ..tie });
        vault.seed_check_history(&rows).unwrap();
        // The token's own columns hold no verdict: which row is the latest decides.
        vault
            .conn
            .execute("UPDATE tokens SET last_verified_at = NULL, last_verified_result = NULL WHERE id = ?1", [&ids[14]])
            .unwrap();

        // What the audit finds from every column of every token and every column of each latest row.
        let mut full = vault.all_tokens().unwrap();
        let latest: Vec<LatestCheck> = vault.latest_checks().unwrap().into_iter().map(LatestCheck::from).collect();
        fold_history(&mut full, &latest);
        let settings = AuditSettings::default();
        let expected = audit(now, &full, &vault.audit_facts().unwrap(), &settings);
        let found = vault.audit(now, &settings).unwrap();
        assert_eq!(found, expected);
        let kinds: HashSet<FindingKind> = found.iter().map(|f| f.kind).collect();
        assert!(kinds.len() >= 9, "a varied vault: {kinds:?}");
        let key = |f: &Finding| (f.severity, f.kind, f.token_name.clone(), f.token_id.clone());
        assert!(found.windows(2).all(|w| key(&w[0]) < key(&w[1])), "ordered by severity, kind, name, id");
    }
}
