//! A provider's page opens with the desktop's opener, which gets the address and not the window's
//! library preload (a person's own preload is passed on). The opener here is a stand-in
//! `xdg-open` first on PATH that writes down what it was given. One test in this binary: it
//! changes the process's environment.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};
use tokenwarden_core::window_preload::WINDOW_PRELOAD;

/// Opens `url` with LD_PRELOAD set to `preload`, and returns what the stand-in opener wrote.
fn opened_with(dir: &Path, url: &str, preload: &str) -> String {
    let record = dir.join("opened");
    let _ = std::fs::remove_file(&record);
    std::env::set_var("LD_PRELOAD", preload);
    tokenwarden_app::browser::open(url).expect("the opener starts");
    std::env::remove_var("LD_PRELOAD");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(text) = std::fs::read_to_string(&record) {
            if text.ends_with('\n') {
                return text;
            }
        }
        assert!(Instant::now() < deadline, "the stand-in opener did not run");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_browser_opener_gets_the_address_without_the_windows_preload() {
    let dir = tempfile::tempdir().unwrap();
    let opener = dir.path().join("xdg-open");
    let script = format!(
        "#!/bin/sh\nprintf '%s preload=%s\\n' \"$1\" \"${{LD_PRELOAD-unset}}\" > '{}.tmp' && mv '{0}.tmp' '{0}'\n",
        dir.path().join("opened").display()
    );
    std::fs::write(&opener, script).unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![dir.path().to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    std::env::set_var("PATH", std::env::join_paths(paths).unwrap());

    let url = "https://github.com/settings/tokens";
    assert_eq!(opened_with(dir.path(), url, WINDOW_PRELOAD), format!("{url} preload=unset\n"));
    // Someone's own preload (a real library, so the shell starts) is theirs to keep.
    assert_eq!(opened_with(dir.path(), url, "libm.so.6"), format!("{url} preload=libm.so.6\n"));
}
