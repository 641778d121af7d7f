//! Bitwarden's unencrypted JSON export.

use super::{ImportRecord, Input};
use crate::error::Result;

pub(crate) fn read(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    Err(input.error("the whole file", "format", "Bitwarden import is being written"))
}
