//! The running CLI cannot be dumped or traced: it sets RLIMIT_CORE to 0 and PR_SET_DUMPABLE to 0
//! first thing. Seen from outside (man 5 proc): `/proc/PID/limits` reads "Max core file size 0 0",
//! and the kernel makes a non-dumpable process's `/proc/PID/*` files root's. Only root can run a
//! process as another uid and raise its core limit first, so other users get a visible SKIP.
//! Also: key-derivation parameters in `vault.keys` are checked before Argon2id runs, and vault
//! passwords have the app's minimum length.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;
use sha2::{Digest, Sha256};

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NOBODY: u32 = 65534;

fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
        && std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"))
}

/// Runs `program args` as uid/gid 65534 with a core limit of 1 MiB set before it starts (the
/// test's own limit may already be 0, which would let the limits check pass by accident).
fn spawn_as_nobody(program: &Path, args: &[&str]) -> Child {
    Command::new("prlimit")
        .arg("--core=1048576:1048576")
        .args(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn status_owner(pid: u32) -> u32 {
    std::fs::metadata(format!("/proc/{pid}/status")).unwrap().uid()
}

/// (soft, hard) of "Max core file size" in `/proc/PID/limits`.
fn core_limit(pid: u32) -> (String, String) {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits.lines().find(|l| l.starts_with("Max core file size")).unwrap();
    let mut fields = line["Max core file size".len()..].split_whitespace();
    (fields.next().unwrap().to_owned(), fields.next().unwrap().to_owned())
}

/// The real uid in `/proc/PID/status`, to know the exec chain (prlimit, setpriv) got to the program.
fn real_uid(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("Uid:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned()
}

/// Waits until `pid` runs `name` as 65534, then (for the hardened binary) until its status file
/// turns root's, or the time is up.
fn wait_for(pid: u32, name: &str, want_owner: u32) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let running = comm(pid);
        if !running.is_empty()
            && name.starts_with(&running)
            && real_uid(pid) == Some(NOBODY)
            && status_owner(pid) == want_owner
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_running_cli_is_not_dumpable_and_has_no_core_limit() {
    if !is_root() {
        eprintln!(
            "SKIP the_running_cli_is_not_dumpable_and_has_no_core_limit: needs root to run the CLI as another uid"
        );
        return;
    }
    // A copy the unprivileged uid can reach and read: a program it cannot read would be made
    // non-dumpable by the kernel itself and prove nothing.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = tmp.path().join("tokenwarden-cli");
    std::fs::copy(env!("CARGO_BIN_EXE_tokenwarden-cli"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();

    // The control: a plain program under the same uid and limit is dumpable, with a core limit.
    let mut plain = spawn_as_nobody(Path::new("sleep"), &["30"]);
    wait_for(plain.id(), "sleep", NOBODY);
    let (plain_owner, plain_limit) = (status_owner(plain.id()), core_limit(plain.id()));
    plain.kill().unwrap();
    plain.wait().unwrap();
    assert_eq!(plain_owner, NOBODY, "a plain process's /proc files are its own uid's");
    assert_eq!(plain_limit, ("1048576".to_owned(), "1048576".to_owned()), "the core limit given reaches the program");

    // `init` with the password read from stdin waits there while the pipe stays open.
    let vault = tmp.path().join("vault");
    let mut cli = spawn_as_nobody(&bin, &["--vault", vault.to_str().unwrap(), "--password-file", "-", "init"]);
    let pid = cli.id();
    wait_for(pid, "tokenwarden-cli", 0);
    let running = comm(pid);
    let (owner, limit) = (status_owner(pid), core_limit(pid));
    let still_waiting = cli.try_wait().unwrap().is_none();
    drop(cli.stdin.take().unwrap().write_all(b""));
    cli.kill().unwrap();
    let out = cli.wait_with_output().unwrap();
    assert!(still_waiting, "the CLI should wait for the password: {}", String::from_utf8_lossy(&out.stderr));
    assert!("tokenwarden-cli".starts_with(&running), "checked the CLI itself, not {running}");
    assert_eq!(owner, 0, "a non-dumpable process's /proc/PID/status belongs to root");
    assert_eq!(limit, ("0".to_owned(), "0".to_owned()), "Max core file size 0 0");
}

/// The CLI runs again, in the same process, with glibc's wiping tunables (see the core's
/// `wiping_allocator`): only there does the vault's database leave SQLCipher's memory security off.
/// Read from `/proc/PID/environ`, which for a non-dumpable process only root may read.
#[test]
fn the_running_cli_has_restarted_itself_under_the_wiping_allocator() {
    if !is_root() {
        eprintln!("SKIP the_running_cli_has_restarted_itself_under_the_wiping_allocator: needs root to read a non-dumpable process's environ");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let mut cli = Command::new(env!("CARGO_BIN_EXE_tokenwarden-cli"))
        .args(["--vault", vault.to_str().unwrap(), "--password-file", "-", "init"])
        .env_remove("GLIBC_TUNABLES")
        .env_remove("TOKENWARDEN_WIPING_ALLOCATORS")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = cli.id();
    // Until the re-executed program has replaced the first one (it then waits for the password).
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut environ = Vec::new();
    while Instant::now() < deadline {
        environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        if environ.split(|b| *b == 0).any(|v| v == b"TOKENWARDEN_WIPING_ALLOCATORS=1") {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let still_waiting = cli.try_wait().unwrap().is_none();
    cli.kill().unwrap();
    let out = cli.wait_with_output().unwrap();
    assert!(still_waiting, "the CLI should wait for the password: {}", String::from_utf8_lossy(&out.stderr));
    let vars: Vec<String> = environ.split(|b| *b == 0).map(|v| String::from_utf8_lossy(v).into_owned()).collect();
    assert!(vars.iter().any(|v| v == "TOKENWARDEN_WIPING_ALLOCATORS=1"), "not re-executed");
    // glibc may cut the copy /proc shows at the first tunable it has read: the first is perturb.
    assert!(
        vars.iter().any(|v| v.starts_with("GLIBC_TUNABLES=glibc.malloc.perturb=165")),
        "no wiping tunables: {:?}",
        vars.iter().filter(|v| v.starts_with("GLIBC")).collect::<Vec<_>>()
    );
}

/// Rewrites the password slot's Argon2id parameters the way an attacker with write access would:
/// the checksum is recomputed (it only catches accidents), the header MAC cannot be.
fn tamper_kdf(env: &Env, memory_kib: u64, iterations: u64, parallelism: u64) {
    let path = env.vault.join("vault.keys");
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let slot = &file["slots"][0];
    assert_eq!(slot["type"], "password");
    let s = |v: &serde_json::Value| serde_json::to_string(v).unwrap();
    // The body exactly as the key file checksums it: fields in declaration order, no spaces.
    let slot_json = format!(
        r#"{{"type":"password","algorithm":{},"kdf":{{"memory_kib":{memory_kib},"iterations":{iterations},"parallelism":{parallelism}}},"salt":{},"wrapped_key":{}}}"#,
        s(&slot["algorithm"]),
        s(&slot["salt"]),
        s(&slot["wrapped_key"])
    );
    let body = format!(
        r#"{{"format":{},"version":{},"vault_id":{},"created_at":{},"slots":[{slot_json}]}}"#,
        s(&file["format"]),
        s(&file["version"]),
        s(&file["vault_id"]),
        s(&file["created_at"])
    );
    let checksum = hex::encode(Sha256::digest(body.as_bytes()));
    let mut on_disk: serde_json::Value = serde_json::from_str(&body).unwrap();
    on_disk["header_mac"] = file["header_mac"].clone();
    on_disk["checksum"] = serde_json::Value::String(checksum);
    std::fs::write(&path, serde_json::to_vec_pretty(&on_disk).unwrap()).unwrap();
    // The file still parses and passes its checksum: `info` reads it back with the new cost.
    let info = env.cli(&["info", "--json"]).ok().json();
    assert_eq!(info["kdf"]["memory_kib"], memory_kib);
}

/// A vault at the floor (m=64 MiB, t=3, p=4), as calibration would give at the least.
fn floor_vault() -> Env {
    let env = Env::new();
    env.cli(&["init", "--kdf-memory-mib", "64", "--kdf-iterations", "3", "--kdf-parallelism", "4"]).ok();
    env
}

#[test]
fn kdf_parameters_weakened_in_vault_keys_are_refused_as_tampered() {
    let env = floor_vault();
    tamper_kdf(&env, 8 * 1024, 1, 4);
    let run = env.cli(&["--json", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let error: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["code"], "corrupt", "{}", run.stderr);
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("below the minimum") && message.contains("m=8 MiB, t=1"), "{message}");
}

#[test]
fn kdf_parameters_raised_past_the_ceiling_are_refused_before_argon2_allocates() {
    let env = floor_vault();
    // 64 GiB: Argon2id would try to allocate it all before finding the password wrong.
    tamper_kdf(&env, 64 * 1024 * 1024, 3, 4);
    let run = env.cli(&["--json", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let error: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["code"], "corrupt", "{}", run.stderr);
    assert!(error["message"].as_str().unwrap().contains("above the most this app accepts"), "{}", run.stderr);
    // Iterations and lanes have a ceiling too.
    tamper_kdf(&env, 64 * 1024, 65, 4);
    assert_eq!(env.cli(&["list"]).code, 1);
}

#[test]
fn a_vault_made_with_explicit_weak_parameters_still_opens() {
    let env = Env::init();
    let info = env.cli(&["info", "--json"]).ok().json();
    assert_eq!(info["kdf_below_floor"], true);
    env.cli(&["list"]).ok();
}

#[test]
fn passwd_replaces_weak_parameters_with_calibrated_ones() {
    let env = Env::init();
    let new_file = env.tmp.path().join("new-password");
    std::fs::write(&new_file, "a whole new password\n").unwrap();
    env.cli(&["passwd", "--new-password-file", new_file.to_str().unwrap()]).ok();
    let info = env.cli(&["info", "--json"]).ok().json();
    assert_eq!(info["kdf_below_floor"], false, "{info}");
    assert!(info["kdf"]["memory_kib"].as_u64().unwrap() >= 64 * 1024, "{info}");
    assert!(info["kdf"]["iterations"].as_u64().unwrap() >= 3, "{info}");
    assert_eq!(info["kdf"]["parallelism"], 4, "{info}");
    env.cli(&["--password-file", new_file.to_str().unwrap(), "list"]).ok();
}

#[test]
fn init_and_passwd_refuse_a_password_shorter_than_the_apps_minimum() {
    let env = Env::new();
    std::fs::write(&env.password_file, "seven77\n").unwrap();
    let run = env.cli(&["--json", "init", "--kdf-memory-mib", "8", "--kdf-iterations", "1", "--kdf-parallelism", "1"]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("invalid_input") && run.stderr.contains("at least 8 characters"), "{}", run.stderr);
    assert!(!env.vault.join("vault.keys").exists(), "no vault was made");

    let env = Env::init();
    let before = std::fs::read(env.vault.join("vault.keys")).unwrap();
    let short = env.tmp.path().join("short");
    std::fs::write(&short, "seven77\n").unwrap();
    let run = env.cli(&["--json", "passwd", "--new-password-file", short.to_str().unwrap()]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("at least 8 characters"), "{}", run.stderr);
    assert_eq!(std::fs::read(env.vault.join("vault.keys")).unwrap(), before, "vault.keys untouched");
    // Eight characters are enough.
    std::fs::write(&short, "eight888\n").unwrap();
    env.cli(&[
        "passwd",
        "--new-password-file",
        short.to_str().unwrap(),
        "--kdf-memory-mib",
        "8",
        "--kdf-iterations",
        "1",
        "--kdf-parallelism",
        "1",
    ])
    .ok();
}
