//! Copying a secret to the system clipboard and clearing it after a timeout — but only if the
//! clipboard still holds our value, so a later copy by the user is never wiped. On Linux the value
//! is marked for clipboard managers to skip (`x-kde-passwordManagerHint=secret`).

use secrecy::{ExposeSecret, SecretString};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// What happened to a copied value when its time ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClearOutcome {
    /// The clipboard still held our value and was cleared.
    Cleared,
    /// Something else was copied meanwhile; it was left alone.
    Replaced,
}

/// Puts `secret` on the clipboard, holds it for `timeout` (on X11 the owner must stay alive to
/// serve it), then clears it if unchanged. Blocks for the whole timeout.
pub fn copy_then_clear(secret: &SecretString, timeout: Duration) -> Result<ClearOutcome> {
    copy_then_clear_with(secret, timeout, || {})
}

/// As [`copy_then_clear`], calling `on_copied` as soon as the value is on the clipboard.
pub fn copy_then_clear_with(
    secret: &SecretString,
    timeout: Duration,
    on_copied: impl FnOnce(),
) -> Result<ClearOutcome> {
    copy_then_clear_early(secret, timeout, &ClearSignal::default(), on_copied)
}

/// Ends a copy's wait early: once `clear_now` is called (the vault locked), the copy clears the
/// clipboard at once — still only if it holds our value. One signal may serve many copies.
#[derive(Clone, Default)]
pub struct ClearSignal(Arc<(Mutex<u64>, Condvar)>);

impl ClearSignal {
    /// Wakes every copy started before this call, so each clears the clipboard now.
    pub fn clear_now(&self) {
        let (rounds, woken) = &*self.0;
        *rounds.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) += 1;
        woken.notify_all();
    }

    fn round(&self) -> u64 {
        *self.0 .0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until `deadline` or until `clear_now` is called after `since` was read.
    fn wait(&self, since: u64, deadline: Instant) {
        let (rounds, woken) = &*self.0;
        let mut round = rounds.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while *round == since {
            let now = Instant::now();
            if now >= deadline {
                return;
            }
            round = woken.wait_timeout(round, deadline - now).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
        }
    }
}

/// As [`copy_then_clear_with`], but `signal` can end the wait early (see [`ClearSignal`]).
pub fn copy_then_clear_early(
    secret: &SecretString,
    timeout: Duration,
    signal: &ClearSignal,
    on_copied: impl FnOnce(),
) -> Result<ClearOutcome> {
    let fail = |e: arboard::Error| Error::Clipboard { detail: e.to_string() };
    let since = signal.round();
    let mut clipboard = arboard::Clipboard::new().map_err(fail)?;
    let deadline = Instant::now() + timeout;
    set_hidden(&mut clipboard, secret.expose_secret()).map_err(fail)?;
    on_copied();
    signal.wait(since, deadline);
    let still_ours = clipboard
        .get_text()
        .map(|current| SecretString::from(current).expose_secret() == secret.expose_secret())
        .unwrap_or(false);
    if still_ours {
        clipboard.clear().map_err(fail)?;
        Ok(ClearOutcome::Cleared)
    } else {
        Ok(ClearOutcome::Replaced)
    }
}

#[cfg(target_os = "linux")]
fn set_hidden(clipboard: &mut arboard::Clipboard, text: &str) -> std::result::Result<(), arboard::Error> {
    use arboard::SetExtLinux;
    // The selection is served for as long as `clipboard` lives, which the caller ensures.
    clipboard.set().exclude_from_history().text(text.to_owned())
}

#[cfg(not(target_os = "linux"))]
fn set_hidden(clipboard: &mut arboard::Clipboard, text: &str) -> std::result::Result<(), arboard::Error> {
    clipboard.set_text(text.to_owned())
}
