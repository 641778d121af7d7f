#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The scanner on real folders: what the walk enters and skips, each credential file format with a
//! real-shaped (fake) sample, and precision on near-misses.

mod samples;

use secrecy::ExposeSecret;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use tokenwarden_scan::{scan, Certainty, ScanOptions, ScanStats};

const GITLAB: &str = "glpat-Ab3dEf5hIj7lMn9pQr1t";
const HUGGING_FACE: &str = "hf_QmTsLkPzWxVbNrYcJdHgFaKeUoRiQwErTy";
const STRIPE: &str = "sk_live_51HqLyjWDarjtT1zdp7dcXyz9Uv8Rs7Qp";

/// What a scan found: `(file name, line, provider or "-", certainty)`, and the secrets.
struct Found {
    rows: Vec<(String, usize, String, Certainty)>,
    secrets: Vec<String>,
    stats: ScanStats,
}

fn run(roots: &[PathBuf], options: &ScanOptions) -> Found {
    let mut rows = Vec::new();
    let mut secrets = Vec::new();
    let stats = scan(roots, options, &AtomicBool::new(false), |c| {
        let name = c.path.file_name().unwrap().to_string_lossy().into_owned();
        let provider = c.detection.as_ref().map_or("-".to_owned(), |d| d.provider.clone());
        rows.push((name, c.line, provider, c.certainty));
        secrets.push(c.secret.expose_secret().to_owned());
    })
    .unwrap();
    rows.sort();
    Found { rows, secrets, stats }
}

fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// Every file under `dir` with its contents and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let meta = std::fs::symlink_metadata(entry.path()).unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            } else if meta.is_file() {
                out.insert(entry.path(), (std::fs::read(entry.path()).unwrap(), meta.modified().unwrap()));
            }
        }
    }
    out
}

#[test]
fn gitignored_files_are_skipped_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "secrets.env\n");
    write(dir.path(), "secrets.env", &format!("GITLAB_TOKEN={GITLAB}\n"));
    write(dir.path(), "app.env", &format!("HF_TOKEN={HUGGING_FACE}\n"));
    let honoured = run(&[dir.path().to_owned()], &ScanOptions::default());
    assert_eq!(honoured.rows, vec![("app.env".into(), 1, "hugging-face".into(), Certainty::Likely)]);
    let all = run(&[dir.path().to_owned()], &ScanOptions { honour_ignore: false, ..ScanOptions::default() });
    assert_eq!(all.rows.len(), 2, "{:?}", all.rows);
    assert!(all.rows.iter().any(|r| r.0 == "secrets.env" && r.2 == "gitlab"));
}

#[test]
fn binary_and_oversized_files_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut binary = format!("GITLAB_TOKEN={GITLAB}\n").into_bytes();
    binary.insert(3, 0);
    std::fs::write(dir.path().join("blob.bin"), binary).unwrap();
    write(dir.path(), "big.txt", &format!("{GITLAB}\n{}", "a".repeat(4096)));
    write(dir.path(), "small.txt", &format!("{STRIPE}\n"));
    let found = run(&[dir.path().to_owned()], &ScanOptions { max_file_bytes: 1024, ..ScanOptions::default() });
    assert_eq!(found.rows, vec![("small.txt".into(), 1, "stripe".into(), Certainty::Likely)]);
    assert_eq!((found.stats.skipped_binary, found.stats.skipped_large, found.stats.files), (1, 1, 1));
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_so_loops_end_and_nothing_outside_the_root_is_read() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "elsewhere.env", &format!("TOKEN={GITLAB}\n"));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sub/inside.env", &format!("TOKEN={HUGGING_FACE}\n"));
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("elsewhere.env"), dir.path().join("link.env")).unwrap();
    let found = run(&[dir.path().to_owned()], &ScanOptions::default());
    assert_eq!(found.rows, vec![("inside.env".into(), 1, "hugging-face".into(), Certainty::Likely)]);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_tree_does_not_block_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("mkfifo").arg(dir.path().join("pipe.env")).status().unwrap();
    assert!(made.success());
    write(dir.path(), "real.env", &format!("T={GITLAB}\n"));
    // Nobody writes to the FIFO: opening it for reading would wait forever.
    let found = run(&[dir.path().to_owned()], &ScanOptions::default());
    assert_eq!(found.rows.len(), 1);
}

#[test]
fn a_missing_root_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let err =
        scan(std::slice::from_ref(&missing), &ScanOptions::default(), &AtomicBool::new(false), |_| {}).unwrap_err();
    assert!(err.to_string().contains(&missing.display().to_string()), "{err}");
}

#[test]
fn the_scan_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), "a/.env", &format!("T={GITLAB}\n"));
    write(dir.path(), "ignored/b.txt", &format!("{STRIPE}\n"));
    write(dir.path(), ".npmrc", &format!("//registry.example/:_authToken={HUGGING_FACE}\n"));
    let before = snapshot(dir.path());
    run(&[dir.path().to_owned()], &ScanOptions { honour_ignore: false, ..ScanOptions::default() });
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn every_credential_file_format_is_read_by_its_format() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let docker_auth = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("me:{STRIPE}"))
    };
    let cases: Vec<(&str, String, &str)> = vec![
        (".netrc", format!("machine gitlab.example\n  login me\n  password {GITLAB}\n"), GITLAB),
        (".git-credentials", format!("https://me:{GITLAB}@gitlab.example\n"), GITLAB),
        (".npmrc", "//registry.example/:_authToken=npm_q8Zr2Lm5Vt9Kw3Nx7Bc1Hd4FaPe6Gy0Jk2Ls\n".into(), "npm_q8Zr2Lm5Vt9Kw3Nx7Bc1Hd4FaPe6Gy0Jk2Ls"),
        (".pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJGQ4\n".into(), "pypi-AgEIcHlwaS5vcmcCJGQ4"),
        (".docker/config.json", format!("{{\n  \"auths\": {{\n    \"registry.example\": {{ \"auth\": \"{docker_auth}\" }}\n  }}\n}}\n"), STRIPE),
        (".aws/credentials", "[default]\naws_access_key_id = AKIAQ7ZR2LM5VT9KW3NX\naws_secret_access_key = q8Zr2Lm5Vt9Kw3Nx7Bc1Hd4FaPe6Gy0Jk2LsQwE\n".into(), "q8Zr2Lm5Vt9Kw3Nx7Bc1Hd4FaPe6Gy0Jk2LsQwE"),
        (".cargo/credentials.toml", "[registry]\ntoken = \"cio3Zr2Lm5Vt9Kw3Nx7Bc1Hd4FaPe6Gy0\"\n".into(), "cio3Zr2Lm5Vt9Kw3Nx7Bc1Hd4FaPe6Gy0"),
        (".terraform.d/credentials.tfrc.json", "{\"credentials\": {\"app.terraform.io\": {\"token\": \"tf9Zr2Lm5Vt9Kw3Nx7Bc1.atlasv1.Hd4FaPe6Gy0\"}}}\n".into(), "tf9Zr2Lm5Vt9Kw3Nx7Bc1.atlasv1.Hd4FaPe6Gy0"),
        (".config/gh/hosts.yml", format!("github.com:\n    user: me\n    oauth_token: {HUGGING_FACE}\n    git_protocol: https\n"), HUGGING_FACE),
        (".bash_history", format!("ls\ncurl -H 'Authorization: Bearer {GITLAB}' https://gitlab.example/api\n"), GITLAB),
    ];
    for (relative, text, secret) in &cases {
        write(h, relative, text);
        let found = run(&[h.join(relative)], &ScanOptions::default());
        assert_eq!(found.secrets, vec![secret.to_string()], "{relative}: {:?}", found.rows);
        assert_eq!(found.rows[0].3, Certainty::Likely, "{relative}");
    }
    // --home finds each of them in its usual place.
    let targets = tokenwarden_scan::home_targets(h);
    assert_eq!(targets.len(), cases.len(), "{targets:?}");
    assert_eq!(run(&targets, &ScanOptions::default()).secrets.len(), cases.len());
}

#[test]
fn near_misses_are_never_attributed_to_a_provider() {
    let dir = tempfile::tempdir().unwrap();
    let near_misses = [
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "AKIAIOSFODNN7EXAMPLE",
        "glpat-Ab3dEf5hIj7lMn9pQr1",
        "glpat-Ab3dEf5hIj7lMn9pQr1tZZ",
        "sk_live_<your-stripe-key-goes-here-please>",
        "hf_abababababababababababababababababab",
        "GLPAT-Ab3dEf5hIj7lMn9pQr1t",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "123e4567-e89b-12d3-a456-426614174000",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg",
    ];
    write(dir.path(), "README.md", &near_misses.map(|v| format!("use `{v}` here")).join("\n"));
    let found = run(&[dir.path().to_owned()], &ScanOptions::default());
    let attributed: Vec<_> = found.rows.iter().filter(|r| r.2 != "-" && r.3 == Certainty::Likely).collect();
    assert!(attributed.is_empty(), "attributed: {attributed:?}");
    assert!(found.stats.placeholders >= 3, "{:?}", found.stats);
}

#[test]
fn tokens_of_several_providers_are_named_right() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy.sh", &format!("gl={GITLAB}\nhf=\"{HUGGING_FACE}\"\nstripe: {STRIPE}\n"));
    let found = run(&[dir.path().to_owned()], &ScanOptions::default());
    let providers: Vec<&str> = found.rows.iter().map(|r| r.2.as_str()).collect();
    assert_eq!(providers, vec!["gitlab", "hugging-face", "stripe"], "{:?}", found.rows);
}

#[test]
fn a_stop_request_ends_the_walk_early_and_progress_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3000 {
        write(dir.path(), &format!("d{}/f{i}.env", i % 30), &format!("T={GITLAB}\n"));
    }
    let stop = AtomicBool::new(false);
    let mut seen = 0;
    let mut reports = 0;
    let stats = tokenwarden_scan::scan_with_progress(
        &[dir.path().to_owned()],
        &ScanOptions::default(),
        &stop,
        |_| {
            seen += 1;
            // As Ctrl+C would: the walk stops between files.
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        },
        |_| reports += 1,
    )
    .unwrap();
    assert!(seen >= 1 && stats.files < 3000, "the walk went on: {} files, {seen} candidates", stats.files);
    assert!(reports >= 1, "no progress report");
}

#[cfg(unix)]
#[test]
fn a_socket_in_the_tree_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let _listener = std::os::unix::net::UnixListener::bind(dir.path().join("agent.sock")).unwrap();
    write(dir.path(), "real.env", &format!("T={GITLAB}\n"));
    let found = run(&[dir.path().to_owned()], &ScanOptions::default());
    assert_eq!(found.rows, vec![("real.env".into(), 1, "gitlab".into(), Certainty::Likely)]);
    assert_eq!((found.stats.files, found.stats.unreadable), (1, 0), "{:?}", found.stats);
}

/// The inner half of the unreadable-files test when it runs as another user (see below).
const UNREADABLE_DIR: &str = "TOKENWARDEN_SCAN_TEST_UNREADABLE_DIR";

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's effective user.
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_counted_and_the_rest_is_scanned() {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(dir) = std::env::var(UNREADABLE_DIR) {
        let found = run(&[PathBuf::from(dir)], &ScanOptions::default());
        assert_eq!(found.rows, vec![("open.env".into(), 1, "gitlab".into(), Certainty::Likely)]);
        assert_eq!((found.stats.files, found.stats.unreadable), (1, 2), "{:?}", found.stats);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mode = |path: &Path, mode: u32| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    mode(dir.path(), 0o755);
    write(dir.path(), "open.env", &format!("T={GITLAB}\n"));
    mode(&write(dir.path(), "closed.env", &format!("T={HUGGING_FACE}\n")), 0o000);
    write(dir.path(), "locked/inner.env", &format!("T={STRIPE}\n"));
    mode(&dir.path().join("locked"), 0o000);
    if !is_root() {
        std::env::set_var(UNREADABLE_DIR, dir.path());
        unreadable_files_and_folders_are_counted_and_the_rest_is_scanned();
        return;
    }
    // Modes do not stop root: the same test runs again as nobody, where they do.
    let this = std::env::current_exe().unwrap();
    let output = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&this)
        .args(["--exact", "unreadable_files_and_folders_are_counted_and_the_rest_is_scanned", "--test-threads=1"])
        .env(UNREADABLE_DIR, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    mode(&dir.path().join("locked"), 0o755);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 passed"), "{stdout}");
}

#[test]
fn folders_removed_while_the_scan_runs_are_passed_over_and_the_rest_is_found() {
    let dir = tempfile::tempdir().unwrap();
    for d in 0..40 {
        for f in 0..25 {
            write(dir.path(), &format!("doomed{d}/f{f}.txt"), "nothing to see here\n");
        }
    }
    write(dir.path(), "keep/deploy.env", &format!("T={GITLAB}\n"));
    let mut removed = false;
    let mut rows = Vec::new();
    let stats = tokenwarden_scan::scan_with_progress(
        &[dir.path().to_owned()],
        &ScanOptions::default(),
        &AtomicBool::new(false),
        |c| rows.push(c.detection.map(|d| d.provider)),
        |_| {
            // The first report comes as the walk starts: the folders vanish under it.
            if !removed {
                removed = true;
                for d in 0..40 {
                    std::fs::remove_dir_all(dir.path().join(format!("doomed{d}"))).unwrap();
                }
            }
        },
    )
    .unwrap();
    assert!(removed);
    assert_eq!(rows, vec![Some("gitlab".to_owned())]);
    assert!(stats.files <= 1001, "{stats:?}");
}

#[test]
fn shell_histories_are_scanned_line_by_line() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let mut rng = samples::Rng::new(3);
    let github = samples::FORMATS.iter().find(|f| f.kind == "classic-pat").unwrap();
    let (gh, gh2) = (samples::sample(github, &mut rng), samples::sample(github, &mut rng));
    // zsh's extended history (`: start:elapsed;command`) and fish's YAML-like history.
    write(h, ".zsh_history", &format!(": 1733350000:0;ls\n: 1733350012:0;export GITHUB_TOKEN={gh}\n"));
    write(
        h,
        ".local/share/fish/fish_history",
        &format!("- cmd: ls\n  when: 1733350000\n- cmd: curl -H \"PRIVATE-TOKEN: {GITLAB}\" https://gitlab.example/api/v4/user\n  when: 1733350020\n"),
    );
    write(h, ".bash_history", &format!("cd src\ngh auth login --with-token <<< {gh2}\n"));
    let targets = tokenwarden_scan::home_targets(h);
    assert_eq!(targets.len(), 3, "{targets:?}");
    let found = run(&targets, &ScanOptions::default());
    assert_eq!(
        found.rows,
        vec![
            (".bash_history".into(), 2, "github".into(), Certainty::Likely),
            (".zsh_history".into(), 2, "github".into(), Certainty::Likely),
            ("fish_history".into(), 3, "gitlab".into(), Certainty::Likely),
        ]
    );
}
