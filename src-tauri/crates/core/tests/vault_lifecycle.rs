//! The vault's life on disk: create, add, lock, unlock, change the password, and what happens
//! with a wrong password or a damaged file. Real SQLCipher files in temp dirs; cheap Argon2id
//! parameters so the suite stays fast (the cost itself is exercised by `make bench`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use secrecy::{ExposeSecret, SecretString};
use std::path::Path;
use tokenwarden_core::audit_log::EventKind;
use tokenwarden_core::keystore::MemoryKeyStore;
use tokenwarden_core::vault::{DB_FILE, KEYS_FILE};
use tokenwarden_core::{Error, ErrorCode, KdfParams, NewToken, TokenFilter, TokenKind, TokenPatch, TokenStatus, Vault};
use tokenwarden_providers::ProviderId;

const CHEAP: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn token(name: &str, secret: &str, expires_in_days: Option<i64>) -> NewToken {
    let mut t = NewToken::new(name, ProviderId::parse("github").unwrap(), TokenKind::PersonalAccessToken, pw(secret));
    t.expires_at = expires_in_days.map(|d| now() + Duration::days(d));
    t.tags = vec!["ci".to_owned()];
    t.scopes = vec!["repo".to_owned(), "read:org".to_owned()];
    t.account = Some("octo-bot".to_owned());
    t
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn create_add_lock_unlock_reads_everything_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut vault = Vault::create(&dir, &pw("correct horse"), CHEAP, now()).unwrap();
    let a =
        vault.add_token(token("deploy bot", "ghp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1234", Some(6)), now()).unwrap();
    let b = vault.add_token(token("release", "ghp_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB5678", None), now()).unwrap();
    vault.lock();

    let (mut vault, timings) = Vault::unlock_with_password(&dir, &pw("correct horse")).unwrap();
    assert!(timings.kdf > std::time::Duration::ZERO);
    assert!(timings.kdf_cpu > std::time::Duration::ZERO, "the KDF's CPU time is measured on its thread");
    let listed = vault.list_tokens(&TokenFilter::default(), now()).unwrap();
    assert_eq!(listed.iter().map(|s| s.token.name.as_str()).collect::<Vec<_>>(), ["deploy bot", "release"]);
    let first = &listed[0];
    assert_eq!(first.token.id, a.id);
    assert_eq!(first.token.hint, "ghp_…1234");
    assert_eq!(first.token.scopes, ["repo", "read:org"]);
    assert_eq!(first.token.account.as_deref(), Some("octo-bot"));
    assert_eq!(first.days_left, Some(6));
    assert_eq!(first.countdown(now()), "in 6 days");
    assert_eq!(listed[1].countdown(now()), "no expiry");
    let secret = vault.reveal_secret(&b.id, EventKind::Revealed, now()).unwrap();
    assert_eq!(secret.expose_secret(), "ghp_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB5678");
    assert_eq!(vault.verify_log().unwrap(), 4, "created vault, two tokens, one reveal");
}

#[test]
fn wrong_password_is_rejected_and_vault_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut vault = Vault::create(&dir, &pw("right password"), CHEAP, now()).unwrap();
    vault.add_token(token("t", "ghp_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC0000", Some(1)), now()).unwrap();
    vault.lock();
    let before = snapshot(&dir);
    let err = Vault::unlock_with_password(&dir, &pw("wrong password")).err().unwrap();
    assert_eq!(err.code(), ErrorCode::WrongPassword);
    assert!(err.to_string().contains("password is wrong"), "{err}");
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn confirming_the_password_while_unlocked_accepts_only_the_right_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let vault = Vault::create(&dir, &pw("right password"), CHEAP, now()).unwrap();
    let err = vault.confirm_password(&pw("wrong password")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongPassword);
    vault.confirm_password(&pw("right password")).unwrap();
}

#[test]
fn changing_the_password_rewrites_only_the_key_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut vault = Vault::create(&dir, &pw("old password"), CHEAP, now()).unwrap();
    let t = vault.add_token(token("t", "ghp_DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD0000", Some(1)), now()).unwrap();
    vault.lock();
    let (mut vault, _) = Vault::unlock_with_password(&dir, &pw("old password")).unwrap();
    vault.checkpoint().unwrap();
    let db_before = std::fs::read(dir.join(DB_FILE)).unwrap();
    let keys_before = std::fs::read(dir.join(KEYS_FILE)).unwrap();
    // The event for the change is the one thing the database gains; hold it back to compare.
    vault.change_password(&pw("new password"), CHEAP, now()).unwrap();
    assert_ne!(std::fs::read(dir.join(KEYS_FILE)).unwrap(), keys_before);
    vault.lock();
    assert!(matches!(Vault::unlock_with_password(&dir, &pw("old password")), Err(Error::WrongPassword { .. })));
    let (mut vault, _) = Vault::unlock_with_password(&dir, &pw("new password")).unwrap();
    assert_eq!(
        vault.reveal_secret(&t.id, EventKind::Revealed, now()).unwrap().expose_secret(),
        "ghp_DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD0000"
    );
    // The database was re-keyed by nothing: its first page (salt and header) is unchanged.
    assert_eq!(&std::fs::read(dir.join(DB_FILE)).unwrap()[..4096], &db_before[..4096]);
}

#[test]
fn creating_over_an_existing_vault_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    Vault::create(&dir, &pw("password a"), CHEAP, now()).unwrap().lock();
    let before = snapshot(&dir);
    let err = Vault::create(&dir, &pw("password b"), CHEAP, now()).err().unwrap();
    assert_eq!(err.code(), ErrorCode::AlreadyExists);
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn every_flipped_byte_in_the_key_file_is_reported_as_damage() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    Vault::create(&dir, &pw("test password"), CHEAP, now()).unwrap().lock();
    let path = dir.join(KEYS_FILE);
    let original = std::fs::read(&path).unwrap();
    for i in 0..original.len() {
        let mut bad = original.clone();
        bad[i] ^= 0x01;
        std::fs::write(&path, &bad).unwrap();
        match Vault::unlock_with_password(&dir, &pw("test password")) {
            Err(Error::Corrupt { detail, .. }) => assert!(!detail.is_empty()),
            Err(Error::InvalidInput { .. }) => {} // a flipped version number: "not supported"
            Err(other) => panic!("byte {i}: expected a damage report, got {other}"),
            Ok(_) => panic!("byte {i}: a damaged key file unlocked"),
        }
    }
    std::fs::write(&path, &original).unwrap();
    Vault::unlock_with_password(&dir, &pw("test password")).unwrap();
}

#[test]
fn a_flipped_byte_in_the_database_is_detected_never_wrong_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut vault = Vault::create(&dir, &pw("test password"), CHEAP, now()).unwrap();
    for i in 0..200 {
        vault.add_token(token(&format!("token {i:03}"), &format!("ghp_{i:036}"), Some(i)), now()).unwrap();
    }
    vault.lock();
    let path = dir.join(DB_FILE);
    let original = std::fs::read(&path).unwrap();
    let (vault, _) = Vault::unlock_with_password(&dir, &pw("test password")).unwrap();
    let expected: Vec<String> =
        vault.list_tokens(&TokenFilter::default(), now()).unwrap().iter().map(|s| format!("{:?}", s.token)).collect();
    vault.lock();
    let step = original.len() / 23;
    for offset in (0..original.len()).step_by(step).chain([5, 20, 100, original.len() - 1]) {
        let mut bad = original.clone();
        bad[offset] ^= 0x01;
        std::fs::write(&path, &bad).unwrap();
        let outcome = Vault::unlock_with_password(&dir, &pw("test password")).and_then(|(v, _)| {
            let listed = v.list_tokens(&TokenFilter::default(), now());
            let checked = v.check();
            listed.map(|l| (l, checked))
        });
        match outcome {
            Err(err) => {
                assert!(matches!(err.code(), ErrorCode::Corrupt | ErrorCode::Internal), "offset {offset}: {err}");
            }
            Ok((listed, checked)) => {
                let got: Vec<String> = listed.iter().map(|s| format!("{:?}", s.token)).collect();
                assert_eq!(got, expected, "offset {offset}: damaged database returned different data");
                assert!(checked.is_err(), "offset {offset}: full check missed a flipped byte");
            }
        }
    }
    std::fs::write(&path, &original).unwrap();
    let (vault, _) = Vault::unlock_with_password(&dir, &pw("test password")).unwrap();
    vault.check().unwrap();
}

#[test]
fn replacing_a_secret_reseals_it_and_updates_hint_and_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut vault = Vault::create(&dir, &pw("test password"), CHEAP, now()).unwrap();
    let a = vault.add_token(token("a", "ghp_EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE0001", None), now()).unwrap();
    let b = vault.add_token(token("b", "ghp_FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0002", None), now()).unwrap();
    let patch =
        TokenPatch { secret: Some(pw("ghp_GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG0003")), ..TokenPatch::default() };
    let updated = vault.update_token(&a.id, patch, now()).unwrap();
    assert_eq!(updated.hint, "ghp_…0003");
    assert_eq!(
        vault.reveal_secret(&a.id, EventKind::Revealed, now()).unwrap().expose_secret(),
        "ghp_GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG0003"
    );
    assert_eq!(
        vault.reveal_secret(&b.id, EventKind::Revealed, now()).unwrap().expose_secret(),
        "ghp_FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0002"
    );
    assert_eq!(vault.find_by_secret(&pw("ghp_FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0002")).unwrap(), vec![b.id.clone()]);
    assert!(vault.find_by_secret(&pw("ghp_EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE0001")).unwrap().is_empty());
}

#[test]
fn filters_and_sorting_follow_the_request() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut vault = Vault::create(&dir, &pw("test password"), CHEAP, now()).unwrap();
    let mut gl = token("Gitlab runner", "glpat-HHHHHHHHHHHHHHHHHHHH", Some(40));
    gl.provider = ProviderId::parse("gitlab").unwrap();
    gl.tags = vec!["infra".to_owned()];
    gl.environment = Some("prod".to_owned());
    vault.add_token(gl, now()).unwrap();
    vault.add_token(token("expired one", "ghp_IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII0000", Some(-2)), now()).unwrap();
    let archived =
        vault.add_token(token("old 50%_off", "ghp_JJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJ0000", Some(3)), now()).unwrap();
    vault.archive_token(&archived.id, now()).unwrap();

    let names = |f: TokenFilter| -> Vec<String> {
        vault.list_tokens(&f, now()).unwrap().into_iter().map(|s| s.token.name).collect()
    };
    assert_eq!(names(TokenFilter::default()), ["expired one", "Gitlab runner"]);
    assert_eq!(
        names(TokenFilter { include_archived: true, ..Default::default() }),
        ["expired one", "old 50%_off", "Gitlab runner"]
    );
    assert_eq!(
        names(TokenFilter { provider: ProviderId::parse("gitlab").ok(), ..Default::default() }),
        ["Gitlab runner"]
    );
    assert_eq!(names(TokenFilter { tag: Some("infra".into()), ..Default::default() }), ["Gitlab runner"]);
    assert_eq!(names(TokenFilter { environment: Some("PROD".into()), ..Default::default() }), ["Gitlab runner"]);
    assert_eq!(names(TokenFilter { status: Some(TokenStatus::Expired), ..Default::default() }), ["expired one"]);
    assert_eq!(names(TokenFilter { status: Some(TokenStatus::Archived), ..Default::default() }), ["old 50%_off"]);
    assert_eq!(names(TokenFilter { expiring_within: Some(Duration::days(7)), ..Default::default() }), ["expired one"]);
    assert_eq!(names(TokenFilter { search: Some("RUNNER".into()), ..Default::default() }), ["Gitlab runner"]);
    assert_eq!(
        names(TokenFilter { search: Some("%".into()), include_archived: true, ..Default::default() }),
        ["old 50%_off"]
    );
    assert_eq!(
        names(TokenFilter { sort: "name".parse().unwrap(), ..Default::default() }),
        ["expired one", "Gitlab runner"]
    );
}

#[test]
fn every_sort_order_lists_as_documented() {
    let tmp = tempfile::tempdir().unwrap();
    let mut vault = Vault::create(&tmp.path().join("vault"), &pw("test password"), CHEAP, now()).unwrap();
    // (name, provider, expires in days, added hours ago); names differ in case on purpose.
    let rows = [
        ("beta", "github", Some(10), 4),
        ("Alpha", "gitlab", Some(10), 1),
        ("alpha2", "github", None, 3),
        ("Gamma", "gitlab", Some(2), 2),
        ("delta", "github", None, 5),
    ];
    for (n, (name, provider, days, hours_ago)) in rows.into_iter().enumerate() {
        let mut t = token(name, &format!("ghp_SORT{n}SORTSORTSORTSORTSORTSORTSORTSORT0000"), days);
        t.provider = ProviderId::parse(provider).unwrap();
        vault.add_token(t, now() - Duration::hours(hours_ago)).unwrap();
    }
    let names = |sort: &str| -> Vec<String> {
        let filter = TokenFilter { sort: sort.parse().unwrap(), ..Default::default() };
        vault.list_tokens(&filter, now()).unwrap().into_iter().map(|s| s.token.name).collect()
    };
    // Soonest expiry first, equal expiries by name (case aside), no expiry last.
    assert_eq!(names("time-left"), ["Gamma", "Alpha", "beta", "alpha2", "delta"]);
    assert_eq!(names("name"), ["Alpha", "alpha2", "beta", "delta", "Gamma"]);
    assert_eq!(names("provider"), ["alpha2", "beta", "delta", "Alpha", "Gamma"]);
    assert_eq!(names("recently-added"), ["Alpha", "Gamma", "alpha2", "beta", "delta"]);
}

#[test]
fn search_follows_edits_and_never_matches_across_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let mut vault = Vault::create(&tmp.path().join("v"), &pw("test password"), CHEAP, now()).unwrap();
    let mut new = token("alpha", "ghp_SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS0000", None);
    new.account = Some("beta".to_owned());
    new.notes = Some("Rotated by Ünïcode Team".to_owned());
    let t = vault.add_token(new, now()).unwrap();
    let found = |q: &str| {
        vault.list_tokens(&TokenFilter { search: Some(q.into()), ..Default::default() }, now()).unwrap().len()
    };
    assert_eq!(found("ALPHA"), 1);
    assert_eq!(found("ünïcode team"), 1, "case folding beyond ASCII");
    assert_eq!(found("alphabeta"), 0, "fields are not glued together");
    let patch = TokenPatch { name: Some("gamma".into()), tags: Some(vec!["delta".into()]), ..TokenPatch::default() };
    vault.update_token(&t.id, patch, now()).unwrap();
    let found = |q: &str| {
        vault.list_tokens(&TokenFilter { search: Some(q.into()), ..Default::default() }, now()).unwrap().len()
    };
    assert_eq!(found("alpha"), 0);
    assert_eq!(found("gamma"), 1);
    assert_eq!(found("delta"), 1);
}

#[test]
fn purging_removes_the_token_but_keeps_its_history() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut vault = Vault::create(&dir, &pw("test password"), CHEAP, now()).unwrap();
    let t = vault.add_token(token("gone", "ghp_KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK0000", None), now()).unwrap();
    vault.add_usage(&t.id, "ci_secret", "github.com/acme/app: DEPLOY_TOKEN", None, now()).unwrap();
    vault.purge_token(&t.id, now()).unwrap();
    assert_eq!(vault.token(&t.id).unwrap_err().code(), ErrorCode::NotFound);
    assert!(vault.usages(&t.id).unwrap().is_empty());
    let history: Vec<String> = vault.events(Some(&t.id), 10).unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(history, ["purged", "usage_added", "created"]);
    vault.verify_log().unwrap();
}

#[test]
fn keyring_slot_unlocks_without_the_password_and_disabling_removes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let store = MemoryKeyStore::default();
    let mut vault = Vault::create(&dir, &pw("test password"), CHEAP, now()).unwrap();
    assert!(matches!(Vault::unlock_with_keyring(&dir, &store), Err(Error::KeyringEmpty)));
    vault.enable_keyring(&store, now()).unwrap();
    vault.lock();
    let vault = Vault::unlock_with_keyring(&dir, &store).unwrap();
    assert!(vault.keyring_enabled());
    let mut vault = vault;
    vault.disable_keyring(&store, now()).unwrap();
    vault.lock();
    assert!(matches!(Vault::unlock_with_keyring(&dir, &store), Err(Error::KeyringEmpty)));
    Vault::unlock_with_password(&dir, &pw("test password")).unwrap();
}

#[test]
fn a_keyring_key_from_another_vault_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let mut one = Vault::create(&tmp.path().join("one"), &pw("test password"), CHEAP, now()).unwrap();
    one.enable_keyring(&store, now()).unwrap();
    let one_id = one.vault_id().to_owned();
    let mut two = Vault::create(&tmp.path().join("two"), &pw("test password"), CHEAP, now()).unwrap();
    two.enable_keyring(&store, now()).unwrap();
    // Put vault one's key where vault two looks for its own.
    use tokenwarden_core::keystore::KeyStore;
    let key_one = store.load(&format!("vault:{one_id}")).unwrap().unwrap();
    store.store(&format!("vault:{}", two.vault_id()), &key_one).unwrap();
    two.lock();
    let err = Vault::unlock_with_keyring(&tmp.path().join("two"), &store).err().unwrap();
    assert_eq!(err.code(), ErrorCode::KeyringUnavailable);
}

#[test]
fn invalid_input_is_rejected_with_the_field_named() {
    let tmp = tempfile::tempdir().unwrap();
    let mut vault = Vault::create(&tmp.path().join("v"), &pw("test password"), CHEAP, now()).unwrap();
    let cases: Vec<(NewToken, &str)> = vec![
        (token("", "ghp_LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL0000", None), "name"),
        (token("x", "   ", None), "secret"),
        (token("x", &"y".repeat(70_000), None), "secret"),
        (
            {
                let mut t = token("x", "ghp_LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL0000", None);
                t.url = Some("javascript:alert(1)".into());
                t
            },
            "url",
        ),
        (
            {
                let mut t = token("x", "ghp_LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL0000", None);
                t.tags = vec!["a,b".into()];
                t
            },
            "tags",
        ),
    ];
    for (new, field) in cases {
        let err = vault.add_token(new, now()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(err.to_string().starts_with(field), "{field}: {err}");
    }
    assert!(vault.list_tokens(&TokenFilter::default(), now()).unwrap().is_empty());
    assert_eq!(
        Vault::create(&tmp.path().join("w"), &pw(""), CHEAP, now()).err().unwrap().code(),
        ErrorCode::InvalidInput
    );
}
