use super::read::parse_time;
use super::write::capacity_for;
use super::*;
use crate::error::Result;
use crate::export::ExportedToken;
use crate::model::TokenStatus;
use crate::model::{Token, TokenKind, MAX_SECRET_BYTES};
use crate::reading::test_support::{assert_no_secret, by_name, failure, import_fixture};
use crate::{ImportRecord, Input, MAX_FIELD_BYTES};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use quick_xml::events::Event;
use quick_xml::Reader;
use secrecy::{ExposeSecret, SecretString};
use tokenwarden_providers::ProviderId;

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
    let times = "<Times><CreationTime>soon</CreationTime><ExpiryTime>later</ExpiryTime><Expires>True</Expires></Times>";
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
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n<KeePassFile>\n\t<Meta>"));
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
    let bad = vec![exported(bare_token("0192f3a4-5b6c-7d8e-9f00-aabbccddeeff", "x"), Some("abc\u{1}canary-secret"))];
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
