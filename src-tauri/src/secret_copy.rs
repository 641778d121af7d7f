//! Copying a secret for the UI: the clipboard is held and then cleared on a thread of its own, so
//! the command returns at once. Fails early (not on the thread) when there is no clipboard.
//! Locking the vault fires `signal`, which clears a still-held value at once.

use secrecy::SecretString;
use std::time::Duration;
use tokenwarden_core::clipboard::{self, ClearSignal};

use crate::IpcError;

pub fn copy_for(secret: SecretString, timeout: Duration, signal: &ClearSignal) -> Result<(), IpcError> {
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let signal = signal.clone();
    std::thread::spawn(move || {
        let result = clipboard::copy_then_clear_early(&secret, timeout, &signal, || {
            let _ = started_tx.send(Ok(()));
        });
        if let Err(error) = result {
            // Reaches the caller if it failed before the value was set; otherwise nobody waits.
            let _ = started_tx.send(Err(error));
        }
    });
    match started_rx.recv_timeout(Duration::from_secs(5)) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(error.into()),
        Err(_) => Err(tokenwarden_core::Error::Clipboard { detail: "the clipboard did not answer".to_owned() }.into()),
    }
}
