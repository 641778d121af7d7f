//! CSV with a header row (RFC 4180 quoting, UTF-8 with or without BOM, `,` or `;`), its columns
//! mapped to token fields by their names, or by hand through [`super::ReadOptions::columns`].

use serde::{Deserialize, Serialize};

use super::{ImportRecord, Input, ReadOptions};
use crate::error::Result;

/// A token field a CSV column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Secret,
    Provider,
    Kind,
    Url,
    Account,
    Environment,
    Expires,
    Scopes,
    Tags,
    Notes,
    Purpose,
    /// Read but not kept.
    Ignore,
}

/// A CSV column and the field it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnMap {
    pub header: String,
    pub field: Field,
}

pub(crate) fn read_generic(input: &Input<'_>, _options: &ReadOptions) -> Result<(Vec<ImportRecord>, Vec<ColumnMap>)> {
    Err(input.error("the whole file", "format", "CSV import is being written"))
}

pub(crate) fn read_keepassxc(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    Err(input.error("the whole file", "format", "KeePassXC CSV import is being written"))
}

pub(crate) fn read_1password(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    Err(input.error("the whole file", "format", "1Password CSV import is being written"))
}
