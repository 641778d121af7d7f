//! KeePassXC's CSV export: which column holds what; the table itself is read by
//! [`crate::spreadsheet`].

use crate::error::Result;
use crate::spreadsheet::{read_password_manager, Role};
use crate::{Field, ImportRecord, Input};

/// KeePassXC's CSV export: `"Group","Title","Username","Password","URL","Notes","TOTP","Icon",
/// "Last Modified","Created"`, in newer versions with `Tags` and an expiry column.
pub(crate) fn read_csv(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    read_password_manager(input, "KeePassXC", |header| match header {
        "group" => Role::Group,
        "title" => Role::Field(Field::Name),
        "username" => Role::Field(Field::Account),
        "password" => Role::SECRET,
        "url" => Role::Field(Field::Url),
        "notes" => Role::Field(Field::Notes),
        "tags" => Role::Field(Field::Tags),
        "created" => Role::Created,
        "expires" | "expiry" | "expiry time" | "expires at" => Role::Field(Field::Expires),
        _ => Role::Field(Field::Ignore),
    })
}
