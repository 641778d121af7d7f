//! 1Password's 1PUX export: a ZIP archive whose `export.data` is JSON (accounts → vaults → items).
//! API Credential and Login items, and token-like concealed fields of any item, become tokens.
//! The archive is hostile until proven otherwise: only `export.data` is unpacked, within bounds
//! on entries, size and compression ratio that hold even when the ZIP headers lie.

mod csv;

pub(crate) use csv::read_csv;

use chrono::{DateTime, TimeZone, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::io::{Cursor, Read};
use zeroize::Zeroizing;
use zip::result::ZipError;

use crate::error::Result;
use crate::model::TokenKind;
use crate::reading::{self, null_as_default, ItemContext};
use crate::{ImportRecord, Input, MAX_UNPACKED_BYTES, MAX_UNPACK_RATIO};

/// Most entries an archive may list (a real export has `export.data`, attributes and its files).
const MAX_ENTRIES: usize = 10_000;
const EXPORT_DATA: &str = "export.data";
const LOGIN: &str = "001";
const API_CREDENTIAL: &str = "112";

/// Bounds on unpacking; the tests lower them to build small bombs.
struct Limits {
    entries: usize,
    bytes: u64,
    ratio: u64,
}

const LIMITS: Limits = Limits { entries: MAX_ENTRIES, bytes: MAX_UNPACKED_BYTES, ratio: MAX_UNPACK_RATIO };

#[derive(Deserialize)]
struct ExportData {
    #[serde(default, deserialize_with = "null_as_default")]
    accounts: Vec<Account>,
}

#[derive(Deserialize)]
struct Account {
    #[serde(default, deserialize_with = "null_as_default")]
    vaults: Vec<Vault>,
}

#[derive(Deserialize)]
struct Vault {
    attrs: Option<VaultAttrs>,
    #[serde(default, deserialize_with = "null_as_default")]
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct VaultAttrs {
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    /// Older exports wrap each item as `{ "item": { … } }`.
    item: Option<Box<Item>>,
    state: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    trashed: bool,
    category_uuid: Option<String>,
    created_at: Option<i64>,
    overview: Option<Overview>,
    details: Option<Details>,
}

#[derive(Deserialize)]
struct Overview {
    title: Option<String>,
    url: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    urls: Vec<OverviewUrl>,
    #[serde(default, deserialize_with = "null_as_default")]
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct OverviewUrl {
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Details {
    #[serde(default, deserialize_with = "null_as_default")]
    login_fields: Vec<LoginField>,
    notes_plain: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    sections: Vec<Section>,
    /// The Password category keeps its value here.
    password: Option<SecretString>,
}

#[derive(Deserialize)]
struct LoginField {
    designation: Option<String>,
    value: Option<SecretString>,
}

#[derive(Deserialize)]
struct Section {
    #[serde(default, deserialize_with = "null_as_default")]
    fields: Vec<SectionField>,
}

#[derive(Deserialize)]
struct SectionField {
    title: Option<String>,
    id: Option<String>,
    value: Option<FieldValue>,
}

#[derive(Deserialize)]
struct FieldValue {
    concealed: Option<SecretString>,
    string: Option<String>,
    menu: Option<String>,
    url: Option<String>,
    email: Option<String>,
    /// Unix seconds.
    date: Option<i64>,
}

/// Reads a 1PUX archive: unpacks `export.data` within the zip-bomb limits and reads its items.
pub(crate) fn read_1pux(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    read_with_limits(input, &LIMITS)
}

fn read_with_limits(input: &Input<'_>, limits: &Limits) -> Result<Vec<ImportRecord>> {
    let data = unpack_export_data(input, limits)?;
    let name = format!("{} ({EXPORT_DATA})", input.name);
    let inner = Input { name: &name, bytes: &data[..] };
    let text = reading::utf8(&inner)?;
    let export: ExportData = reading::parse_json(&inner, text)?;
    let mut records = Vec::new();
    for vault in export.accounts.iter().flat_map(|a| &a.vaults) {
        let vault_name = vault.attrs.as_ref().and_then(|a| a.name.as_deref()).unwrap_or_default();
        for (index, item) in vault.items.iter().enumerate() {
            let item = item.item.as_deref().unwrap_or(item);
            let title = item.overview.as_ref().and_then(|o| o.title.as_deref());
            let at =
                format!("vault {}, {}", reading::quoted(vault_name, 40), reading::item_label("item", index + 1, title));
            read_item(&inner, &at, vault_name, item, &mut records)?;
        }
    }
    Ok(records)
}

/// `export.data`'s bytes. Its declared size must fit the limits, and so must what it really
/// unpacks to: the reading stops one byte past the limit, whatever the headers claim.
fn unpack_export_data(input: &Input<'_>, limits: &Limits) -> Result<Zeroizing<Vec<u8>>> {
    let whole = "the whole file";
    let mut archive =
        zip::ZipArchive::new(Cursor::new(input.bytes)).map_err(|e| input.error(whole, "archive", zip_problem(&e)))?;
    if archive.len() > limits.entries {
        return Err(input.error(
            whole,
            "archive",
            format!("lists {} entries; a 1PUX export is read with at most {}", archive.len(), limits.entries),
        ));
    }
    let mut entry = archive.by_name(EXPORT_DATA).map_err(|e| match e {
        ZipError::FileNotFound => input.error(whole, "archive", "is not a 1PUX export: no export.data"),
        other => input.error(EXPORT_DATA, "archive", zip_problem(&other)),
    })?;
    let (declared, compressed) = (entry.size(), entry.compressed_size());
    let limit = limits.bytes.min(compressed.saturating_mul(limits.ratio));
    if declared > limits.bytes {
        return Err(input.error(
            EXPORT_DATA,
            "size",
            format!("unpacks to {} MiB; the limit is {} MiB", declared >> 20, limits.bytes >> 20),
        ));
    }
    if declared > limit {
        return Err(input.error(
            EXPORT_DATA,
            "size",
            format!("is compressed more than {}:1, which no real export is (a zip bomb?)", limits.ratio),
        ));
    }
    // Sized up front so the buffer holding secrets is not reallocated (leaving copies) as it grows.
    let mut data = Zeroizing::new(Vec::with_capacity(usize::try_from(declared).unwrap_or(0)));
    (&mut entry)
        .take(limit.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|_| input.error(EXPORT_DATA, "archive", "is damaged: it could not be unpacked"))?;
    if data.len() as u64 > limit {
        return Err(input.error(
            EXPORT_DATA,
            "size",
            format!("unpacks to more than its header says and past the {} MiB limit (a zip bomb?)", limit >> 20),
        ));
    }
    Ok(data)
}

/// A ZIP error in words, without the archive's contents.
fn zip_problem(e: &ZipError) -> String {
    match e {
        ZipError::UnsupportedArchive(what) if *what == ZipError::PASSWORD_REQUIRED => {
            "is password-protected; export from 1Password again without a password".to_owned()
        }
        ZipError::UnsupportedArchive(what) => format!("uses a ZIP feature that is not supported ({what})"),
        _ => "is not a ZIP archive or is damaged (a 1PUX export is a ZIP archive)".to_owned(),
    }
}

/// A concealed value found in an item, and the field it came from.
struct Concealed<'a> {
    label: String,
    credential: bool,
    secret: &'a SecretString,
}

fn read_item(
    input: &Input<'_>,
    at: &str,
    vault_name: &str,
    item: &Item,
    records: &mut Vec<ImportRecord>,
) -> Result<()> {
    let state = item.state.as_deref().unwrap_or("active");
    if item.trashed || state == "deleted" || state == "trashed" {
        return Ok(());
    }
    let category = item.category_uuid.as_deref().unwrap_or_default();
    let mut context = ItemContext {
        tags: overview_tags(vault_name, item.overview.as_ref(), state == "archived"),
        created_at: item.created_at.and_then(unix_time),
        ..ItemContext::default()
    };
    if let Some(overview) = &item.overview {
        context.set_url(overview.url.as_deref().or_else(|| overview.urls.iter().find_map(|u| u.url.as_deref())));
    }
    if category == API_CREDENTIAL {
        context.kind = Some(TokenKind::ApiKey);
    }
    let details = item.details.as_ref();
    let mut lines: Vec<String> = details.and_then(|d| d.notes_plain.clone()).into_iter().collect();
    let mut concealed = Vec::new();
    let mut password = None;
    for field in details.map(|d| d.login_fields.as_slice()).unwrap_or_default() {
        match field.designation.as_deref() {
            Some("username") => {
                let value = field.value.as_ref().map(|v| v.expose_secret());
                context.account = reading::field(input, at, "username", value)?;
            }
            Some("password") => password = field.value.as_ref(),
            _ => {}
        }
    }
    if let Some(secret) = details.and_then(|d| d.password.as_ref()) {
        concealed.push(Concealed { label: "password".to_owned(), credential: false, secret });
    }
    for field in details.map(|d| d.sections.as_slice()).unwrap_or_default().iter().flat_map(|s| &s.fields) {
        read_field(input, at, category, field, &mut context, &mut lines, &mut concealed)?;
    }
    context.set_notes(lines);
    let main = match category {
        LOGIN => password,
        API_CREDENTIAL => concealed.iter().find(|c| c.credential).or(concealed.first()).map(|c| c.secret),
        _ => None,
    };
    let title = item.overview.as_ref().and_then(|o| o.title.as_deref());
    let name = reading::one_line_name(title, || "1Password item".to_owned());
    if let Some(secret) = main.filter(|s| reading::is_filled(s)) {
        records.push(context.record(at, &name, secret.clone()));
    }
    for extra in concealed.iter().filter(|c| !main.is_some_and(|m| std::ptr::eq(m, c.secret))) {
        if reading::secret_looks_like_token(extra.secret) {
            records.push(context.field_record(at, &name, &extra.label, extra.secret.clone()));
        }
    }
    Ok(())
}

/// One section field: a concealed value is kept as a candidate secret; the API Credential's
/// known fields fill the account, address and dates; other text goes to the notes.
fn read_field<'a>(
    input: &Input<'_>,
    at: &str,
    category: &str,
    field: &'a SectionField,
    context: &mut ItemContext,
    lines: &mut Vec<String>,
    concealed: &mut Vec<Concealed<'a>>,
) -> Result<()> {
    let Some(value) = &field.value else { return Ok(()) };
    let id = field.id.as_deref().unwrap_or_default();
    let title = reading::non_blank(field.title.as_deref()).unwrap_or(id);
    let api = category == API_CREDENTIAL;
    if let Some(secret) = &value.concealed {
        let credential = api && (id == "credential" || title.eq_ignore_ascii_case("credential"));
        concealed.push(Concealed { label: title.to_owned(), credential, secret });
        return Ok(());
    }
    if let Some(date) = value.date {
        match id {
            "validFrom" if api => context.created_at = unix_time(date).or(context.created_at),
            _ if id == "expires" || reading::is_expiry_name(title) => context.expires_at = unix_time(date),
            _ => {}
        }
        return Ok(());
    }
    let raw = value.string.as_deref().or(value.menu.as_deref()).or(value.url.as_deref()).or(value.email.as_deref());
    let Some(text) = reading::field(input, at, title, raw)? else { return Ok(()) };
    match id {
        "username" if api => context.account = Some(text),
        "hostname" if api => context.set_url(Some(&text)),
        _ if reading::is_expiry_name(title) => {
            if !context.set_expiry(title, &text) {
                lines.push(format!("{title}: {text}"));
            }
        }
        _ => lines.push(format!("{title}: {text}")),
    }
    Ok(())
}

/// The vault's name, the item's own tags, and `archived` for an archived item.
fn overview_tags(vault_name: &str, overview: Option<&Overview>, archived: bool) -> Vec<String> {
    let own = overview.map(|o| o.tags.as_slice()).unwrap_or_default();
    let archived = archived.then_some("archived");
    let mut tags: Vec<String> = Vec::new();
    let named = std::iter::once(vault_name).chain(own.iter().map(String::as_str)).chain(archived);
    for tag in named.filter_map(reading::vault_tag) {
        reading::push_unique(&mut tags, tag);
    }
    tags
}

/// Unix seconds as a time; 0 and negative values mean "not set" in 1PUX.
fn unix_time(seconds: i64) -> Option<DateTime<Utc>> {
    (seconds > 0).then(|| Utc.timestamp_opt(seconds, 0).single()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::test_support::{assert_no_secret, by_name, failure, import_fixture};
    use proptest::prelude::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    const EXPORT_DATA_JSON: &[u8] = import_fixture!("1pux/export.data.json");
    const DEEP: &[u8] = import_fixture!("bitwarden/deep.json");

    const STRIPE: &str = "sk_live_FAKE1pux0a1b2c3d4e5f6g7h8i9j";
    const GITHUB: &str = "ghp_1PuxFAKE0a1b2c3d4e5f6g7h8i9j0k1l2m3n";
    const GITLAB: &str = "glpat-1PuxFAKEa1b2c3d4e5f6";
    const SLACK: &str = "xoxp-4444444444-5555555555-1PuxFAKEaBcDeFgHiJkL";
    const NOT_TOKENS: &[&str] = &["hunter2", "correct horse battery", "sk_live_FAKEtrashed0a1b2c3d4e5f6"];

    /// A ZIP with the given entries, deflated (as 1Password writes them).
    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            if name.ends_with('/') {
                writer.add_directory(*name, options).unwrap();
            } else {
                writer.start_file(*name, options).unwrap();
                writer.write_all(bytes).unwrap();
            }
        }
        writer.finish().unwrap().into_inner()
    }

    fn onepux(export_data: &[u8]) -> Vec<u8> {
        zip_of(&[
            ("export.attributes", br#"{"version":3,"description":"1Password Unencrypted Export"}"#),
            ("export.data", export_data),
            ("files/", b""),
        ])
    }

    fn read_bytes(bytes: &[u8]) -> Result<Vec<ImportRecord>> {
        read_1pux(&Input { name: "vault.1pux", bytes })
    }

    #[test]
    fn api_credential_maps_secret_account_url_kind_and_dates() {
        let records = read_bytes(&onepux(EXPORT_DATA_JSON)).unwrap();
        let stripe = by_name(&records, "Stripe live key");
        assert_eq!(stripe.secret.expose_secret(), STRIPE);
        assert_eq!(stripe.account.as_deref(), Some("billing-svc"));
        assert_eq!(stripe.url.as_deref(), Some("https://api.stripe.com"));
        assert_eq!(stripe.kind, Some(TokenKind::ApiKey));
        assert_eq!(stripe.created_at.unwrap().timestamp(), 1_700_000_000);
        assert_eq!(stripe.expires_at.unwrap().timestamp(), 1_800_000_000);
        assert_eq!(stripe.notes.as_deref(), Some("Rotates yearly.\ntype: bearer\nfilename: stripe.key"));
        assert_eq!(stripe.tags, ["Engineering", "payments"]);
        assert_eq!(stripe.at, "vault 'Engineering', item 1 ('Stripe live key')");
    }

    #[test]
    fn login_password_and_token_like_concealed_fields_become_tokens() {
        let records = read_bytes(&onepux(EXPORT_DATA_JSON)).unwrap();
        let github = by_name(&records, "GitHub bot");
        assert_eq!(github.secret.expose_secret(), GITHUB);
        assert_eq!(github.account.as_deref(), Some("octo-bot"));
        assert_eq!(github.url.as_deref(), Some("https://github.com/login"));
        assert_eq!(github.tags, ["Engineering", "archived"]);
        let gitlab = by_name(&records, "GitHub bot / recovery token");
        assert_eq!(gitlab.secret.expose_secret(), GITLAB);
        let slack = by_name(&records, "Slack notes / user token");
        assert_eq!(slack.secret.expose_secret(), SLACK);
    }

    #[test]
    fn a_vault_item_or_field_name_holding_a_token_is_left_out_of_at() {
        // Found by tests/fuzz_importers.rs: a secret pasted into a vault's name reached `at`.
        let data = String::from_utf8_lossy(EXPORT_DATA_JSON)
            .replacen("\"name\": \"Engineering\"", &format!("\"name\": \"{GITHUB}\""), 1)
            .replacen("\"Stripe live key\"", &format!("\"Stripe {GITLAB}\""), 1)
            .replacen("\"recovery token\"", &format!("\"{SLACK}\""), 1);
        let records = read_bytes(&onepux(data.as_bytes())).unwrap();
        let at: Vec<&str> = records.iter().map(|r| r.at.as_str()).collect();
        assert_eq!(at[0], "vault (a value that looks like a token), item 1");
        assert!(at[2].ends_with("item 2 ('GitHub bot'), field (a value that looks like a token)"), "{at:?}");
        for secret in [GITHUB, GITLAB, SLACK] {
            assert!(at.iter().all(|a| !a.contains(secret)), "{at:?}");
        }
    }

    #[test]
    fn trashed_plain_notes_and_non_token_passwords_are_skipped() {
        let records = read_bytes(&onepux(EXPORT_DATA_JSON)).unwrap();
        let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Stripe live key", "GitHub bot", "GitHub bot / recovery token", "Slack notes / user token"]);
        for record in &records {
            assert!(!NOT_TOKENS.contains(&record.secret.expose_secret()));
        }
    }

    #[test]
    fn zip_bomb_by_ratio_is_refused() {
        let zeros = vec![0u8; 3 << 20];
        let err = failure(read_bytes(&onepux(&zeros)));
        assert!(err.contains("zip bomb"), "{err}");
    }

    #[test]
    fn declared_size_over_the_limit_is_refused() {
        let limits = Limits { entries: MAX_ENTRIES, bytes: 2 << 20, ratio: u64::MAX };
        let big = vec![b' '; 3 << 20];
        let err = failure(read_with_limits(&Input { name: "big.1pux", bytes: &onepux(&big) }, &limits));
        assert!(err.contains("unpacks to 3 MiB; the limit is 2 MiB"), "{err}");
    }

    #[test]
    fn a_header_that_lies_about_its_size_is_caught_while_reading() {
        let mut data = br#"{"accounts": []}"#.to_vec();
        data.resize(3 << 20, b' ');
        let mut bytes = zip_of(&[("export.data", &data)]);
        // Claim 100 bytes in both the local header (offset 22) and the central directory (offset 24).
        let local = 0;
        let central = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
        bytes[local + 22..local + 26].copy_from_slice(&100u32.to_le_bytes());
        bytes[central + 24..central + 28].copy_from_slice(&100u32.to_le_bytes());
        let limits = Limits { entries: MAX_ENTRIES, bytes: 2 << 20, ratio: u64::MAX };
        let err = failure(read_with_limits(&Input { name: "liar.1pux", bytes: &bytes }, &limits));
        assert!(err.contains("more than its header says"), "{err}");
    }

    #[test]
    fn too_many_entries_are_refused() {
        let limits = Limits { entries: 3, ..LIMITS };
        let bytes = zip_of(&[("a", b"1"), ("b", b"2"), ("c", b"3"), ("export.data", b"{}")]);
        let err = failure(read_with_limits(&Input { name: "many.1pux", bytes: &bytes }, &limits));
        assert!(err.contains("lists 4 entries"), "{err}");
    }

    #[test]
    fn not_a_zip_truncated_zip_and_missing_export_data_are_clear_errors() {
        let err = failure(read_bytes(b"just some text"));
        assert!(err.contains("not a ZIP archive"), "{err}");
        let whole = onepux(EXPORT_DATA_JSON);
        let err = failure(read_bytes(&whole[..whole.len() / 2]));
        assert!(err.contains("not a ZIP archive or is damaged"), "{err}");
        let err = failure(read_bytes(&zip_of(&[("export.attributes", b"{}")])));
        assert!(err.contains("is not a 1PUX export: no export.data"), "{err}");
    }

    #[test]
    fn truncated_and_deep_export_data_are_clear_errors() {
        let err = failure(read_bytes(&onepux(&EXPORT_DATA_JSON[..EXPORT_DATA_JSON.len() / 2])));
        assert!(err.contains("vault.1pux (export.data)") && err.contains("truncated"), "{err}");
        let err = failure(read_bytes(&onepux(DEEP)));
        assert!(err.contains("nested more than"), "{err}");
    }

    #[test]
    fn no_secret_reaches_an_error_or_problem() {
        let records = read_bytes(&onepux(EXPORT_DATA_JSON)).unwrap();
        let mut texts: Vec<String> = records.iter().flat_map(|r| r.problems.clone()).collect();
        texts.extend(records.iter().map(|r| r.at.clone()));
        for cut in (100..EXPORT_DATA_JSON.len()).step_by(211) {
            if let Err(e) = read_bytes(&onepux(&EXPORT_DATA_JSON[..cut])) {
                texts.push(e.to_string());
            }
        }
        let whole = onepux(EXPORT_DATA_JSON);
        for cut in (0..whole.len()).step_by(97) {
            if let Err(e) = read_bytes(&whole[..cut]) {
                texts.push(e.to_string());
            }
        }
        assert_no_secret(&texts, [STRIPE, GITHUB, GITLAB, SLACK].iter().chain(NOT_TOKENS));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_bytes(&bytes);
            let mut zipped = b"PK\x03\x04".to_vec();
            zipped.extend(&bytes);
            let _ = read_bytes(&zipped);
        }

        #[test]
        fn never_panics_on_json_like_export_data(s in "[\\[\\]{}\":,a-z0-9 ]{0,400}") {
            let _ = read_bytes(&onepux(s.as_bytes()));
        }

        #[test]
        fn never_panics_on_mangled_archives(at in any::<usize>(), byte in any::<u8>()) {
            let mut bytes = onepux(EXPORT_DATA_JSON);
            let at = at % bytes.len();
            bytes[at] = byte;
            let _ = read_bytes(&bytes);
        }
    }
}
