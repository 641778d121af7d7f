//! KeePassXC's XML export (unencrypted KeePass 2.x XML) in, and the same format out so a user can
//! move to KeePassXC. The reader streams with quick-xml, refuses DOCTYPEs (entity bombs) and deep
//! nesting, and never lets a password or a protected field reach an error, a problem or the notes.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use tokenwarden_providers::ProviderId;
use zeroize::{Zeroize, Zeroizing};

use super::export::ExportedToken;
use super::{text, ImportRecord, Input, MAX_FIELD_BYTES};
use crate::error::{Error, Result};
use crate::expiry;
use crate::tokens::{Token, TokenKind, MAX_SECRET_BYTES};

/// Deepest element nesting read; KeePassXC's own files stay far below it.
const MAX_XML_DEPTH: usize = 64;
/// Seconds from 0001-01-01T00:00:00Z (KDBX 4's epoch for base64 times) to the Unix epoch.
const KDBX4_EPOCH_OFFSET: i64 = 62_135_596_800;
/// The string fields every KeePass entry has; any other `<String>` is a custom field.
const STANDARD_FIELDS: [&str; 5] = ["Title", "UserName", "Password", "URL", "Notes"];
/// The custom field that marks an entry written by [`write_xml`].
const ID_FIELD: &str = "Tokenwarden ID";
/// Labels of the lines [`write_xml`] appends to the notes; read back into their fields.
const NOTE_LABELS: [&str; 5] = ["Provider", "Kind", "Scopes", "Environment", "Purpose"];
/// What KeePassXC calls the recycle bin when `Meta/RecycleBinUUID` does not say.
const RECYCLE_BIN_NAME: &str = "Recycle Bin";

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Reads KeePassXC's "Export to XML" file: one record per entry that has a password and is not in
/// the recycle bin. Old versions (`<History>`) are ignored.
pub(crate) fn read_xml(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    let text = text::utf8(input)?;
    XmlReader::new(input, text).run()
}

/// Text the reader is collecting, and where it goes when its element closes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    RecycleBin,
    GroupUuid,
    GroupName,
    Tags,
    CreationTime,
    ExpiryTime,
    Expires,
    Key,
    Value,
}

impl Slot {
    fn element(self) -> &'static str {
        match self {
            Slot::RecycleBin => "RecycleBinUUID",
            Slot::GroupUuid => "UUID",
            Slot::GroupName => "Name",
            Slot::Tags => "Tags",
            Slot::CreationTime => "CreationTime",
            Slot::ExpiryTime => "ExpiryTime",
            Slot::Expires => "Expires",
            Slot::Key => "Key",
            Slot::Value => "Value",
        }
    }
}

/// What an opening tag means in its place in the document.
enum Opened {
    Group,
    Entry,
    History,
    Field,
    Value,
    Capture(Slot),
    Nothing,
}

struct GroupFrame {
    depth: usize,
    uuid: String,
    name: String,
}

/// One `<String>` of an entry. The value may be the password: zeroized when dropped.
#[derive(Default)]
struct StringField {
    key: String,
    value: Zeroizing<String>,
    /// `ProtectInMemory="True"`: the user marked it as sensitive (plain text in an XML export).
    protect_in_memory: bool,
    /// `Protected="True"`: encrypted with a KDBX inner stream we do not have.
    encrypted: bool,
}

/// An entry being read. Holds the password: no Debug.
struct EntryDraft {
    number: usize,
    depth: usize,
    /// Group names from below the root group down to this entry.
    groups: Vec<String>,
    in_recycle_bin: bool,
    fields: Vec<StringField>,
    tags: Option<String>,
    created: Option<String>,
    expiry: Option<String>,
    expires: bool,
}

impl EntryDraft {
    fn take(&mut self, key: &str) -> Option<StringField> {
        let index = self.fields.iter().position(|f| f.key == key)?;
        Some(self.fields.remove(index))
    }
}

struct XmlReader<'a, 'i> {
    input: &'i Input<'a>,
    text: &'a str,
    reader: Reader<&'a [u8]>,
    /// Names of the open elements, outermost first.
    stack: Vec<String>,
    groups: Vec<GroupFrame>,
    entry: Option<EntryDraft>,
    field: Option<StringField>,
    /// Open `<History>` elements inside the current entry (everything inside is skipped).
    history: usize,
    capture: Option<(Slot, usize)>,
    buf: Zeroizing<String>,
    recycle_bin: Option<String>,
    entries: usize,
    root_seen: bool,
    records: Vec<ImportRecord>,
}

impl<'a, 'i> XmlReader<'a, 'i> {
    fn new(input: &'i Input<'a>, text: &'a str) -> Self {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        XmlReader {
            input,
            text,
            reader,
            stack: Vec::new(),
            groups: Vec::new(),
            entry: None,
            field: None,
            history: 0,
            capture: None,
            buf: Zeroizing::new(String::with_capacity(1024)),
            recycle_bin: None,
            entries: 0,
            root_seen: false,
            records: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Vec<ImportRecord>> {
        loop {
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => return Err(self.error_at(self.reader.error_position(), "XML", describe(&e))),
            };
            match event {
                Event::Start(e) => self.start(&e)?,
                Event::Empty(e) => {
                    self.start(&e)?;
                    self.end()?;
                }
                Event::End(_) => self.end()?,
                Event::Text(t) => {
                    let content = t.xml10_content().map_err(|_| self.error("encoding", "is not valid UTF-8"))?;
                    self.push_text(&content)?;
                }
                Event::CData(c) => {
                    let content = c.xml10_content().map_err(|_| self.error("encoding", "is not valid UTF-8"))?;
                    self.push_text(&content)?;
                }
                Event::GeneralRef(r) => {
                    let c = self.resolve(&r)?;
                    self.push_text(c.encode_utf8(&mut [0u8; 4]))?;
                }
                Event::DocType(_) => {
                    return Err(self.error("DOCTYPE", "contains a DOCTYPE, which KeePassXC never writes; refused"))
                }
                Event::Eof => return self.finish(),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
    }

    /// An import error on the line the reader has reached.
    fn error(&self, field: &str, problem: impl Into<String>) -> Error {
        self.error_at(self.reader.buffer_position(), field, problem)
    }

    fn error_at(&self, position: u64, field: &str, problem: impl Into<String>) -> Error {
        let end = usize::try_from(position).unwrap_or(usize::MAX).min(self.text.len());
        let line = self.text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1;
        self.input.error(format!("line {line}"), field, problem)
    }

    fn start(&mut self, e: &BytesStart<'_>) -> Result<()> {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        if let Some((slot, _)) = self.capture {
            return Err(self.error(
                "XML",
                format!("expected text inside <{}>, found the element <{}>", slot.element(), tag(&name)),
            ));
        }
        self.open(name)?;
        if self.history > 0 {
            if self.stack.last().is_some_and(|n| n == "History") {
                self.history += 1;
            }
            return Ok(());
        }
        let depth = self.stack.len();
        match self.classify() {
            Opened::Group => self.groups.push(GroupFrame { depth, uuid: String::new(), name: String::new() }),
            Opened::Entry => self.begin_entry(depth),
            Opened::History => self.history = 1,
            Opened::Field => self.field = Some(StringField::default()),
            Opened::Value => {
                let (protect_in_memory, encrypted) = self.protection(e)?;
                if let Some(field) = &mut self.field {
                    field.protect_in_memory = protect_in_memory;
                    field.encrypted = encrypted;
                }
                self.begin_capture(Slot::Value, depth);
            }
            Opened::Capture(slot) => self.begin_capture(slot, depth),
            Opened::Nothing => {}
        }
        Ok(())
    }

    /// Pushes an element, checking the document element and the nesting depth.
    fn open(&mut self, name: String) -> Result<()> {
        if self.stack.is_empty() {
            if self.root_seen {
                return Err(self.error("XML", format!("expected the end of the file, found a second <{}>", tag(&name))));
            }
            if name != "KeePassFile" {
                return Err(self.error(
                    "format",
                    format!("expected <KeePassFile> first, found <{}>: not a KeePassXC XML export", tag(&name)),
                ));
            }
            self.root_seen = true;
        }
        self.stack.push(name);
        if self.stack.len() > MAX_XML_DEPTH {
            return Err(self.error("structure", format!("XML is nested more than {MAX_XML_DEPTH} levels deep")));
        }
        Ok(())
    }

    /// What the element just opened means, from its name and its parents.
    fn classify(&self) -> Opened {
        let depth = self.stack.len();
        let at = |up: usize| depth.checked_sub(up).and_then(|i| self.stack.get(i)).map_or("", String::as_str);
        let (name, parent) = (at(1), at(2));
        if let Some(entry) = &self.entry {
            return match (depth - entry.depth, name, parent) {
                (1, "History", _) => Opened::History,
                (1, "Tags", _) => Opened::Capture(Slot::Tags),
                (1, "String", _) => Opened::Field,
                (2, "CreationTime", "Times") => Opened::Capture(Slot::CreationTime),
                (2, "ExpiryTime", "Times") => Opened::Capture(Slot::ExpiryTime),
                (2, "Expires", "Times") => Opened::Capture(Slot::Expires),
                (2, "Key", "String") => Opened::Capture(Slot::Key),
                (2, "Value", "String") => Opened::Value,
                _ => Opened::Nothing,
            };
        }
        let in_group = self.groups.last().is_some_and(|g| g.depth + 1 == depth);
        match (name, parent) {
            ("RecycleBinUUID", "Meta") if depth == 3 => Opened::Capture(Slot::RecycleBin),
            ("Group", "Root") if depth == 3 => Opened::Group,
            ("Group", "Group") if in_group => Opened::Group,
            ("Entry", "Group") if in_group => Opened::Entry,
            ("UUID", "Group") if in_group => Opened::Capture(Slot::GroupUuid),
            ("Name", "Group") if in_group => Opened::Capture(Slot::GroupName),
            _ => Opened::Nothing,
        }
    }

    fn begin_entry(&mut self, depth: usize) {
        self.entries += 1;
        let in_recycle_bin = self.groups.iter().any(|g| self.is_recycle_bin(g));
        let groups = self.groups.iter().skip(1).map(|g| g.name.clone()).filter(|n| !n.is_empty()).collect();
        self.entry = Some(EntryDraft {
            number: self.entries,
            depth,
            groups,
            in_recycle_bin,
            fields: Vec::new(),
            tags: None,
            created: None,
            expiry: None,
            expires: false,
        });
    }

    fn is_recycle_bin(&self, group: &GroupFrame) -> bool {
        let by_uuid = self.recycle_bin.as_deref().is_some_and(|u| !u.is_empty() && u == group.uuid);
        by_uuid || group.name == RECYCLE_BIN_NAME
    }

    fn begin_capture(&mut self, slot: Slot, depth: usize) {
        self.buf.clear();
        self.capture = Some((slot, depth));
    }

    /// `ProtectInMemory` and `Protected` on a `<Value>`.
    fn protection(&self, e: &BytesStart<'_>) -> Result<(bool, bool)> {
        let (mut in_memory, mut encrypted) = (false, false);
        for attr in e.attributes() {
            let attr = attr.map_err(|_| self.error("XML", "expected name=\"value\" attributes in <Value>"))?;
            let on = attr.value.eq_ignore_ascii_case(b"true") || &*attr.value == b"1";
            match attr.key.as_ref() {
                b"ProtectInMemory" => in_memory |= on,
                b"Protected" => encrypted |= on,
                _ => {}
            }
        }
        Ok((in_memory, encrypted))
    }

    fn push_text(&mut self, content: &str) -> Result<()> {
        let Some((slot, _)) = self.capture else { return Ok(()) };
        let limit = if slot == Slot::Value { MAX_FIELD_BYTES.max(MAX_SECRET_BYTES) } else { MAX_FIELD_BYTES };
        if self.buf.len() + content.len() > limit {
            let field = match (&self.field, slot) {
                (Some(f), Slot::Value) if !f.key.is_empty() => text::for_message(&f.key, 40),
                _ => slot.element().to_owned(),
            };
            return Err(self.error(&field, text::longer_than(limit)));
        }
        if self.buf.len() + content.len() > self.buf.capacity() {
            // Grown by hand so the old allocation is zeroized rather than freed with a secret in it.
            let mut grown =
                Zeroizing::new(String::with_capacity((self.buf.len() + content.len()).max(self.buf.capacity() * 2)));
            grown.push_str(&self.buf);
            self.buf = grown;
        }
        self.buf.push_str(content);
        Ok(())
    }

    /// The character an entity or character reference stands for.
    fn resolve(&self, r: &BytesRef<'_>) -> Result<char> {
        if r.is_char_ref() {
            return r
                .resolve_char_ref()
                .ok()
                .flatten()
                .ok_or_else(|| self.error("XML", "expected a valid character reference such as &#x41;"));
        }
        match &**r {
            b"lt" => Ok('<'),
            b"gt" => Ok('>'),
            b"amp" => Ok('&'),
            b"apos" => Ok('\''),
            b"quot" => Ok('"'),
            _ => {
                Err(self
                    .error("XML", "expected one of &lt; &gt; &amp; &apos; &quot; (KeePassXC writes no other entity)"))
            }
        }
    }

    fn end(&mut self) -> Result<()> {
        let depth = self.stack.len();
        if let Some((slot, at)) = self.capture {
            if at == depth {
                self.capture = None;
                self.deliver(slot);
            }
        }
        let name = self.stack.pop().unwrap_or_default();
        if self.history > 0 {
            if name == "History" {
                self.history -= 1;
            }
            return Ok(());
        }
        match name.as_str() {
            "String" => {
                if let (Some(entry), Some(field)) = (&mut self.entry, self.field.take()) {
                    entry.fields.push(field);
                }
            }
            "Entry" if self.entry.as_ref().is_some_and(|e| e.depth == depth) => {
                if let Some(draft) = self.entry.take() {
                    if !draft.in_recycle_bin {
                        self.records.extend(build_record(self.input, draft)?);
                    }
                }
            }
            "Group" if self.groups.last().is_some_and(|g| g.depth == depth) => {
                self.groups.pop();
            }
            _ => {}
        }
        Ok(())
    }

    /// Hands collected text to its place.
    fn deliver(&mut self, slot: Slot) {
        if slot == Slot::Value {
            if let Some(field) = &mut self.field {
                // An exact-size copy, so the password is never moved by a reallocation.
                field.value = Zeroizing::new(self.buf.as_str().to_owned());
            }
            self.buf.zeroize();
            return;
        }
        let value = self.buf.trim().to_owned();
        self.buf.zeroize();
        let entry = self.entry.as_mut();
        match slot {
            Slot::RecycleBin => self.recycle_bin = Some(value),
            Slot::GroupUuid => self.groups.last_mut().into_iter().for_each(|g| g.uuid = value.clone()),
            Slot::GroupName => self.groups.last_mut().into_iter().for_each(|g| g.name = value.clone()),
            Slot::Key => self.field.iter_mut().for_each(|f| f.key = value.clone()),
            Slot::Tags => entry.into_iter().for_each(|e| e.tags = Some(value.clone())),
            Slot::CreationTime => entry.into_iter().for_each(|e| e.created = Some(value.clone())),
            Slot::ExpiryTime => entry.into_iter().for_each(|e| e.expiry = Some(value.clone())),
            Slot::Expires => entry.into_iter().for_each(|e| e.expires = is_true(&value)),
            Slot::Value => {}
        }
    }

    fn finish(self) -> Result<Vec<ImportRecord>> {
        if let Some(open) = self.stack.last() {
            let open = tag(open);
            return Err(self.error("XML", format!("the file ends inside <{open}>: expected </{open}> (truncated?)")));
        }
        if !self.root_seen {
            return Err(self.input.error(
                "the whole file",
                "format",
                "holds no <KeePassFile> element: not a KeePassXC XML export",
            ));
        }
        Ok(self.records)
    }
}

/// A quick-xml error in words, without any of the file's text but element names.
fn describe(e: &quick_xml::Error) -> String {
    use quick_xml::errors::IllFormedError as Ill;
    use quick_xml::Error as X;
    match e {
        X::Syntax(s) => format!("is not well-formed XML: {s}"),
        X::IllFormed(Ill::MismatchedEndTag { expected, found }) => {
            format!("expected </{}>, found </{}>", tag(expected), tag(found))
        }
        X::IllFormed(Ill::UnmatchedEndTag(name)) => format!("found </{}>, which closes no open element", tag(name)),
        X::IllFormed(Ill::MissingEndTag(name)) => format!("expected </{}> before the end of the file", tag(name)),
        X::IllFormed(Ill::UnclosedReference) => "expected ';' to end a reference (a lone & must be &amp;)".to_owned(),
        X::IllFormed(_) => "is not well-formed XML".to_owned(),
        X::InvalidAttr(_) => "expected name=\"value\" attributes in this tag".to_owned(),
        X::Encoding(_) => "is not valid UTF-8".to_owned(),
        X::Escape(_) => "expected a valid character or entity reference".to_owned(),
        _ => "could not be read as XML".to_owned(),
    }
}

/// An element name for a message: KeePass names are short and all letters, so anything else
/// (which a hostile or garbled file could fill with a secret) is shown as `…`.
fn tag(name: &str) -> &str {
    if !name.is_empty() && name.len() <= 40 && name.bytes().all(|b| b.is_ascii_alphabetic()) {
        name
    } else {
        "…"
    }
}

fn is_true(raw: &str) -> bool {
    raw.eq_ignore_ascii_case("true") || raw == "1"
}

/// A KeePass time: RFC 3339 (KDBX 3.1, and what KeePassXC exports) or base64 of 8 little-endian
/// bytes counting seconds since 0001-01-01 (KDBX 4).
fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    if let Some(bytes) = BASE64.decode(raw).ok().and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        let seconds = i64::from_le_bytes(bytes).checked_sub(KDBX4_EPOCH_OFFSET)?;
        return Utc.timestamp_opt(seconds, 0).single();
    }
    text::lenient_date(raw)
}

/// A date field, or a problem saying it was left out (quoting the text unless it holds a token:
/// a garbled file can put anything where a date belongs).
fn time_field(raw: Option<&str>, element: &str, problems: &mut Vec<String>) -> Option<DateTime<Utc>> {
    let raw = text::non_blank(raw)?;
    let parsed = parse_time(raw);
    if parsed.is_none() {
        problems.push(format!("{element} {} is not a date; left out", text::quoted(raw, 40)));
    }
    parsed
}

/// Turns a finished entry into a record; `None` when it has no password.
fn build_record(input: &Input<'_>, mut draft: EntryDraft) -> Result<Option<ImportRecord>> {
    let number = draft.number;
    let title = draft.take("Title");
    let title = text::field(input, &format!("entry {number}"), "Title", title.as_ref().map(|f| f.value.as_str()))?
        .map(|t| t.replace(['\n', '\t'], " "));
    let at = text::item_label("entry", number, title.as_deref());
    let Some(mut password) = draft.take("Password").filter(|p| !p.value.trim().is_empty()) else {
        return Ok(None);
    };
    if password.encrypted {
        return Err(input.error(
            &at,
            "Password",
            "is encrypted with the database's inner key (Protected=\"True\"); use KeePassXC's Database > Export > XML File",
        ));
    }
    text::check_secret_len(input, &at, "Password", &password.value)?;
    let secret = SecretString::from(std::mem::take(&mut *password.value));
    let mut problems = Vec::new();
    let name = title.unwrap_or_else(|| {
        problems.push(format!("has no title; named 'KeePassXC entry {number}'"));
        format!("KeePassXC entry {number}")
    });
    let mut record = ImportRecord::new(at.clone(), name, secret);
    record.problems = problems;
    fill_record(input, &at, &mut draft, &mut record)?;
    Ok(Some(record))
}

/// Everything but the name and the secret.
fn fill_record(input: &Input<'_>, at: &str, draft: &mut EntryDraft, record: &mut ImportRecord) -> Result<()> {
    let plain = |draft: &mut EntryDraft, key: &str| -> Result<Option<String>> {
        let field = draft.take(key);
        text::field(input, at, key, field.as_ref().map(|f| f.value.as_str()))
    };
    record.account = plain(draft, "UserName")?;
    record.url = plain(draft, "URL")?.filter(|url| {
        let ok = text::is_http_url(url);
        if !ok {
            record.problems.push("URL is not an http(s) address; left out".to_owned());
        }
        ok
    });
    let mut notes = plain(draft, "Notes")?;
    if draft.take(ID_FIELD).is_some() {
        notes = read_own_fields(input, at, draft, notes, record)?;
    }
    let custom = custom_lines(input, at, draft, &mut record.problems)?;
    let combined = match (notes, custom.is_empty()) {
        (Some(n), false) => Some(format!("{n}\n{}", custom.join("\n"))),
        (None, false) => Some(custom.join("\n")),
        (n, true) => n,
    };
    record.notes = text::field(input, at, "Notes", combined.as_deref())?;
    record.tags = entry_tags(draft);
    record.created_at = time_field(draft.created.as_deref(), "CreationTime", &mut record.problems);
    if draft.expires {
        record.expires_at = time_field(draft.expiry.as_deref(), "ExpiryTime", &mut record.problems);
    }
    Ok(())
}

/// The entry's tags (split on `;` and `,`) and its group path below the root as one more tag.
fn entry_tags(draft: &EntryDraft) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let listed = draft.tags.as_deref().unwrap_or("").split([';', ',']).map(str::trim);
    let group = draft.groups.join("/").replace([',', '\n', '\t'], " ");
    for tag in listed.chain(std::iter::once(group.trim())).filter(|t| !t.is_empty()) {
        text::push_unique(&mut tags, tag.to_owned());
    }
    tags
}

/// Custom string fields as "Key: Value" lines; a protected one is left out with a problem.
fn custom_lines(input: &Input<'_>, at: &str, draft: &EntryDraft, problems: &mut Vec<String>) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for field in draft.fields.iter().filter(|f| !STANDARD_FIELDS.contains(&f.key.as_str())) {
        let Some(key) = text::field(input, at, "custom field name", Some(&field.key))? else { continue };
        if field.value.trim().is_empty() {
            continue;
        }
        if field.protect_in_memory || field.encrypted {
            problems.push(format!("custom field {} holds a protected value; not imported", text::quoted(&key, 40)));
            continue;
        }
        if let Some(value) = text::field(input, at, &text::for_message(&key, 40), Some(&field.value))? {
            lines.push(format!("{}: {value}", key.replace('\n', " ")));
        }
    }
    Ok(lines)
}

/// For an entry [`write_xml`] wrote: provider and kind from their custom fields, and scopes,
/// environment and purpose from the lines appended to the notes. Returns the user's own notes.
fn read_own_fields(
    input: &Input<'_>,
    at: &str,
    draft: &mut EntryDraft,
    notes: Option<String>,
    record: &mut ImportRecord,
) -> Result<Option<String>> {
    let provider = draft.take("Provider");
    if let Some(raw) = text::field(input, at, "Provider", provider.as_ref().map(|f| f.value.as_str()))? {
        record.provider = ProviderId::parse(&raw).ok();
        if record.provider.is_none() {
            record.problems.push(format!("Provider {} is not a provider id; detected instead", text::quoted(&raw, 40)));
        }
    }
    let kind = draft.take("Kind");
    if let Some(raw) = text::field(input, at, "Kind", kind.as_ref().map(|f| f.value.as_str()))? {
        record.kind = raw.parse::<TokenKind>().ok();
        if record.kind.is_none() {
            record.problems.push(format!("Kind {} is not a token kind; left as other", text::quoted(&raw, 40)));
        }
    }
    let Some(notes) = notes else { return Ok(None) };
    let (own, labelled) = split_trailer(&notes);
    for (label, value) in labelled {
        match label {
            "Scopes" => {
                record.scopes = value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
            }
            "Environment" => record.environment = Some(value.to_owned()),
            "Purpose" => record.purpose = Some(value.to_owned()),
            _ => {}
        }
    }
    Ok(own.map(str::to_owned))
}

/// Splits notes into the user's text and the trailing "Label: value" lines [`write_xml`] adds,
/// which start at the last line beginning "Provider: ".
fn split_trailer(notes: &str) -> (Option<&str>, Vec<(&str, &str)>) {
    let start = if notes.starts_with("Provider: ") { Some(0) } else { notes.rfind("\nProvider: ").map(|i| i + 1) };
    let Some(start) = start else { return (Some(notes), Vec::new()) };
    let mut labelled = Vec::new();
    for line in notes[start..].lines() {
        match line.split_once(": ") {
            Some((label, value)) if NOTE_LABELS.contains(&label) => labelled.push((label, value.trim())),
            _ => return (Some(notes), Vec::new()),
        }
    }
    let own = notes[..start].trim_end();
    (Some(own).filter(|o| !o.is_empty()), labelled)
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// KeePass 2.x XML (KDBX 4 layout) that KeePassXC reads (`keepassxc-cli import export.xml new.kdbx`):
/// one group "Tokenwarden" with an entry per token. Every field lands somewhere: provider, kind,
/// scopes, environment and purpose as lines in the notes, provider and kind also as custom fields
/// (and the provider as a tag). A token without a secret gets an empty password.
pub(crate) fn write_xml(tokens: &[ExportedToken], now: DateTime<Utc>) -> Result<Zeroizing<Vec<u8>>> {
    // Sized for the worst case up front so the buffer holding secrets is never reallocated
    // (which would leave copies behind).
    let mut out = Zeroizing::new(Vec::with_capacity(capacity_for(tokens)));
    let mut w = XmlOut { buf: &mut out };
    w.raw("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n<KeePassFile>\n");
    write_meta(&mut w, now)?;
    w.open(1, "Root");
    w.open(2, "Group");
    w.leaf(3, "UUID", &group_uuid(now))?;
    w.leaf(3, "Name", "Tokenwarden")?;
    w.leaf(3, "IconID", "48")?;
    write_times(&mut w, 3, now, now, None)?;
    w.leaf(3, "IsExpanded", "True")?;
    for exported in tokens {
        write_entry(&mut w, exported)?;
    }
    w.close(2, "Group");
    w.raw("\t\t<DeletedObjects/>\n");
    w.close(1, "Root");
    w.raw("</KeePassFile>\n");
    Ok(out)
}

/// An upper bound on the output size: fixed markup per entry plus every text at most fivefold
/// (`&` → `&amp;`), counted twice because the notes repeat some fields.
fn capacity_for(tokens: &[ExportedToken]) -> usize {
    const HEADER: usize = 4096;
    const PER_ENTRY: usize = 3072;
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    let list = |l: &[String]| l.iter().map(|s| s.len() + 2).sum::<usize>();
    tokens
        .iter()
        .map(|e| {
            let t = &e.token;
            let texts = t.id.len()
                + t.name.len()
                + opt(&t.account)
                + opt(&t.url)
                + opt(&t.notes)
                + opt(&t.environment)
                + opt(&t.purpose)
                + list(&t.scopes)
                + list(&t.tags)
                + t.provider.as_str().len()
                + t.kind.as_str().len()
                + e.secret.as_ref().map_or(0, |s| s.expose_secret().len());
            PER_ENTRY.saturating_add(texts.saturating_mul(10))
        })
        .fold(HEADER, usize::saturating_add)
}

/// Writes straight into the output buffer, escaping as it goes, so no unzeroized copy of a
/// secret is ever made (quick-xml's escaping returns a new string when anything needs escaping).
struct XmlOut<'b> {
    buf: &'b mut Vec<u8>,
}

impl XmlOut<'_> {
    fn raw(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    fn indent(&mut self, level: usize) {
        self.buf.extend(std::iter::repeat_n(b'\t', level));
    }

    fn open(&mut self, level: usize, tag: &str) {
        self.indent(level);
        self.raw("<");
        self.raw(tag);
        self.raw(">\n");
    }

    fn close(&mut self, level: usize, tag: &str) {
        self.indent(level);
        self.raw("</");
        self.raw(tag);
        self.raw(">\n");
    }

    /// `<tag>text</tag>` on its own line.
    fn leaf(&mut self, level: usize, tag: &str, text: &str) -> Result<()> {
        self.indent(level);
        self.raw("<");
        self.raw(tag);
        self.raw(">");
        self.escaped(tag, text)?;
        self.raw("</");
        self.raw(tag);
        self.raw(">\n");
        Ok(())
    }

    /// A `<String>` field; `protect` marks it ProtectInMemory as KeePassXC does for passwords.
    fn string(&mut self, level: usize, key: &str, value: &str, protect: bool) -> Result<()> {
        self.open(level, "String");
        self.leaf(level + 1, "Key", key)?;
        self.indent(level + 1);
        self.raw(if protect { "<Value ProtectInMemory=\"True\">" } else { "<Value>" });
        self.escaped(key, value)?;
        self.raw("</Value>\n");
        self.close(level, "String");
        Ok(())
    }

    /// Text content escaped for XML 1.0. `\r` becomes `&#13;` so it survives line-end
    /// normalisation; characters XML 1.0 cannot hold are an error naming the field, not the value.
    fn escaped(&mut self, field: &str, text: &str) -> Result<()> {
        if text.contains(['\u{FFFE}', '\u{FFFF}']) {
            return Err(Error::invalid(field, "contains a character that XML cannot hold"));
        }
        for b in text.bytes() {
            match b {
                b'<' => self.raw("&lt;"),
                b'>' => self.raw("&gt;"),
                b'&' => self.raw("&amp;"),
                b'\r' => self.raw("&#13;"),
                b'\t' | b'\n' => self.buf.push(b),
                b if b < 0x20 => {
                    return Err(Error::invalid(field, "contains a control character, which XML cannot hold"));
                }
                b => self.buf.push(b),
            }
        }
        Ok(())
    }
}

fn write_meta(w: &mut XmlOut<'_>, now: DateTime<Utc>) -> Result<()> {
    let now = expiry::to_storage(now);
    w.open(1, "Meta");
    w.leaf(2, "Generator", "Tokenwarden")?;
    w.leaf(2, "DatabaseName", "Tokenwarden export")?;
    w.leaf(2, "DatabaseNameChanged", &now)?;
    w.open(2, "MemoryProtection");
    for (tag, on) in [
        ("ProtectTitle", "False"),
        ("ProtectUserName", "False"),
        ("ProtectPassword", "True"),
        ("ProtectURL", "False"),
        ("ProtectNotes", "False"),
    ] {
        w.leaf(3, tag, on)?;
    }
    w.close(2, "MemoryProtection");
    w.leaf(2, "RecycleBinEnabled", "False")?;
    w.leaf(2, "SettingsChanged", &now)?;
    w.close(1, "Meta");
    Ok(())
}

fn write_times(
    w: &mut XmlOut<'_>,
    level: usize,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
    expires: Option<DateTime<Utc>>,
) -> Result<()> {
    let (created, modified) = (expiry::to_storage(created), expiry::to_storage(modified));
    w.open(level, "Times");
    w.leaf(level + 1, "LastModificationTime", &modified)?;
    w.leaf(level + 1, "CreationTime", &created)?;
    w.leaf(level + 1, "LastAccessTime", &modified)?;
    w.leaf(level + 1, "ExpiryTime", &expires.map_or_else(|| created.clone(), expiry::to_storage))?;
    w.leaf(level + 1, "Expires", if expires.is_some() { "True" } else { "False" })?;
    w.leaf(level + 1, "UsageCount", "0")?;
    w.leaf(level + 1, "LocationChanged", &created)?;
    w.close(level, "Times");
    Ok(())
}

fn write_entry(w: &mut XmlOut<'_>, exported: &ExportedToken) -> Result<()> {
    let t = &exported.token;
    let uuid = uuid::Uuid::parse_str(&t.id)
        .map_err(|_| Error::Internal(format!("token id '{}' is not a UUID", text::truncate_chars(&t.id, 40))))?;
    let secret = exported.secret.as_ref().map_or("", |s| s.expose_secret());
    w.open(2, "Entry");
    w.leaf(3, "UUID", &BASE64.encode(uuid.as_bytes()))?;
    w.leaf(3, "IconID", "0")?;
    w.leaf(3, "Tags", &export_tags(t))?;
    write_times(w, 3, t.created_at, t.updated_at, t.expires_at)?;
    w.string(3, "Title", &t.name, false)?;
    w.string(3, "UserName", t.account.as_deref().unwrap_or(""), false)?;
    w.string(3, "Password", secret, true)?;
    w.string(3, "URL", t.url.as_deref().unwrap_or(""), false)?;
    w.string(3, "Notes", &export_notes(t), false)?;
    w.string(3, "Provider", t.provider.as_str(), false)?;
    w.string(3, "Kind", t.kind.as_str(), false)?;
    w.string(3, ID_FIELD, &t.id, false)?;
    w.close(2, "Entry");
    Ok(())
}

/// The token's tags and its provider, `;`-separated as KeePassXC writes them.
fn export_tags(t: &Token) -> String {
    let mut tags: Vec<&str> = t.tags.iter().map(String::as_str).collect();
    if !tags.contains(&t.provider.as_str()) {
        tags.push(t.provider.as_str());
    }
    tags.join(";")
}

/// The user's notes, then one "Label: value" line per field KeePass has no place for.
fn export_notes(t: &Token) -> String {
    let mut lines = vec![format!("Provider: {}", t.provider), format!("Kind: {}", t.kind)];
    if !t.scopes.is_empty() {
        lines.push(format!("Scopes: {}", t.scopes.join(", ")));
    }
    if let Some(environment) = &t.environment {
        lines.push(format!("Environment: {environment}"));
    }
    if let Some(purpose) = &t.purpose {
        lines.push(format!("Purpose: {}", purpose.replace('\n', " ")));
    }
    match t.notes.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(notes) => format!("{notes}\n\n{}", lines.join("\n")),
        None => lines.join("\n"),
    }
}

/// A stable group UUID for one export (KeePassXC wants one; nothing else refers to it).
fn group_uuid(now: DateTime<Utc>) -> String {
    let digest = Sha256::new().chain_update(b"tokenwarden keepassxc group ").chain_update(now.to_rfc3339()).finalize();
    BASE64.encode(&digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::TokenStatus;
    use crate::transfer::text::test_support::{assert_no_secret, by_name, failure, import_fixture};
    use proptest::prelude::*;

    const EXPORT: &[u8] = import_fixture!("keepassxc-xml/export.xml");
    const TRUNCATED: &[u8] = import_fixture!("keepassxc-xml/broken-truncated.xml");
    const BOMB: &[u8] = import_fixture!("keepassxc-xml/doctype-bomb.xml");
    const DEEP: &[u8] = import_fixture!("keepassxc-xml/deep.xml");
    /// Every (fake) secret in the fixtures, including history, recycle bin and protected fields.
    const FIXTURE_SECRETS: &[&str] = &[
        "glpat-Ab3dEf5hIj7lMn9pQr1t",
        "glpat-OldHistoryValue0001",
        "sk-proj-Qm4Rt7Yu1Io3Pa6Sd9Fg2Hj5",
        "whsec_Lk3Jh5Gf7Ds9Aq2Wz4Xc6Vb8",
        "glpat-DeletedDeleted00001",
        "recovery-Zx81Qw72Er63Ty54",
        "glpat-TruncTrunc",
        "glpat-BombBombBombBomb0001",
        "glpat-DeepDeepDeepDeep0001",
    ];

    fn read(bytes: &[u8]) -> Result<Vec<ImportRecord>> {
        read_xml(&Input { name: "export.xml", bytes })
    }

    fn err(bytes: &[u8]) -> String {
        failure(read(bytes))
    }

    /// A minimal file with the given entries in the root group.
    fn file(body: &str) -> String {
        format!("<KeePassFile><Root><Group><Name>Root</Name>{body}</Group></Root></KeePassFile>")
    }

    fn entry(title: &str, password: &str, extra: &str) -> String {
        format!(
            "<Entry><String><Key>Title</Key><Value>{title}</Value></String>\
             <String><Key>Password</Key><Value ProtectInMemory=\"True\">{password}</Value></String>{extra}</Entry>"
        )
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    #[test]
    fn fixture_entries_map_title_user_password_url_notes_and_tags() {
        let records = read(EXPORT).unwrap();
        let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["GitLab deploy token", "OpenAI & friends", "Stripe webhook signing secret"]);
        let gitlab = &records[0];
        assert_eq!(gitlab.secret.expose_secret(), "glpat-Ab3dEf5hIj7lMn9pQr1t");
        assert_eq!(gitlab.account.as_deref(), Some("deploy-bot"));
        assert_eq!(gitlab.url.as_deref(), Some("https://gitlab.example.com/acme/monorepo"));
        assert_eq!(gitlab.notes.as_deref(), Some("Deploy token for the monorepo pipeline."));
        assert_eq!(gitlab.tags, ["ci", "gitlab"]);
        assert_eq!(gitlab.created_at, Some(at(2026, 1, 2, 3, 4, 5)));
        assert_eq!(gitlab.at, "entry 1 ('GitLab deploy token')");
        assert!(gitlab.problems.is_empty(), "{:?}", gitlab.problems);
        assert!(gitlab.provider.is_none(), "the provider is detected from the secret later");
    }

    #[test]
    fn group_path_below_the_root_becomes_a_tag() {
        let records = read(EXPORT).unwrap();
        assert_eq!(by_name(&records, "OpenAI & friends").tags, ["ai", "billing", "Work"]);
        assert_eq!(by_name(&records, "Stripe webhook signing secret").tags, ["payments", "webhooks", "Work/CI"]);
    }

    #[test]
    fn expiry_is_taken_only_when_expires_is_true() {
        let records = read(EXPORT).unwrap();
        assert_eq!(by_name(&records, "GitLab deploy token").expires_at, Some(at(2027, 1, 1, 0, 0, 0)));
        assert_eq!(by_name(&records, "Stripe webhook signing secret").expires_at, Some(at(2026, 8, 1, 12, 0, 0)));
        assert_eq!(by_name(&records, "OpenAI & friends").expires_at, None, "ExpiryTime is set but Expires is False");
    }

    #[test]
    fn kdbx4_base64_times_are_seconds_since_year_one() {
        let records = read(EXPORT).unwrap();
        assert_eq!(by_name(&records, "OpenAI & friends").created_at, Some(at(2026, 3, 4, 5, 6, 7)));
        assert_eq!(parse_time("gDG24w4AAAA="), Some(at(2027, 6, 30, 0, 0, 0)));
        assert_eq!(parse_time("2026-01-02T03:04:05Z"), Some(at(2026, 1, 2, 3, 4, 5)));
        assert_eq!(parse_time("AAAA"), None, "base64 of fewer than 8 bytes is not a time");
        assert_eq!(parse_time("AAAAAAAAAAA="), Some(at(1, 1, 1, 0, 0, 0)), "zero is the start of year 1");
        assert_eq!(parse_time(&BASE64.encode(i64::MAX.to_le_bytes())), None, "out of chrono's range");
    }

    #[test]
    fn expiring_entry_with_an_unreadable_date_keeps_the_token_and_says_so() {
        let times =
            "<Times><CreationTime>soon</CreationTime><ExpiryTime>later</ExpiryTime><Expires>True</Expires></Times>";
        let records = read(file(&entry("t", "glpat-Aa1Bb2Cc3Dd4Ee5Ff6Gg", times)).as_bytes()).unwrap();
        assert_eq!(records[0].expires_at, None);
        assert_eq!(
            records[0].problems,
            ["CreationTime 'soon' is not a date; left out", "ExpiryTime 'later' is not a date; left out"]
        );
    }

    #[test]
    fn history_recycle_bin_and_passwordless_entries_are_skipped() {
        let records = read(EXPORT).unwrap();
        assert_eq!(records.len(), 3);
        for r in &records {
            assert_ne!(r.secret.expose_secret(), "glpat-OldHistoryValue0001");
            assert_ne!(r.secret.expose_secret(), "glpat-DeletedDeleted00001");
            assert_ne!(r.name, "Status page");
        }
        // Entries are numbered as the user sees them, skipped ones included.
        assert_eq!(by_name(&records, "OpenAI & friends").at, "entry 3 ('OpenAI & friends')");
    }

    #[test]
    fn recycle_bin_is_found_by_name_without_meta() {
        let bin = format!("<Group><Name>Recycle Bin</Name>{}</Group>", entry("gone", "glpat-Gone1Gone2Gone3Gone4", ""));
        let kept = entry("kept", "glpat-Kept1Kept2Kept3Kept4", "");
        let records = read(file(&format!("{bin}{kept}")).as_bytes()).unwrap();
        assert_eq!(records.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["kept"]);
    }

    #[test]
    fn entities_and_character_references_are_decoded() {
        let records = read(EXPORT).unwrap();
        let notes = by_name(&records, "OpenAI & friends").notes.clone().unwrap();
        assert!(notes.starts_with("Rotate if R&D <asks> \"nicely\" \u{263A}\nSecond line & more."), "{notes}");
        let cdata = entry("<![CDATA[a <b> & c]]>", "p&#x41;ss&amp;word-12345", "");
        let records = read(file(&cdata).as_bytes()).unwrap();
        assert_eq!(records[0].name, "a <b> & c");
        assert_eq!(records[0].secret.expose_secret(), "pAss&word-12345");
    }

    #[test]
    fn protected_custom_field_is_left_out_with_a_problem() {
        let records = read(EXPORT).unwrap();
        let openai = by_name(&records, "OpenAI & friends");
        assert_eq!(openai.problems, ["custom field 'Backup code' holds a protected value; not imported"]);
        assert!(!openai.notes.as_deref().unwrap_or("").contains("recovery-"));
    }

    #[test]
    fn dates_kinds_and_field_names_holding_a_token_are_not_quoted() {
        let secret = "whsec_Lk3Jh5Gf7Ds9Aq2Wz4Xc6Vb8";
        let extra = format!(
            "<Times><CreationTime>{secret} soon</CreationTime></Times>\
             <String><Key>{secret} (backup)</Key><Value ProtectInMemory=\"True\">x</Value></String>\
             <String><Key>Tokenwarden ID</Key><Value>x</Value></String>\
             <String><Key>Kind</Key><Value>{secret}?</Value></String>"
        );
        let records = read(file(&entry("t", "glpat-Aa1Bb2Cc3Dd4Ee5Ff6Gg", &extra)).as_bytes()).unwrap();
        assert_eq!(
            records[0].problems,
            [
                "Kind (a value that looks like a token) is not a token kind; left as other",
                "custom field (a value that looks like a token) holds a protected value; not imported",
                "CreationTime (a value that looks like a token) is not a date; left out",
            ]
        );
    }

    #[test]
    fn plain_custom_fields_are_appended_to_notes() {
        let records = read(EXPORT).unwrap();
        let notes = by_name(&records, "OpenAI & friends").notes.clone().unwrap();
        assert!(notes.ends_with("Second line & more.\nOrganisation: acme-research"), "{notes}");
        let only_custom =
            entry("t", "glpat-Aa1Bb2Cc3Dd4Ee5Ff6Gg", "<String><Key>Region</Key><Value>eu-west-1</Value></String>");
        let records = read(file(&only_custom).as_bytes()).unwrap();
        assert_eq!(records[0].notes.as_deref(), Some("Region: eu-west-1"));
    }

    #[test]
    fn at_names_the_entry_number_and_at_most_60_chars_of_title() {
        let long = "x".repeat(100);
        let records = read(file(&entry(&long, "glpat-Aa1Bb2Cc3Dd4Ee5Ff6Gg", "")).as_bytes()).unwrap();
        assert_eq!(records[0].at, format!("entry 1 ('{}')", "x".repeat(60)));
        let untitled = "<Entry><String><Key>Password</Key><Value>glpat-Aa1Bb2Cc3Dd4Ee5Ff6Gg</Value></String></Entry>";
        let records = read(file(untitled).as_bytes()).unwrap();
        assert_eq!((records[0].at.as_str(), records[0].name.as_str()), ("entry 1", "KeePassXC entry 1"));
    }

    #[test]
    fn non_http_url_is_left_out_with_a_problem() {
        let extra = "<String><Key>URL</Key><Value>cmd://ssh deploy@host</Value></String>";
        let records = read(file(&entry("t", "glpat-Aa1Bb2Cc3Dd4Ee5Ff6Gg", extra)).as_bytes()).unwrap();
        assert_eq!(records[0].url, None);
        assert_eq!(records[0].problems, ["URL is not an http(s) address; left out"]);
    }

    #[test]
    fn truncated_file_names_its_line_and_the_missing_end_tag() {
        let e = err(TRUNCATED);
        let lines = TRUNCATED.iter().filter(|&&b| b == b'\n').count() + 1;
        assert!(e.contains(&format!("line {lines}")), "{e}");
        assert!(e.contains("ends inside <Key>") && e.contains("expected </Key>"), "{e}");
    }

    #[test]
    fn mismatched_end_tag_names_the_line_and_the_expected_tag() {
        let e = err(b"<KeePassFile>\n<Root>\n<Group>\n</Root>\n</KeePassFile>");
        assert!(e.contains("line 4") && e.contains("expected </Group>, found </Root>"), "{e}");
        let body = "<Entry>\n<String>\n<Key>Password</Key>\n<Value a=\"1\" a=\"2\">x</Value>";
        let e = err(file(body).as_bytes());
        assert!(e.contains("line 4") && e.contains("attributes"), "{e}");
    }

    #[test]
    fn doctype_is_refused_before_any_entity_is_expanded() {
        let e = err(BOMB);
        assert!(e.contains("contains a DOCTYPE, which KeePassXC never writes; refused") && e.contains("line "), "{e}");
        let e = err(b"<KeePassFile><Root><Group><Name>&lol;</Name></Group></Root></KeePassFile>");
        assert!(e.contains("KeePassXC writes no other entity"), "{e}");
    }

    #[test]
    fn nesting_deeper_than_64_is_refused() {
        let e = err(DEEP);
        assert!(e.contains("nested more than 64 levels deep"), "{e}");
        let ok = format!("<KeePassFile>{}{}</KeePassFile>", "<a>".repeat(63), "</a>".repeat(63));
        assert!(read(ok.as_bytes()).unwrap().is_empty());
        let deep = format!("<KeePassFile>{}", "<a>".repeat(100_000));
        assert!(err(deep.as_bytes()).contains("nested more than"));
    }

    #[test]
    fn a_file_that_is_not_a_keepass_export_is_refused() {
        assert!(err(b"<html><body/></html>").contains("expected <KeePassFile> first, found <html>"));
        assert!(err(b"").contains("holds no <KeePassFile>"));
        assert!(err(b"<KeePassFile/><KeePassFile/>").contains("found a second <KeePassFile>"));
        assert!(err(b"<KeePassFile><Root><Group><Name>a<b/></Name></Group></Root></KeePassFile>")
            .contains("expected text inside <Name>"));
    }

    #[test]
    fn inner_stream_encrypted_password_is_refused() {
        let body =
            "<Entry><String><Key>Password</Key><Value Protected=\"True\">c2VjcmV0LWNpcGhlcg==</Value></String></Entry>";
        let e = err(file(body).as_bytes());
        assert!(e.contains("entry 1") && e.contains("Protected") && !e.contains("c2VjcmV0"), "{e}");
    }

    #[test]
    fn values_longer_than_the_first_buffer_are_read_whole() {
        let secret = format!("glpat-{}", "Ab1".repeat(3000));
        let notes = format!("<String><Key>Notes</Key><Value>{}&amp;end</Value></String>", "n".repeat(5000));
        let records = read(file(&entry("t", &secret, &notes)).as_bytes()).unwrap();
        assert_eq!(records[0].secret.expose_secret(), secret);
        assert_eq!(records[0].notes.as_deref().map(str::len), Some(5004));
    }

    #[test]
    fn overlong_fields_are_refused() {
        let notes = format!("<String><Key>Notes</Key><Value>{}</Value></String>", "n".repeat(MAX_FIELD_BYTES + 1));
        let e = err(file(&entry("t", "glpat-Aa1Bb2Cc3Dd4Ee5Ff6Gg", &notes)).as_bytes());
        assert!(e.contains("Notes") && e.contains("longer than 64 KiB"), "{e}");
        let e = err(file(&entry("t", &"s".repeat(MAX_SECRET_BYTES + 1), "")).as_bytes());
        assert!(e.contains("Password") && e.contains("longer than 64 KiB") && !e.contains("sssss"), "{e}");
    }

    #[test]
    fn no_secret_reaches_an_error_or_a_problem() {
        let mut texts: Vec<String> = read(EXPORT).unwrap().iter().flat_map(|r| r.problems.clone()).collect();
        texts.extend([TRUNCATED, BOMB, DEEP].iter().map(|f| err(f)));
        for cut in (0..EXPORT.len()).step_by(97) {
            if let Err(e) = read(&EXPORT[..cut]) {
                texts.push(e.to_string());
            }
        }
        let canary = "glpat-CanaryCanary000001";
        for broken in [
            format!("<KeePassFile><Root><Group><Entry><String><Key>Password</Key><Value>{canary}</Valu></String>"),
            format!("<KeePassFile><Root><Group><Entry><String><Key>Password</Key><Value>{canary}&bogus;</Value>"),
            format!("<KeePassFile><Root><Group><Entry><String><Key>Password</Key><Value>{canary}<x/></Value>"),
            format!("<KeePassFile><{canary}></KeePassFile>"),
        ] {
            texts.push(err(broken.as_bytes()));
        }
        assert_no_secret(&texts, FIXTURE_SECRETS.iter().chain([&canary]));
    }

    fn token(id: &str, name: &str) -> Token {
        Token {
            id: id.to_owned(),
            name: name.to_owned(),
            provider: ProviderId::parse("github").unwrap(),
            kind: TokenKind::PersonalAccessToken,
            hint: "ghp_…wxyz".to_owned(),
            account: Some("octo-bot".to_owned()),
            environment: Some("production".to_owned()),
            scopes: vec!["repo".to_owned(), "read:org".to_owned()],
            tags: vec!["ci".to_owned(), "release & deploy".to_owned()],
            purpose: Some("release pipeline".to_owned()),
            notes: Some("Rotate <quarterly>\r\n& log it\n\nsee runbook".to_owned()),
            url: Some("https://github.com/settings/tokens?type=beta&x=1".to_owned()),
            created_at: at(2026, 1, 2, 3, 4, 5),
            updated_at: at(2026, 2, 3, 4, 5, 6),
            expires_at: Some(at(2027, 1, 31, 0, 0, 0)),
            rotation_max_age_days: None,
            last_rotated_at: None,
            last_used_at: None,
            last_used_source: None,
            last_verified_at: None,
            last_verified_result: None,
            status: TokenStatus::Active,
            replaced_by: None,
            replaces: None,
            revoked_at: None,
            revoke_method: None,
        }
    }

    fn bare_token(id: &str, name: &str) -> Token {
        Token {
            account: None,
            environment: None,
            scopes: Vec::new(),
            tags: Vec::new(),
            purpose: None,
            notes: None,
            url: None,
            expires_at: None,
            kind: TokenKind::ApiKey,
            provider: ProviderId::parse("openai").unwrap(),
            ..token(id, name)
        }
    }

    fn exported(token: Token, secret: Option<&str>) -> ExportedToken {
        ExportedToken { token, secret: secret.map(SecretString::from), usages: Vec::new() }
    }

    fn sample() -> Vec<ExportedToken> {
        vec![
            exported(
                token("0192f3a4-5b6c-7d8e-9f00-112233445566", "Deploy <bot> & \"friends\""),
                Some("ghp_0123456789abcdefghijklmnopqrstuvwxyz"),
            ),
            exported(bare_token("0192f3a4-5b6c-7d8e-9f00-aabbccddeeff", "OpenAI"), Some("sk-<&>'\"\r\n-Zz9")),
        ]
    }

    #[test]
    fn round_trip_through_our_own_export_keeps_every_field() {
        let tokens = sample();
        let xml = write_xml(&tokens, at(2026, 11, 28, 10, 0, 0)).unwrap();
        let records = read(&xml).unwrap();
        assert_eq!(records.len(), 2);
        for (original, record) in tokens.iter().zip(&records) {
            let t = &original.token;
            assert_eq!(record.name, t.name);
            assert_eq!(record.account, t.account);
            assert_eq!(record.url, t.url);
            assert_eq!(Some(record.secret.expose_secret()), original.secret.as_ref().map(|s| s.expose_secret()));
            assert_eq!(record.expires_at, t.expires_at);
            assert_eq!(record.created_at, Some(t.created_at));
            assert!(t.tags.iter().all(|tag| record.tags.contains(tag)), "{:?}", record.tags);
            assert_eq!(record.provider.as_ref(), Some(&t.provider));
            assert_eq!(record.kind, Some(t.kind));
            assert_eq!(record.scopes, t.scopes);
            assert_eq!(record.environment, t.environment);
            assert_eq!(record.purpose, t.purpose);
            assert!(record.problems.is_empty(), "{:?}", record.problems);
        }
        // Line ends inside notes come back as written (\r survives as &#13;).
        assert_eq!(records[0].notes, tokens[0].token.notes);
        assert_eq!(records[1].notes, None);
    }

    #[test]
    fn export_is_well_formed_keepass_xml_with_escaped_text() {
        let xml = write_xml(&sample(), at(2026, 11, 28, 10, 0, 0)).unwrap();
        let text = std::str::from_utf8(&xml).unwrap();
        assert!(
            text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n<KeePassFile>\n\t<Meta>")
        );
        assert!(text.contains("<Generator>Tokenwarden</Generator>"));
        assert!(text.contains("<Value>Deploy &lt;bot&gt; &amp; \"friends\"</Value>"));
        assert!(text.contains("<Value ProtectInMemory=\"True\">sk-&lt;&amp;&gt;'\"&#13;\n-Zz9</Value>"));
        assert!(text.contains("<UUID>AZLzpFtsfY6fABEiM0RVZg==</UUID>"), "UUID is base64 of the 16 id bytes");
        assert!(text.contains("<Tags>ci;release &amp; deploy;github</Tags>"));
        assert!(text.contains("<ExpiryTime>2027-01-31T00:00:00Z</ExpiryTime>\n\t\t\t\t<Expires>True</Expires>"));
        assert!(text.contains("<Expires>False</Expires>"));
        for key in ["Provider", "Kind", "Tokenwarden ID"] {
            assert!(text.contains(&format!("<Key>{key}</Key>")), "{key}");
        }
        // Every element opened is closed, in order (quick-xml checks end names).
        let mut reader = Reader::from_str(text);
        while !matches!(reader.read_event().unwrap(), Event::Eof) {}
    }

    #[test]
    fn export_buffer_is_sized_once_and_never_reallocated() {
        let mut tokens = sample();
        tokens[0].token.notes = Some("&".repeat(3000));
        let xml = write_xml(&tokens, at(2026, 11, 28, 10, 0, 0)).unwrap();
        assert_eq!(xml.capacity(), capacity_for(&tokens), "the buffer grew, leaving copies of secrets behind");
        assert!(xml.len() <= xml.capacity());
    }

    #[test]
    fn export_without_a_secret_writes_an_empty_password_and_refuses_control_characters() {
        let tokens = vec![exported(bare_token("0192f3a4-5b6c-7d8e-9f00-aabbccddeeff", "meta only"), None)];
        let xml = write_xml(&tokens, at(2026, 11, 28, 10, 0, 0)).unwrap();
        assert!(std::str::from_utf8(&xml).unwrap().contains("<Value ProtectInMemory=\"True\"></Value>"));
        assert!(read(&xml).unwrap().is_empty(), "an entry without a password is not imported");
        let bad =
            vec![exported(bare_token("0192f3a4-5b6c-7d8e-9f00-aabbccddeeff", "x"), Some("abc\u{1}canary-secret"))];
        let e = write_xml(&bad, at(2026, 11, 28, 10, 0, 0)).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("Password") && !e.contains("canary-secret"), "{e}");
    }

    #[test]
    fn keepassxc_cli_imports_our_export() {
        let Ok(version) = std::process::Command::new("keepassxc-cli").arg("--version").output() else {
            println!("keepassxc-cli not installed; skipped");
            return;
        };
        assert!(version.status.success());
        let dir = tempfile::tempdir().unwrap();
        let (xml_path, db_path) = (dir.path().join("export.xml"), dir.path().join("db.kdbx"));
        std::fs::write(&xml_path, &*write_xml(&sample(), at(2026, 11, 28, 10, 0, 0)).unwrap()).unwrap();
        let run = |args: &[&std::ffi::OsStr], stdin: &str| {
            use std::io::Write as _;
            let mut child = std::process::Command::new("keepassxc-cli")
                .args(args)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
            child.wait_with_output().unwrap()
        };
        // `import -p xml database` asks for the new database's password twice on stdin.
        let import =
            run(&["import".as_ref(), "-p".as_ref(), xml_path.as_os_str(), db_path.as_os_str()], "test-pw\ntest-pw\n");
        assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
        // KeePassXC's own XML export of that database reads back to the same entries, expiry included.
        let exported =
            run(&["export".as_ref(), "-q".as_ref(), "-f".as_ref(), "xml".as_ref(), db_path.as_os_str()], "test-pw\n");
        assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
        let records = read(&exported.stdout).unwrap();
        let tokens = sample();
        assert_eq!(records.len(), tokens.len());
        for (original, record) in tokens.iter().zip(&records) {
            assert_eq!(record.name, original.token.name);
            assert_eq!(record.expires_at, original.token.expires_at);
            // KeePassXC stores line ends in a password as \n: compare without \r.
            let without_cr = |s: &str| s.replace('\r', "");
            let theirs = without_cr(record.secret.expose_secret());
            assert_eq!(Some(theirs), original.secret.as_ref().map(|s| without_cr(s.expose_secret())));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn never_panics(s in "[<>/a-zA-Z=\" ]{0,600}") {
            let _ = read_xml(&Input { name: "f", bytes: s.as_bytes() });
        }

        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = read_xml(&Input { name: "f", bytes: &bytes });
        }

        #[test]
        fn never_panics_on_a_cut_or_corrupted_export(cut in 0..EXPORT.len(), at in 0..EXPORT.len(), byte in any::<u8>()) {
            let mut bytes = EXPORT[..cut].to_vec();
            if at < bytes.len() {
                bytes[at] = byte;
            }
            if let Err(e) = read_xml(&Input { name: "f", bytes: &bytes }) {
                let e = e.to_string();
                for secret in FIXTURE_SECRETS {
                    prop_assert!(!e.contains(secret), "{}", e);
                }
            }
        }
    }
}
