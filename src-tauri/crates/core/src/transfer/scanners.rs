//! Secret-scanner reports: gitleaks' JSON and trufflehog's JSON lines.

use super::{ImportRecord, Input};
use crate::error::Result;

pub(crate) fn read_gitleaks(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    Err(input.error("the whole file", "format", "gitleaks import is being written"))
}

pub(crate) fn read_trufflehog(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    Err(input.error("the whole file", "format", "trufflehog import is being written"))
}
