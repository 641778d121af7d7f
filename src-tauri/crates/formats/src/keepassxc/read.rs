//! Reading KeePassXC's XML export.

use super::*;
use crate::error::{Error, Result};
use crate::model::{TokenKind, MAX_SECRET_BYTES};
use crate::{reading, ImportRecord, Input, MAX_FIELD_BYTES};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use secrecy::SecretString;
use tokenwarden_providers::ProviderId;
use zeroize::{Zeroize, Zeroizing};

/// Reads KeePassXC's "Export to XML" file: one record per entry that has a password and is not in
/// the recycle bin. Old versions (`<History>`) are ignored.
pub(crate) fn read_xml(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    let text = reading::utf8(input)?;
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
                (Some(f), Slot::Value) if !f.key.is_empty() => reading::for_message(&f.key, 40),
                _ => slot.element().to_owned(),
            };
            return Err(self.error(&field, reading::longer_than(limit)));
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
pub(super) fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    if let Some(bytes) = BASE64.decode(raw).ok().and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        let seconds = i64::from_le_bytes(bytes).checked_sub(KDBX4_EPOCH_OFFSET)?;
        return Utc.timestamp_opt(seconds, 0).single();
    }
    reading::lenient_date(raw)
}

/// A date field, or a problem saying it was left out (quoting the text unless it holds a token:
/// a garbled file can put anything where a date belongs).
fn time_field(raw: Option<&str>, element: &str, problems: &mut Vec<String>) -> Option<DateTime<Utc>> {
    let raw = reading::non_blank(raw)?;
    let parsed = parse_time(raw);
    if parsed.is_none() {
        problems.push(format!("{element} {} is not a date; left out", reading::quoted(raw, 40)));
    }
    parsed
}

/// Turns a finished entry into a record; `None` when it has no password.
fn build_record(input: &Input<'_>, mut draft: EntryDraft) -> Result<Option<ImportRecord>> {
    let number = draft.number;
    let title = draft.take("Title");
    let title = reading::field(input, &format!("entry {number}"), "Title", title.as_ref().map(|f| f.value.as_str()))?
        .map(|t| t.replace(['\n', '\t'], " "));
    let at = reading::item_label("entry", number, title.as_deref());
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
    reading::check_secret_len(input, &at, "Password", &password.value)?;
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
        reading::field(input, at, key, field.as_ref().map(|f| f.value.as_str()))
    };
    record.account = plain(draft, "UserName")?;
    record.url = plain(draft, "URL")?.filter(|url| {
        let ok = reading::is_http_url(url);
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
    record.notes = reading::field(input, at, "Notes", combined.as_deref())?;
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
        reading::push_unique(&mut tags, tag.to_owned());
    }
    tags
}

/// Custom string fields as "Key: Value" lines; a protected one is left out with a problem.
fn custom_lines(input: &Input<'_>, at: &str, draft: &EntryDraft, problems: &mut Vec<String>) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for field in draft.fields.iter().filter(|f| !STANDARD_FIELDS.contains(&f.key.as_str())) {
        let Some(key) = reading::field(input, at, "custom field name", Some(&field.key))? else { continue };
        if field.value.trim().is_empty() {
            continue;
        }
        if field.protect_in_memory || field.encrypted {
            problems.push(format!("custom field {} holds a protected value; not imported", reading::quoted(&key, 40)));
            continue;
        }
        if let Some(value) = reading::field(input, at, &reading::for_message(&key, 40), Some(&field.value))? {
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
    if let Some(raw) = reading::field(input, at, "Provider", provider.as_ref().map(|f| f.value.as_str()))? {
        record.provider = ProviderId::parse(&raw).ok();
        if record.provider.is_none() {
            record
                .problems
                .push(format!("Provider {} is not a provider id; detected instead", reading::quoted(&raw, 40)));
        }
    }
    let kind = draft.take("Kind");
    if let Some(raw) = reading::field(input, at, "Kind", kind.as_ref().map(|f| f.value.as_str()))? {
        record.kind = raw.parse::<TokenKind>().ok();
        if record.kind.is_none() {
            record.problems.push(format!("Kind {} is not a token kind; left as other", reading::quoted(&raw, 40)));
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
