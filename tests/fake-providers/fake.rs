//! Test support: starts `tests/fake-providers/server.py` and drives its admin API. Include it
//! with `#[path = "<relative path>/tests/fake-providers/fake.rs"] mod fake;`. Needs only
//! `serde_json` (the admin calls are plain HTTP/1.1 over `std::net::TcpStream`); panics on
//! failure, as test helpers do.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running fake provider server, killed on drop.
pub struct FakeProviders {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    addr: String,
}

impl FakeProviders {
    /// Spawns the server on a free port and waits (up to 10 s) for its `listening` line.
    pub fn start() -> FakeProviders {
        let script = repo_root().join("tests/fake-providers/server.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .args(["--port", "0", "--exit-with-parent"])
            // The server exits when this pipe closes, so it cannot outlive a crashed test binary.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|err| panic!("could not start python3 {}: {err}", script.display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = match receiver.recv_timeout(Duration::from_secs(10)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("the fake provider server did not say `listening` within 10 s");
            }
        };
        let base = match line.trim().strip_prefix("listening ") {
            Some(base) => base.to_owned(),
            None => {
                let _ = child.kill();
                panic!("unexpected first line from the fake provider server: {line:?}");
            }
        };
        let addr = base.trim_start_matches("http://").to_owned();
        FakeProviders { child, base, addr }
    }

    /// The API base of a provider on this server, e.g. `http://127.0.0.1:PORT/gitlab`.
    pub fn url(&self, provider: &str) -> String {
        format!("{}/{provider}", self.base)
    }

    /// Adds a token: `{provider, token, owner?, name?, scopes?, expires_at?, last_used_at?, id?, ...}`.
    /// Returns the stored record.
    pub fn add_token(&self, token: serde_json::Value) -> serde_json::Value {
        self.admin("POST", "/_admin/tokens", Some(&token))
    }

    /// Makes the next matching requests fail or stall:
    /// `{provider, method?, path_contains?, status?, retry_after?, delay_ms?, headers?, body?, times?}`.
    pub fn fail(&self, rule: serde_json::Value) {
        self.admin("POST", "/_admin/fail", Some(&rule));
    }

    /// Changes a token as if at the provider's site:
    /// `{token, scopes?, owner?, expires_at?, last_used_at?, last_used_ips?, revoked?}`.
    pub fn update(&self, change: serde_json::Value) -> serde_json::Value {
        self.admin("POST", "/_admin/update", Some(&change))
    }

    /// Every token with `active`, `revoked` and `rotated_from` (the old token's value).
    pub fn tokens(&self) -> serde_json::Value {
        self.admin("GET", "/_admin/tokens", None)
    }

    /// The record of the token with this value.
    pub fn token(&self, value: &str) -> serde_json::Value {
        let tokens = self.tokens();
        let found = tokens.as_array().into_iter().flatten().find(|token| token["token"] == value).cloned();
        found.unwrap_or_else(|| panic!("the fake server has no such token"))
    }

    /// The log of provider requests: method, path, auth_header, auth_scheme, user_agent,
    /// token_in_url, token_in_body, status.
    pub fn requests(&self) -> serde_json::Value {
        self.admin("GET", "/_admin/requests", None)
    }

    /// Forgets every token, failure rule and logged request.
    pub fn reset(&self) {
        self.admin("POST", "/_admin/reset", Some(&serde_json::json!({})));
    }

    fn admin(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> serde_json::Value {
        let body = body.map(|value| value.to_string()).unwrap_or_default();
        let mut stream = TcpStream::connect(&self.addr).expect("connect to the fake provider server");
        stream.set_read_timeout(Some(Duration::from_secs(10))).expect("set a read timeout");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .expect("send an admin request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read the admin answer");
        let (head, payload) = response.split_once("\r\n\r\n").unwrap_or((response.as_str(), ""));
        let status = head.split_whitespace().nth(1).unwrap_or("?");
        assert!(status.starts_with('2'), "{method} {path} answered {status}: {payload}");
        serde_json::from_str(payload).expect("the admin answer is JSON")
    }
}

impl Drop for FakeProviders {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The checkout's root: the first ancestor of this crate's directory holding `tests/fake-providers`.
fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("tests/fake-providers/server.py").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| panic!("no tests/fake-providers/server.py above {}", manifest.display()))
}
