//! Tokens lying in plaintext on disk, tied to the vault: the scanner's candidates are matched by
//! keyed fingerprint into known / unknown / dead / possible findings, and a chosen part of them is
//! applied (known copies become usages, unknown tokens are imported all-or-nothing). The CLI and the
//! app both use this. A report never holds a secret outside a zeroizing buffer, and only the
//! unknown ones (the import candidates) are kept past their match. No SQL here: the vault's own
//! functions do the reading and writing.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};
use crate::transfer::{Format, ImportBatch, ImportRecord, ImportedUsage, OnDuplicate};
use crate::{TokenKind, TokenStatus, Vault};
use tokenwarden_providers::{Detection, ProviderId};
use tokenwarden_scan::Candidate;

pub use tokenwarden_scan::{home_targets, Certainty, ScanOptions, ScanStats, PROGRESS_EVERY};

/// The usage kind a scan records for a copy of a token in a file.
pub const USAGE_KIND: &str = "plaintext_file";

/// The usual credential files of this user's home (`$HOME`): those of [`home_targets`] that exist.
pub fn usual_places() -> Vec<PathBuf> {
    dirs::home_dir().map(|home| home_targets(&home)).unwrap_or_default()
}

/// Where a finding falls, in the order a report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ScanGroup"))]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// A revoked, expired or archived token of the vault, still on disk.
    Dead,
    /// A token format matched exactly and the vault does not hold it: an import candidate.
    Unknown,
    /// A copy of an active token of the vault: a usage to record.
    Known,
    /// Only a loose shape matched: shown, never linked or imported.
    Possible,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Dead => "dead",
            Group::Unknown => "unknown",
            Group::Known => "known",
            Group::Possible => "possible",
        }
    }
}

/// One value found on disk, as shown: never the secret, only its hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ScanFinding"))]
pub struct Finding {
    /// Stable within its report: what a selection names.
    pub id: u32,
    pub group: Group,
    /// The provider's id (the vault token's for known and dead ones, else the detection's).
    pub provider: Option<String>,
    /// The provider's name as the catalog spells it.
    pub provider_name: Option<String>,
    /// The detected format's kind id and its label (`personal access token`).
    pub kind: Option<String>,
    pub kind_label: Option<String>,
    pub hint: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// What read it: `text`, or the credential file's format (`npmrc`, …).
    pub source: String,
    pub token_id: Option<String>,
    pub token_name: Option<String>,
    pub token_status: Option<String>,
}

impl Finding {
    /// Where it lies, as a usage records it: `path:line`.
    pub fn location(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }
}

/// An unknown secret and the findings that hold a copy of it (grouped by keyed fingerprint).
struct Exposure {
    secret: SecretString,
    fingerprint: [u8; 32],
    detection: Option<Detection>,
    findings: Vec<u32>,
}

/// What a scan found, matched against the vault. Holds the unknown secrets (zeroized on drop)
/// until [`ScanReport::apply`] imports them or the report is dropped; no Debug, no Serialize.
pub struct ScanReport {
    /// Sorted by group, then path and line.
    pub findings: Vec<Finding>,
    pub stats: ScanStats,
    /// The walk was stopped before it finished; the findings so far stand.
    pub stopped: bool,
    unknown: Vec<Exposure>,
}

/// Which findings to act on, by id: known ones to link, unknown ones to import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub link: Vec<u32>,
    pub import: Vec<u32>,
}

/// What applying a selection did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ScanApplied"))]
pub struct Applied {
    /// New usages recorded on known tokens (copies already recorded are not counted).
    pub linked: usize,
    /// Tokens added to the vault.
    pub imported: usize,
}

/// Matches candidates as the scanner hands them over, one at a time, so a caller that holds the
/// vault only briefly (the app) can lend it per candidate.
pub struct Matcher {
    now: DateTime<Utc>,
    findings: Vec<Finding>,
    unknown: Vec<Exposure>,
}

impl Matcher {
    pub fn new(now: DateTime<Utc>) -> Self {
        Matcher { now, findings: Vec::new(), unknown: Vec::new() }
    }

    /// Classifies `candidate` by keyed fingerprint against `vault`; its secret is dropped here
    /// unless it is an unknown token, which is kept for import.
    pub fn add(&mut self, vault: &Vault, candidate: Candidate) -> Result<()> {
        let id = u32::try_from(self.findings.len()).map_err(|_| Error::invalid("scan", "too many findings"))?;
        let detection = candidate.detection.as_ref();
        let mut finding = Finding {
            id,
            group: Group::Possible,
            provider: detection.map(|d| d.provider.clone()),
            provider_name: detection.map(|d| d.provider_name.clone()),
            kind: detection.map(|d| d.kind.clone()),
            kind_label: detection.map(|d| d.kind_label.clone()),
            hint: crate::tokens::display_hint(candidate.secret.expose_secret()),
            path: candidate.path.display().to_string(),
            line: candidate.line,
            column: candidate.column,
            source: candidate.source.to_owned(),
            token_id: None,
            token_name: None,
            token_status: None,
        };
        let ids = vault.find_by_secret(&candidate.secret)?;
        if let Some(token_id) = ids.first() {
            let token = vault.token(token_id)?;
            let status = token.effective_status(self.now);
            finding.group = match status {
                TokenStatus::Revoked | TokenStatus::Expired | TokenStatus::Archived => Group::Dead,
                TokenStatus::Active | TokenStatus::Rotating => Group::Known,
            };
            let provider = token.provider.to_string();
            finding.provider_name = tokenwarden_providers::catalog::provider(&provider).map(|p| p.name.clone());
            finding.provider = Some(provider);
            finding.token_id = Some(token.id);
            finding.token_name = Some(token.name);
            finding.token_status = Some(status.to_string());
        } else if candidate.certainty == Certainty::Likely {
            finding.group = Group::Unknown;
            let fingerprint = vault.keys.fingerprint(candidate.secret.expose_secret().as_bytes());
            match self.unknown.iter_mut().find(|e| e.fingerprint == fingerprint) {
                Some(exposure) => exposure.findings.push(id),
                None => self.unknown.push(Exposure {
                    secret: candidate.secret,
                    fingerprint,
                    detection: candidate.detection,
                    findings: vec![id],
                }),
            }
        }
        self.findings.push(finding);
        Ok(())
    }

    /// The report, findings sorted by group, then path and line.
    pub fn finish(mut self, stats: ScanStats, stopped: bool) -> ScanReport {
        self.findings.sort_by(|a, b| (a.group, &a.path, a.line, a.column).cmp(&(b.group, &b.path, b.line, b.column)));
        ScanReport { findings: self.findings, stats, stopped, unknown: self.unknown }
    }
}

/// Scans `roots` and matches what it finds. `lend` runs the matcher's closure on the vault: the
/// CLI lends the vault it holds, the app borrows it from its session per candidate (an error from
/// `lend`, such as the vault locking, ends the matching). `stop` ends the walk early.
pub fn scan(
    roots: &[PathBuf],
    options: &ScanOptions,
    stop: &AtomicBool,
    now: DateTime<Utc>,
    mut lend: impl FnMut(&mut dyn FnMut(&Vault) -> Result<()>) -> Result<()>,
    on_progress: impl FnMut(&ScanStats),
) -> Result<ScanReport> {
    let mut matcher = Matcher::new(now);
    let mut failure: Option<Error> = None;
    let stats = tokenwarden_scan::scan_with_progress(
        roots,
        options,
        stop,
        |candidate| {
            if failure.is_some() {
                return;
            }
            let mut candidate = Some(candidate);
            let result = lend(&mut |vault| match candidate.take() {
                Some(c) => matcher.add(vault, c),
                None => Ok(()),
            });
            if let Err(error) = result {
                failure = Some(error);
            }
        },
        on_progress,
    )
    .map_err(|e| Error::invalid("path", e.to_string()))?;
    if let Some(error) = failure {
        return Err(error);
    }
    Ok(matcher.finish(stats, stop.load(Ordering::SeqCst)))
}

impl ScanReport {
    /// Every known finding to link and every unknown one to import (the CLI's `--link --import`).
    pub fn select_all(&self, link: bool, import: bool) -> Selection {
        let of = |group: Group, on: bool| -> Vec<u32> {
            if !on {
                return Vec::new();
            }
            self.findings.iter().filter(|f| f.group == group).map(|f| f.id).collect()
        };
        Selection { link: of(Group::Known, link), import: of(Group::Unknown, import) }
    }

    /// How many distinct unknown secrets the report holds.
    pub fn unknown_tokens(&self) -> usize {
        self.unknown.len()
    }

    /// Imports the selected unknown tokens in one all-or-nothing import (each with the selected
    /// places it lies as usages), then records each selected copy of a known token as a usage
    /// unless that place is already recorded. Anything else selected (a dead or possible finding,
    /// an id not in the report) is refused before the vault is touched.
    pub fn apply(self, vault: &mut Vault, selection: &Selection, now: DateTime<Utc>) -> Result<Applied> {
        let find = |id: u32, group: Group| -> Result<&Finding> {
            self.findings.iter().find(|f| f.id == id && f.group == group).ok_or_else(|| {
                let what = if group == Group::Known { "linked" } else { "imported" };
                Error::invalid("selection", format!("finding {id} cannot be {what}: scan again"))
            })
        };
        let mut links: Vec<&Finding> = Vec::new();
        for id in &selection.link {
            links.push(find(*id, Group::Known)?);
        }
        let mut chosen: BTreeSet<u32> = BTreeSet::new();
        for id in &selection.import {
            find(*id, Group::Unknown)?;
            chosen.insert(*id);
        }

        let mut imported = 0;
        let mut records = Vec::new();
        for exposure in self.unknown {
            let places: Vec<&Finding> = exposure
                .findings
                .iter()
                .filter(|id| chosen.contains(id))
                .filter_map(|id| self.findings.iter().find(|f| f.id == *id))
                .collect();
            if let Some(record) = import_record(exposure.secret, exposure.detection.as_ref(), &places) {
                records.push(record);
            }
        }
        if !records.is_empty() {
            let batch =
                ImportBatch { format: Format::Scan, records, events: Vec::new(), backup_id: None, columns: Vec::new() };
            let plan = vault.plan_import("scan", batch, OnDuplicate::Skip)?;
            imported = vault.apply_import(plan, now, &mut |_, _| {})?.created;
        }

        let mut linked = 0;
        for finding in links {
            let Some(token_id) = &finding.token_id else { continue };
            let location = finding.location();
            if vault.usages(token_id)?.iter().any(|u| u.kind == USAGE_KIND && u.location == location) {
                continue;
            }
            vault.add_usage(token_id, USAGE_KIND, &location, None, now)?;
            linked += 1;
        }
        Ok(Applied { linked, imported })
    }
}

/// The import record of an unknown secret, pre-filled by detection, with a usage for each place;
/// `None` when none of its places was chosen.
fn import_record(secret: SecretString, detection: Option<&Detection>, places: &[&Finding]) -> Option<ImportRecord> {
    let first = places.first()?;
    let file = std::path::Path::new(&first.path)
        .file_name()
        .map_or_else(|| first.path.clone(), |n| n.to_string_lossy().into_owned());
    let name = match detection {
        Some(d) => format!("{} {} in {file}", d.provider_name, d.kind_label.to_lowercase()),
        None => format!("token in {file}"),
    };
    let mut record = ImportRecord::new(first.location(), name, secret);
    record.provider = detection.and_then(|d| ProviderId::parse(&d.provider).ok());
    record.kind = detection.and_then(|d| d.token_kind.parse::<TokenKind>().ok());
    record.notes = Some("Found in a plaintext file by a Tokenwarden scan.".to_owned());
    let mut seen = BTreeSet::new();
    record.usages = places
        .iter()
        .map(|f| f.location())
        .filter(|l| seen.insert(l.clone()))
        .map(|l| ImportedUsage::new(USAGE_KIND, l))
        .collect();
    Some(record)
}
