//! Opens a provider's page in the person's browser, with the desktop's own opener (`xdg-open`
//! first, then the others the `open` crate knows), started without the window's library preload:
//! a browser gains nothing from it (see `tokenwarden_core::window_preload`).

use std::io;
use std::process::Stdio;

/// Starts the first opener that can be started on `url` and returns; it is reaped on a thread of
/// its own when it ends. An opener that starts and then fails is not followed by the next one.
pub fn open(url: &str) -> io::Result<()> {
    let mut failed = None;
    for mut command in open::commands(url) {
        tokenwarden_core::window_preload::remove_from(&mut command);
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        match command.spawn() {
            Ok(mut child) => {
                std::thread::spawn(move || child.wait());
                return Ok(());
            }
            Err(error) => failed = Some(error),
        }
    }
    Err(failed.unwrap_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no program opens web pages here")))
}
