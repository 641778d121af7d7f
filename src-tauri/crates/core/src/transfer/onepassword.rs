//! 1Password's 1PUX archive and its CSV export.

use super::{ImportRecord, Input};
use crate::error::Result;

pub(crate) fn read_1pux(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    Err(input.error("the whole file", "format", "1PUX import is being written"))
}
