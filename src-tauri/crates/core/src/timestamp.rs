//! The one text form of an instant in the database and in our files (RFC 3339, UTC, whole
//! seconds, `Z`); the codec itself lives with the file formats.

use chrono::{DateTime, Utc};

use crate::error::Result;

pub use tokenwarden_formats::timestamp::{encode, serialize, serialize_opt, storage_form};

/// The instant a stored text stands for.
pub fn decode(raw: &str) -> Result<DateTime<Utc>> {
    Ok(tokenwarden_formats::timestamp::decode(raw)?)
}
