//! KeePassXC's XML and CSV exports, and the XML we write so a user can move to KeePassXC.

use super::{ImportRecord, Input};
use crate::error::Result;

pub(crate) fn read_xml(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    Err(input.error("the whole file", "format", "KeePassXC XML import is being written"))
}

pub(crate) fn write_xml(
    _tokens: &[super::export::ExportedToken],
    _now: chrono::DateTime<chrono::Utc>,
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    Err(crate::error::Error::Internal("KeePassXC XML export is being written".to_owned()))
}
