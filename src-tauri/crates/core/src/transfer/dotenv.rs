//! `.env` files: `KEY=value` lines, quotes, `export ` prefixes, comments.

use super::{ImportRecord, Input};
use crate::error::Result;

pub(crate) fn read(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    Err(input.error("the whole file", "format", ".env import is being written"))
}
