//! 1Password's CSV export: which column holds what; the table itself is read by
//! [`crate::spreadsheet`].

use crate::error::Result;
use crate::spreadsheet::{read_password_manager, Role};
use crate::{Field, ImportRecord, Input};

/// 1Password's CSV export: `Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes`
/// (older versions say `Website` and order the columns differently: they are mapped by name).
pub(crate) fn read_csv(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    read_password_manager(input, "1Password", |header| match header {
        "title" => Role::Field(Field::Name),
        "url" | "urls" | "website" => Role::Field(Field::Url),
        "username" => Role::Field(Field::Account),
        "password" => Role::SECRET,
        "tags" => Role::Field(Field::Tags),
        "notes" | "notesplain" => Role::Field(Field::Notes),
        "archived" => Role::Archived,
        _ => Role::Field(Field::Ignore),
    })
}
