//! What the CLI prints: the stable JSON shapes scripts parse, and plain tables for people.
//! Only metadata passes through here; `reveal` prints its secret on its own.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokenwarden_core::TokenSummary;

/// One token as `list --json` and `show --json` print it. Fields are only ever added.
#[derive(Serialize)]
pub struct TokenJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub provider: &'a str,
    pub kind: &'a str,
    pub hint: &'a str,
    pub account: Option<&'a str>,
    pub environment: Option<&'a str>,
    pub scopes: &'a [String],
    pub tags: &'a [String],
    pub purpose: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub url: Option<&'a str>,
    #[serde(serialize_with = "instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "instant")]
    pub updated_at: DateTime<Utc>,
    #[serde(serialize_with = "optional_instant")]
    pub expires_at: Option<DateTime<Utc>>,
    pub days_left: Option<i64>,
    pub countdown: String,
    pub status: &'a str,
    pub rotation_max_age_days: Option<u32>,
    #[serde(serialize_with = "optional_instant")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "optional_instant")]
    pub last_verified_at: Option<DateTime<Utc>>,
}

/// An instant as the vault stores it (`timestamp::encode`), spelled on the stack: a list of
/// 10,000 tokens prints 30,000 of them.
fn instant<S: serde::Serializer>(t: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 20];
    match tokenwarden_core::timestamp::storage_form(*t, &mut buf) {
        Some(text) => serializer.serialize_str(text),
        None => serializer.serialize_str(&tokenwarden_core::timestamp::encode(*t)),
    }
}

fn optional_instant<S: serde::Serializer>(t: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => instant(t, serializer),
        None => serializer.serialize_none(),
    }
}

impl<'a> TokenJson<'a> {
    pub fn new(s: &'a TokenSummary, now: DateTime<Utc>) -> Self {
        let t = &s.token;
        TokenJson {
            id: &t.id,
            name: &t.name,
            provider: t.provider.as_str(),
            kind: t.kind.as_str(),
            hint: &t.hint,
            account: t.account.as_deref(),
            environment: t.environment.as_deref(),
            scopes: &t.scopes,
            tags: &t.tags,
            purpose: t.purpose.as_deref(),
            notes: t.notes.as_deref(),
            url: t.url.as_deref(),
            created_at: t.created_at,
            updated_at: t.updated_at,
            expires_at: t.expires_at,
            days_left: s.days_left,
            countdown: s.countdown(now),
            status: s.effective_status.as_str(),
            rotation_max_age_days: t.rotation_max_age_days,
            last_used_at: t.last_used_at,
            last_verified_at: t.last_verified_at,
        }
    }
}

/// `println!` that does not panic when stdout is closed (`tokenwarden-cli list | head -1`), and
/// that removes escape sequences and control characters (line breaks stay): what it prints may
/// hold names from the vault, an import or a provider, which must not drive the terminal.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($arg)*);
        let _ = writeln!(std::io::stdout().lock(), "{}", tokenwarden_core::display_text::multi_line(&text));
    }};
}

/// `eprintln!` with the same cleaning as [`say!`], for notes on stderr that may hold such text.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        let text = format!($($arg)*);
        eprintln!("{}", tokenwarden_core::display_text::multi_line(&text));
    }};
}

/// One field of vault or provider text, shown on one line: no escape sequences or control
/// characters, line breaks as spaces.
pub fn field(text: &str) -> std::borrow::Cow<'_, str> {
    tokenwarden_core::display_text::one_line(text)
}

/// Prints `value` as indented JSON. Text that could drive a terminal is escaped in the JSON itself
/// (see [`TerminalSafe`]), so the output needs no cleaning pass and a script reads back exactly what
/// the vault holds.
pub fn print_json(value: &impl Serialize) {
    use std::io::Write as _;
    // Written as it is encoded, through a buffer: a list of 10,000 tokens is megabytes of JSON,
    // which need not be held whole first.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, TerminalSafe::default());
    let written = value.serialize(&mut serializer).map_err(std::io::Error::from).and_then(|()| {
        out.write_all(b"\n")?;
        out.flush()
    });
    match written {
        Ok(()) => {}
        // A closed stdout (`| head -1`) is not an error worth a panic, or a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => eprintln!("tokenwarden-cli: cannot write JSON: {e}"),
    }
}

/// Tokens as `list --json` prints them, encoded one by one as they are written.
pub struct TokenList<'a> {
    pub tokens: &'a [TokenSummary],
    pub now: DateTime<Utc>,
}

impl Serialize for TokenList<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.tokens.iter().map(|t| TokenJson::new(t, self.now)))
    }
}

/// serde_json's pretty printer, which also writes `\uXXXX` for the characters serde_json leaves
/// as they are but a terminal acts on or that reorder a line: DEL, the C1 controls (U+009B starts
/// an escape sequence on its own) and the bidirectional controls. serde_json escapes the C0
/// controls (ESC among them) already, so the only control character left in the output is the
/// line break between values: what [`crate::say!`]'s cleaning would have left, without a second
/// pass over megabytes of JSON, and without losing the characters from the data.
#[derive(Default)]
pub struct TerminalSafe(serde_json::ser::PrettyFormatter<'static>);

/// What the core's display cleaning would remove or change (it is the one list of such characters).
fn needs_json_escape(c: char) -> bool {
    let mut buf = [0u8; 4];
    matches!(tokenwarden_core::display_text::one_line(c.encode_utf8(&mut buf)), std::borrow::Cow::Owned(_))
}

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        // Most text is printable ASCII: written in one go.
        if fragment.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if needs_json_escape(c) {
                w.write_all(&fragment.as_bytes()[start..at])?;
                write!(w, "\\u{:04x}", c as u32)?;
                start = at + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    // The layout is the pretty printer's.
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Left-aligned columns, two spaces apart, headed. Cells are cut to keep rows on one line.
pub fn print_table(headers: &[&str], rows: &[Vec<String>]) {
    use std::io::Write;
    let cell = |s: &str| -> String {
        let clean = field(s);
        if clean.chars().count() > 40 {
            format!("{}…", clean.chars().take(39).collect::<String>())
        } else {
            clean.into_owned()
        }
    };
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| cell(c)).collect()).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = std::io::stdout().lock();
    let mut line = |cells: Vec<String>| {
        let mut text = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(c);
            } else {
                text.push_str(&format!("{:<w$}  ", c, w = widths[i]));
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(headers.iter().map(|h| h.to_string()).collect());
    for row in rows {
        line(row);
    }
}
