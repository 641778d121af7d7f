//! A temp vault and a way to run the real `tokenwarden-cli` binary against it.
//! Each `Env` has its own vault dir, password file and TMPDIR, so tests run in parallel.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const PASSWORD: &str = "correct horse battery staple";

pub struct Env {
    pub tmp: tempfile::TempDir,
    pub vault: PathBuf,
    pub password_file: PathBuf,
    pub tmpdir: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }
}

/// The binary under test: the one cargo built for these tests, or `TOKENWARDEN_CLI_BIN` when set
/// (to test one particular build: worktrees that share a target dir overwrite each other's
/// `target/debug/tokenwarden-cli`).
pub fn binary() -> PathBuf {
    std::env::var_os("TOKENWARDEN_CLI_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tokenwarden-cli")), PathBuf::from)
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let vault = tmp.path().join("vault");
        let password_file = tmp.path().join("password");
        std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
        let tmpdir = tmp.path().join("tmp");
        std::fs::create_dir(&tmpdir).unwrap();
        Env { tmp, vault, password_file, tmpdir }
    }

    /// A fresh vault with cheap Argon2id parameters.
    pub fn init() -> Env {
        let env = Env::new();
        env.cli(&["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1", "--kdf-parallelism", "1"]).ok();
        env
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(binary());
        cmd.env("TOKENWARDEN_VAULT", &self.vault)
            .env("TOKENWARDEN_PASSWORD_FILE", &self.password_file)
            .env("TMPDIR", &self.tmpdir)
            .env_remove("RUST_BACKTRACE");
        cmd
    }

    /// Runs with the password file and no stdin.
    pub fn cli(&self, args: &[&str]) -> Run {
        self.cli_with(args, None, &mut self.command())
    }

    /// Runs with `stdin` piped in.
    pub fn cli_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.cli_with(args, Some(stdin), &mut self.command())
    }

    pub fn cli_with(&self, args: &[&str], stdin: Option<&str>, cmd: &mut Command) -> Run {
        cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        let mut child = cmd.spawn().unwrap();
        if let Some(input) = stdin {
            // A CLI that refuses before it reads stdin (a usage error, a bad duration) may have
            // exited already: its exit code is what the test checks, not whether it read the input.
            if let Err(error) = child.stdin.take().unwrap().write_all(input.as_bytes()) {
                assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "writing the CLI's stdin: {error}");
            }
        }
        let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Adds a token whose secret comes from stdin; returns its id.
    pub fn add(&self, name: &str, secret: &str, extra: &[&str]) -> String {
        let mut args = vec!["--json", "add", "--name", name, "--secret-file", "-"];
        args.extend_from_slice(extra);
        let run = self.cli_stdin(&args, &format!("{secret}\n")).ok();
        run.json()["id"].as_str().unwrap().to_owned()
    }
}

/// Every file under `dir`, with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

/// An OS service that tests/harness/with-services.sh starts.
#[derive(Clone, Copy, Debug)]
pub enum Service {
    /// A Secret Service (gnome-keyring) on the session bus.
    SecretService,
    /// An X display and xclip to read its clipboard.
    XClipboard,
}

impl Service {
    /// Asks whether the service really answers; says why not.
    fn probe(self) -> Result<(), String> {
        match self {
            Service::SecretService => bus_name_owned("org.freedesktop.secrets"),
            Service::XClipboard => {
                let display = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()).ok_or("DISPLAY is not set")?;
                let number = display.trim_start_matches(':').split('.').next().unwrap_or_default().to_owned();
                let socket = format!("/tmp/.X11-unix/X{number}");
                std::os::unix::net::UnixStream::connect(&socket)
                    .map_err(|e| format!("no X server on {display} ({socket}: {e})"))?;
                Command::new("xclip").arg("-version").output().map_err(|e| format!("xclip cannot run: {e}"))?;
                Ok(())
            }
        }
    }
}

/// Whether `name` has an owner on the session bus (dbus-send, as the harness itself asks).
pub fn bus_name_owned(name: &str) -> Result<(), String> {
    let out = Command::new("dbus-send")
        .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
        .args(["org.freedesktop.DBus.NameHasOwner", &format!("string:{name}")])
        .output()
        .map_err(|e| format!("dbus-send cannot run: {e}"))?;
    if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
        Ok(())
    } else {
        Err(format!("{name} has no owner on the session bus: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// Whether a test that needs `needs` runs. Under tests/harness/with-services.sh
/// (TOKENWARDEN_TEST_SERVICES=1, as `make test` runs) it always does, and a service that does not
/// answer fails the test there and then. Bare, it prints a SKIP line straight to stderr (past the
/// test runner's capture, so it shows) and the test returns.
pub fn services(test: &str, needs: &[Service]) -> bool {
    if std::env::var_os("TOKENWARDEN_TEST_SERVICES").is_some_and(|v| !v.is_empty() && v != "0") {
        for service in needs {
            if let Err(why) = service.probe() {
                panic!("{test}: the test harness is on but {service:?} is missing: {why}");
            }
        }
        return true;
    }
    let line =
        format!("SKIP: {test}: needs {needs:?}; run under tests/harness/with-services.sh (as `make test` does)\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    false
}
