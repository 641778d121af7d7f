//! Bitwarden's unencrypted JSON export ("File > Export vault", format JSON): login passwords and
//! token-like hidden custom fields become tokens. An encrypted export is refused with the way out;
//! no value from the file ever reaches an error or a problem text.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::collections::HashMap;

use crate::error::Result;
use crate::reading::{self, null_as_default, ItemContext};
use crate::{ImportRecord, Input};

const LOGIN: i64 = 1;
const FIELD_TEXT: i64 = 0;
const FIELD_HIDDEN: i64 = 1;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[serde(default)]
    encrypted: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    folders: Vec<Folder>,
    #[serde(default, deserialize_with = "null_as_default")]
    collections: Vec<Folder>,
    items: Option<Vec<Item>>,
}

#[derive(Deserialize)]
struct Folder {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    folder_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    collection_ids: Vec<String>,
    #[serde(rename = "type")]
    kind: Option<i64>,
    name: Option<String>,
    notes: Option<String>,
    login: Option<Login>,
    #[serde(default, deserialize_with = "null_as_default")]
    fields: Vec<CustomField>,
    creation_date: Option<String>,
    deleted_date: Option<String>,
}

#[derive(Deserialize)]
struct Login {
    username: Option<String>,
    password: Option<SecretString>,
    #[serde(default, deserialize_with = "null_as_default")]
    uris: Vec<Uri>,
}

#[derive(Deserialize)]
struct Uri {
    uri: Option<String>,
}

#[derive(Deserialize)]
struct CustomField {
    name: Option<String>,
    value: Option<SecretString>,
    #[serde(rename = "type")]
    kind: Option<i64>,
}

/// Reads a Bitwarden JSON export: one token per login with a password, and one per hidden custom
/// field whose value looks like a token. Items in the trash are skipped.
pub(crate) fn read(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    let text = reading::utf8(input)?;
    let document: Document = reading::parse_json(input, text)?;
    if document.encrypted {
        return Err(input.error(
            "the whole file",
            "encrypted",
            "is an encrypted Bitwarden export; export it again as unencrypted JSON \
             (or import the .json from 'File > Export vault' with format JSON)",
        ));
    }
    let Some(items) = document.items else {
        return Err(input.error("the whole file", "items", "is missing: this is not a Bitwarden JSON export"));
    };
    let groups: HashMap<&str, &str> = document
        .folders
        .iter()
        .chain(&document.collections)
        .filter_map(|f| Some((f.id.as_deref()?, f.name.as_deref()?)))
        .collect();
    let mut records = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if item.deleted_date.is_none() {
            read_item(input, index + 1, item, &groups, &mut records)?;
        }
    }
    Ok(records)
}

fn read_item(
    input: &Input<'_>,
    number: usize,
    item: &Item,
    groups: &HashMap<&str, &str>,
    records: &mut Vec<ImportRecord>,
) -> Result<()> {
    let at = reading::item_label("item", number, item.name.as_deref());
    let name = reading::one_line_name(item.name.as_deref(), || format!("Bitwarden item {number}"));
    let mut context = ItemContext::default();
    let login = item.login.as_ref().filter(|_| item.kind == Some(LOGIN));
    if let Some(login) = login {
        context.account = reading::field(input, &at, "username", login.username.as_deref())?;
        context.set_url(login.uris.iter().find_map(|u| u.uri.as_deref()));
    }
    let group_ids = item.folder_id.iter().chain(&item.collection_ids);
    context.tags = group_ids.filter_map(|id| groups.get(id.as_str())).filter_map(|n| reading::vault_tag(n)).collect();
    context.created_at = item.creation_date.as_deref().and_then(reading::lenient_date);
    let mut lines: Vec<String> = reading::field(input, &at, "notes", item.notes.as_deref())?.into_iter().collect();
    let mut hidden: Vec<(String, &SecretString)> = Vec::new();
    for field in &item.fields {
        let (Some(field_name), Some(value)) = (field.name.as_deref(), field.value.as_ref()) else { continue };
        let field_name = field_name.trim();
        if reading::is_expiry_name(field_name) && context.set_expiry(field_name, value.expose_secret()) {
            continue;
        }
        match field.kind {
            Some(FIELD_HIDDEN) if reading::secret_looks_like_token(value) => {
                hidden.push((field_name.to_owned(), value));
            }
            Some(FIELD_TEXT) => {
                if let Some(value) = reading::field(input, &at, field_name, Some(value.expose_secret()))? {
                    lines.push(format!("{field_name}: {value}"));
                }
            }
            _ => {}
        }
    }
    context.set_notes(lines);
    if let Some(password) = login.and_then(|l| l.password.as_ref()).filter(|p| reading::is_filled(p)) {
        records.push(context.record(&at, &name, password.clone()));
    }
    for (field_name, value) in hidden {
        records.push(context.field_record(&at, &name, &field_name, value.clone()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::test_support::{assert_no_secret, by_name, failure, import_fixture};
    use proptest::prelude::*;

    const EXPORT: &[u8] = import_fixture!("bitwarden/export.json");
    const ENCRYPTED: &[u8] = import_fixture!("bitwarden/encrypted.json");
    const TRUNCATED: &[u8] = import_fixture!("bitwarden/truncated.json");
    const DEEP: &[u8] = import_fixture!("bitwarden/deep.json");

    /// Every secret in export.json, to prove none leaks into a message.
    const SECRETS: &[&str] = &[
        "ghp_Zx8Kq2Lm4Np6Rs8Tv0Wx2Yz4Ab6Cd8Ef0Gh2",
        "glpat-Hj3Kl5Mn7Pq9Rs1Tu3Vw",
        "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx",
        "hunter2-not-a-token",
        "sk_live_FAKEa1b2c3d4e5f6g7h8i9j0",
    ];

    fn read_bytes(bytes: &[u8]) -> Result<Vec<ImportRecord>> {
        read(&Input { name: "bitwarden.json", bytes })
    }

    #[test]
    fn login_maps_name_account_url_folder_dates_and_notes() {
        let records = read_bytes(EXPORT).unwrap();
        let github = by_name(&records, "GitHub deploy bot");
        assert_eq!(github.secret.expose_secret(), SECRETS[0]);
        assert_eq!(github.account.as_deref(), Some("deploy-bot"));
        assert_eq!(github.url.as_deref(), Some("https://github.com/login"));
        assert_eq!(github.tags, ["Work CI"]);
        assert_eq!(github.created_at.unwrap().to_rfc3339(), "2025-03-01T09:30:00+00:00");
        assert_eq!(github.expires_at.unwrap().to_rfc3339(), "2027-01-31T00:00:00+00:00");
        assert_eq!(github.notes.as_deref(), Some("Used by the release workflow.\nscope: repo, workflow"));
        assert_eq!(github.at, "item 1 ('GitHub deploy bot')");
    }

    #[test]
    fn hidden_token_fields_become_their_own_tokens() {
        let records = read_bytes(EXPORT).unwrap();
        let gitlab = by_name(&records, "GitHub deploy bot / GITLAB_TOKEN");
        assert_eq!(gitlab.secret.expose_secret(), SECRETS[1]);
        assert_eq!(gitlab.at, "item 1 ('GitHub deploy bot'), field 'GITLAB_TOKEN'");
        let slack = by_name(&records, "Slack bot (secure note) / bot token");
        assert_eq!(slack.secret.expose_secret(), SECRETS[2]);
        assert_eq!(slack.tags, ["Chat"]);
    }

    #[test]
    fn notes_without_tokens_cards_and_trash_are_skipped() {
        let records = read_bytes(EXPORT).unwrap();
        let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "GitHub deploy bot",
                "GitHub deploy bot / GITLAB_TOKEN",
                "Forum login",
                "Slack bot (secure note) / bot token"
            ]
        );
    }

    #[test]
    fn odd_urls_are_fixed_or_left_out_with_a_problem() {
        let records = read_bytes(EXPORT).unwrap();
        let forum = by_name(&records, "Forum login");
        assert_eq!(forum.url, None);
        assert!(forum.problems.iter().any(|p| p.contains("not a web address")), "{:?}", forum.problems);
    }

    #[test]
    fn a_field_name_holding_a_token_is_not_quoted_in_a_problem() {
        let export = r#"{"items": [{"type": 1, "name": "x", "login": {"password": "pw-0123456789"},
            "fields": [{"name": "Expires ghp_Zx8Kq2Lm4Np6Rs8Tv0Wx2Yz4Ab6Cd8Ef0Gh2", "value": "soon", "type": 0}]}]}"#;
        let records = read_bytes(export.as_bytes()).unwrap();
        assert_eq!(records[0].problems, ["field (a value that looks like a token) is not a date; expiry left out"]);
    }

    #[test]
    fn encrypted_export_is_refused_with_the_way_out() {
        let err = failure(read_bytes(ENCRYPTED));
        assert!(err.contains("encrypted Bitwarden export") && err.contains("unencrypted JSON"), "{err}");
    }

    #[test]
    fn truncated_and_deep_files_are_clear_errors() {
        let err = failure(read_bytes(TRUNCATED));
        assert!(err.contains("truncated"), "{err}");
        let err = failure(read_bytes(DEEP));
        assert!(err.contains("nested more than"), "{err}");
        let err = failure(read_bytes(b"{\"folders\": []}"));
        assert!(err.contains("not a Bitwarden JSON export"), "{err}");
    }

    #[test]
    fn no_secret_reaches_an_error_or_problem() {
        let records = read_bytes(EXPORT).unwrap();
        let mut texts: Vec<String> = records.iter().flat_map(|r| r.problems.clone()).collect();
        texts.extend(records.iter().map(|r| r.at.clone()));
        let text = String::from_utf8_lossy(EXPORT);
        for cut in [text.len() / 3, text.len() / 2, text.len() - 40] {
            if let Err(e) = read_bytes(&EXPORT[..cut]) {
                texts.push(e.to_string());
            }
        }
        let wrong_type = text.replacen("\"type\": 1,", "\"type\": \"login\",", 1);
        texts.push(read_bytes(wrong_type.as_bytes()).err().map(|e| e.to_string()).unwrap_or_default());
        assert_no_secret(&texts, SECRETS);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_bytes(&bytes);
        }

        #[test]
        fn never_panics_on_json_like_text(s in "[\\[\\]{}\":,a-z0-9 ]{0,400}") {
            let _ = read_bytes(s.as_bytes());
        }

        #[test]
        fn never_panics_on_mangled_exports(cut in 0usize..4000, byte in any::<u8>()) {
            let mut bytes = EXPORT.to_vec();
            let at = cut % bytes.len();
            bytes[at] = byte;
            let _ = read_bytes(&bytes);
        }
    }
}
