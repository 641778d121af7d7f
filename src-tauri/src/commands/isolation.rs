//! The isolation frame's refusal, made visible: `isolation/index.js` rewrites a call to anything
//! outside its allow-list into `ipc_refused { cmd }`, and this answers it with an error in the
//! frame's own words. It never runs anything: it only says no.

use crate::IpcError;
use tokenwarden_core::ErrorCode;

/// The words the UI (and the e2e) see for a call the isolation frame stopped.
pub const REFUSAL: &str = "blocked by the isolation frame";

#[tauri::command]
pub fn ipc_refused(cmd: String) -> Result<(), IpcError> {
    Err(refusal(&cmd))
}

fn refusal(cmd: &str) -> IpcError {
    // The name comes from the page: shown printable and short, never trusted.
    let shown: String = cmd.chars().filter(|c| !c.is_control()).take(100).collect();
    IpcError { code: ErrorCode::InvalidInput, message: format!("{REFUSAL}: {shown}") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_refused_call_is_answered_with_the_frames_own_words() {
        let error = super::ipc_refused("plugin:opener|open_url".to_owned()).unwrap_err();
        assert_eq!(error.message, "blocked by the isolation frame: plugin:opener|open_url");
        let error = super::ipc_refused("evil\u{1b}[2J\nname".to_owned()).unwrap_err();
        assert_eq!(error.message, "blocked by the isolation frame: evil[2Jname");
    }
}
