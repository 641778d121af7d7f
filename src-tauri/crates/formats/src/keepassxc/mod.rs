//! KeePassXC's XML export (unencrypted KeePass 2.x XML) in, and the same format out so a user can
//! move to KeePassXC. The reader streams with quick-xml, refuses DOCTYPEs (entity bombs) and deep
//! nesting, and never lets a password or a protected field reach an error, a problem or the notes.

//! `read` streams the XML in, `write` writes it out, `csv` maps KeePassXC's CSV export's columns.

mod csv;
mod read;
mod write;

pub(crate) use csv::read_csv;
pub(crate) use read::read_xml;
pub(crate) use write::write_xml;

/// Deepest element nesting read; KeePassXC's own files stay far below it.
pub(super) const MAX_XML_DEPTH: usize = 64;
/// Seconds from 0001-01-01T00:00:00Z (KDBX 4's epoch for base64 times) to the Unix epoch.
pub(super) const KDBX4_EPOCH_OFFSET: i64 = 62_135_596_800;
/// The string fields every KeePass entry has; any other `<String>` is a custom field.
pub(super) const STANDARD_FIELDS: [&str; 5] = ["Title", "UserName", "Password", "URL", "Notes"];
/// The custom field that marks an entry written by [`write_xml`].
pub(super) const ID_FIELD: &str = "Tokenwarden ID";
/// Labels of the lines [`write_xml`] appends to the notes; read back into their fields.
pub(super) const NOTE_LABELS: [&str; 5] = ["Provider", "Kind", "Scopes", "Environment", "Purpose"];
/// What KeePassXC calls the recycle bin when `Meta/RecycleBinUUID` does not say.
pub(super) const RECYCLE_BIN_NAME: &str = "Recycle Bin";

#[cfg(test)]
mod tests;
