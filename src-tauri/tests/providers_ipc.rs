//! Detection, checks, rotations and revocations over IPC on the mock runtime, against the local
//! fake provider server: the commands, capability and error codes the real window uses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../tests/fake-providers/fake.rs"]
mod fake;

mod common;

use common::Window;
use serde_json::{json, Value};

const OLD_GITLAB: &str = "glpat-IpcOldOldOldOldOld12";
const OLD_GITHUB: &str = "ghp_IpcOld0123456789abcdefghijklmnopqrs1";
const NEW_GITHUB: &str = "ghp_IpcNew0123456789abcdefghijklmnopqrs2";
const SLACK: &str = "xoxb-1111111111-2222222222222-IpcSlackTokenValue0000";
const SLOW_SLACK: &str = "xoxb-1111111111-2222222222222-IpcSlowSlackToken0000";
const OLD_VERCEL: &str = "vcp_IpcOldVercelTokenAbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

/// Calls a command that must succeed, and checks that no test secret came back over IPC.
fn ok(w: &Window, cmd: &str, args: Value) -> Value {
    let value = w.ok(cmd, args);
    let text = value.to_string();
    for secret in [OLD_GITLAB, OLD_GITHUB, NEW_GITHUB, SLACK, SLOW_SLACK, OLD_VERCEL] {
        assert!(!text.contains(secret), "{cmd} sent a secret back over IPC");
    }
    value
}

fn add(w: &Window, name: &str, provider: &str, secret: &str) -> String {
    let input = json!({ "input": {
        "name": name, "provider": provider, "kind": "personal_access_token", "secret": secret,
        "expires_at": null, "account": null, "environment": null, "scopes": [], "tags": [], "notes": null, "url": null
    }});
    ok(w, "token_add", input)["id"].as_str().unwrap().to_owned()
}

fn step(w: &Window, rotation: &str, action: Value) -> Value {
    ok(w, "rotation_step", json!({ "rotationId": rotation, "action": action }))
}

/// Runs `cmd` while the provider holds its answer to the request `rule` matches for 6 s, and
/// lists the inventory while that call is in flight: the list must come back before the provider
/// has answered, because provider calls run with the vault free. Returns the mid-call inventory
/// and `cmd`'s result.
fn while_provider_is_slow(
    w: &Window,
    fake: &fake::FakeProviders,
    rule: Value,
    cmd: &'static str,
    args: Value,
) -> (Value, Value) {
    let mut rule = rule;
    rule["delay_ms"] = json!(6000);
    fake.fail(rule.clone());
    // The fake logs a request as it arrives and sets its status just before it answers.
    let matching = || -> Vec<Value> {
        let requests = fake.requests();
        requests
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["provider"] == rule["provider"]
                    && (rule["method"].is_null() || r["method"] == rule["method"])
                    && r["path"].as_str().unwrap().contains(rule["path_contains"].as_str().unwrap())
            })
            .cloned()
            .collect()
    };
    let before = matching().len();
    let window = w.window.clone();
    let running = std::thread::spawn(move || common::call_on(&window, cmd, args));
    while matching().len() == before {
        assert!(!running.is_finished(), "{cmd} ended before it reached the provider");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let listed = ok(w, "tokens_list", json!({}));
    let slow_request = &matching()[before];
    assert!(slow_request["status"].is_null(), "the inventory waited for the provider's answer to {cmd}");
    let result = running.join().unwrap().unwrap_or_else(|e| panic!("{cmd} failed: {e}"));
    (listed, result)
}

#[test]
fn detect_check_rotate_and_revoke_over_ipc() {
    let fake = fake::FakeProviders::start();
    // One test function: the base-URL environment variables are process-wide.
    for provider in ["github", "gitlab", "slack", "vercel"] {
        std::env::set_var(format!("TOKENWARDEN_API_{}", provider.to_ascii_uppercase()), fake.url(provider));
    }
    let w = common::open();
    ok(&w, "vault_create", json!({ "password": "test password", "useKeyring": false }));

    // Detection needs no token row and stores nothing.
    let detected = ok(&w, "detect_secret", json!({ "secret": OLD_GITLAB }));
    assert_eq!(
        (detected["provider"].as_str(), detected["token_kind"].as_str()),
        (Some("gitlab"), Some("personal_access_token"))
    );
    assert_eq!(ok(&w, "detect_secret", json!({ "secret": "hello world" })), Value::Null);

    fake.add_token(json!({ "provider": "gitlab", "token": OLD_GITLAB, "owner": "alice", "scopes": ["api"], "expires_at": "2027-02-01" }));
    let gitlab = add(&w, "deploy", "gitlab", OLD_GITLAB);
    let info = ok(&w, "provider_info", json!({ "provider": "gitlab" }));
    assert_eq!(info["checked_before"], false);
    assert!(info["info"]["verify_effect"].as_str().unwrap().contains("personal_access_tokens/self"), "{info}");
    assert_eq!(info["api_base"].as_str().unwrap().trim_end_matches('/'), fake.url("gitlab").trim_end_matches('/'));
    let checked = ok(&w, "verify_token", json!({ "id": gitlab }));
    assert_eq!((checked["valid"].clone(), checked["owner"].clone()), (json!(true), json!("alice")));
    assert_eq!(checked["token"]["account"], "alice");
    assert_eq!(checked["token"]["last_verified_result"], "valid");
    assert!(checked["expiry_differs"]["provider"].as_str().unwrap().starts_with("2027-02-01"));
    assert_eq!(ok(&w, "provider_info", json!({ "provider": "gitlab" }))["checked_before"], true);

    fake.fail(json!({ "provider": "gitlab", "status": 429, "retry_after": 12 }));
    let limited = w.call("verify_token", json!({ "id": gitlab })).unwrap_err();
    assert_eq!(limited["code"], "provider_rate_limited");

    // API rotation at GitLab: the provider issues the new token and kills the old one.
    let r = ok(&w, "rotation_start", json!({ "tokenId": gitlab, "method": "api" }));
    assert_eq!(ok(&w, "rotation_for", json!({ "tokenId": gitlab }))["id"], r["id"]);
    assert_eq!(ok(&w, "rotations_open", json!({})).as_array().unwrap().len(), 1);
    let id = r["id"].as_str().unwrap();
    let out_of_order =
        w.call("rotation_step", json!({ "rotationId": id, "action": { "action": "promote" } })).unwrap_err();
    assert_eq!(out_of_order["code"], "invalid_input");
    let r = step(&w, id, json!({ "action": "api_rotate", "expires_at": null }));
    assert_eq!((r["step"].as_str(), r["old_invalidated"].as_bool()), (Some("new_stored"), Some(true)));
    assert_eq!(step(&w, id, json!({ "action": "verify" }))["verified_by"], "provider");
    step(&w, id, json!({ "action": "consumers_done" }));
    let promoted = step(&w, id, json!({ "action": "promote" }));
    let new_gitlab = promoted["new_token_id"].as_str().unwrap().to_owned();
    assert_eq!(step(&w, id, json!({ "action": "revoke_old", "how": "api" }))["revoke_method"], "provider_rotation");
    assert_eq!(step(&w, id, json!({ "action": "finish" }))["step"], "done");
    let list = ok(&w, "tokens_list", json!({}));
    let status = |tid: &str| list.as_array().unwrap().iter().find(|t| t["id"] == tid).unwrap()["status"].clone();
    assert_eq!((status(&gitlab), status(&new_gitlab)), (json!("revoked"), json!("active")));

    // Guided rotation of a GitHub token: the person pastes the new one.
    fake.add_token(json!({ "provider": "github", "token": OLD_GITHUB, "owner": "octocat", "scopes": ["repo"] }));
    fake.add_token(json!({ "provider": "github", "token": NEW_GITHUB, "owner": "octocat", "scopes": ["repo"] }));
    let github = add(&w, "ci", "github", OLD_GITHUB);
    let refused = w.call("rotation_start", json!({ "tokenId": github, "method": "api" })).unwrap_err();
    assert_eq!(refused["code"], "invalid_input", "GitHub has no rotation API");
    let r = ok(&w, "rotation_start", json!({ "tokenId": github, "method": "guided" }));
    let id = r["id"].as_str().unwrap();
    let r = step(&w, id, json!({ "action": "store_secret", "secret": NEW_GITHUB, "expires_at": "2027-06-30" }));
    assert_eq!(r["new_hint"], "ghp_…qrs2");
    step(&w, id, json!({ "action": "verify" }));
    step(&w, id, json!({ "action": "consumers_done" }));
    step(&w, id, json!({ "action": "promote" }));
    let r = step(&w, id, json!({ "action": "revoke_old", "how": "confirmed" }));
    assert_eq!(r["step"], "old_revoked");
    step(&w, id, json!({ "action": "finish" }));
    assert!(ok(&w, "rotations_open", json!({})).as_array().unwrap().is_empty());

    // Revocation, single and panic.
    fake.add_token(json!({ "provider": "slack", "token": SLACK }));
    let slack = add(&w, "bot", "slack", SLACK);
    let stripe = add(&w, "billing", "stripe", "sk_live_IpcStripe0123456789abcdefghijkl");
    let outcomes = ok(&w, "panic_revoke", json!({ "ids": [slack, stripe] }));
    let outcomes = outcomes.as_array().unwrap();
    assert_eq!(outcomes[0]["outcome"], "revoked");
    assert_eq!(outcomes[1]["outcome"], "needs_manual");
    let confirmed = ok(&w, "revoke_token", json!({ "id": stripe, "how": "confirmed", "reverify": false }));
    assert_eq!((confirmed["outcome"].as_str(), confirmed["method"].as_str()), (Some("revoked"), Some("confirmed")));

    // A slow provider holds up only its own call: the vault is free while it answers.
    fake.add_token(json!({ "provider": "slack", "token": SLOW_SLACK }));
    let slow = add(&w, "slow bot", "slack", SLOW_SLACK);
    let slow_status =
        |list: &Value| list.as_array().unwrap().iter().find(|t| t["name"] == "slow bot").unwrap()["status"].clone();
    let (listed, outcome) = while_provider_is_slow(
        &w,
        &fake,
        json!({ "provider": "slack", "path_contains": "auth.revoke" }),
        "revoke_token",
        json!({ "id": slow, "how": "api", "reverify": false }),
    );
    assert_eq!(slow_status(&listed), "active");
    assert_eq!((outcome["outcome"].as_str(), outcome["method"].as_str()), (Some("revoked"), Some("api")));
    assert_eq!(slow_status(&ok(&w, "tokens_list", json!({}))), "revoked");
    assert_eq!(fake.token(SLOW_SLACK)["active"], false);

    // An API rotation at Vercel (a second token, then the old one deleted) whose check and
    // revocation of the old token are slow.
    fake.add_token(json!({ "provider": "vercel", "token": OLD_VERCEL, "name": "deploy", "owner": "alice" }));
    let vercel = add(&w, "vercel deploy", "vercel", OLD_VERCEL);
    let r = ok(&w, "rotation_start", json!({ "tokenId": vercel, "method": "api" }));
    let id = r["id"].as_str().unwrap().to_owned();
    let r = step(&w, &id, json!({ "action": "api_rotate", "expires_at": null }));
    assert_eq!((r["step"].as_str(), r["old_invalidated"].as_bool()), (Some("new_stored"), Some(false)));
    let slow_step = |rule: Value, action: Value| {
        while_provider_is_slow(&w, &fake, rule, "rotation_step", json!({ "rotationId": id, "action": action })).1
    };
    let r = slow_step(
        json!({ "provider": "vercel", "method": "GET", "path_contains": "tokens/current" }),
        json!({ "action": "verify" }),
    );
    assert_eq!((r["step"].as_str(), r["verified_by"].as_str()), (Some("verified"), Some("provider")));
    step(&w, &id, json!({ "action": "consumers_done" }));
    step(&w, &id, json!({ "action": "promote" }));
    assert_eq!(fake.token(OLD_VERCEL)["active"], true, "the old token lives until it is revoked");
    let r = slow_step(
        json!({ "provider": "vercel", "method": "DELETE", "path_contains": "/v3/user/tokens/" }),
        json!({ "action": "revoke_old", "how": "api" }),
    );
    assert_eq!((r["step"].as_str(), r["revoke_method"].as_str()), (Some("old_revoked"), Some("api")));
    assert_eq!(fake.token(OLD_VERCEL)["active"], false);
    assert_eq!(step(&w, &id, json!({ "action": "finish" }))["step"], "done");

    let requests = fake.requests();
    assert!(requests.as_array().unwrap().iter().all(|r| r["token_in_url"] == false), "{requests}");

    // API addresses: the vault's setting wins; plain HTTP is refused except to loopback.
    let urls = ok(&w, "provider_api_urls", json!({}));
    let gitlab_url =
        |urls: &Value| urls.as_array().unwrap().iter().find(|u| u["provider"] == "gitlab").unwrap().clone();
    assert_eq!(gitlab_url(&urls)["default_url"], "https://gitlab.com");
    assert_eq!(gitlab_url(&urls)["env_url"], fake.url("gitlab"));
    let pw = "test password";
    let refused = w.call(
        "provider_api_url_set",
        json!({ "provider": "gitlab", "url": "http://gitlab.example.com", "password": pw }),
    );
    assert_eq!(refused.unwrap_err()["code"], "invalid_input");
    // Changing where checks send tokens asks for the vault password again; a wrong one changes nothing.
    let wrong = w.call(
        "provider_api_url_set",
        json!({ "provider": "gitlab", "url": "https://evil.example", "password": "wrong pw" }),
    );
    assert_eq!(wrong.unwrap_err()["code"], "wrong_password");
    let missing = w.call("provider_api_url_set", json!({ "provider": "gitlab", "url": "https://evil.example" }));
    assert!(missing.is_err(), "no password, no change");
    assert_eq!(gitlab_url(&ok(&w, "provider_api_urls", json!({})))["url"], Value::Null);
    let set = ok(
        &w,
        "provider_api_url_set",
        json!({ "provider": "gitlab", "url": "https://gitlab.example.com", "password": pw }),
    );
    assert_eq!(gitlab_url(&set)["url"], "https://gitlab.example.com/");
    let info = ok(&w, "provider_info", json!({ "provider": "gitlab" }));
    assert_eq!(info["api_base"], "https://gitlab.example.com/");
    let cleared = ok(&w, "provider_api_url_set", json!({ "provider": "gitlab", "url": null, "password": pw }));
    assert_eq!(gitlab_url(&cleared)["url"], Value::Null);
}
