//! The error every command returns over IPC: `{ code, message }`, where `code` is the core's
//! stable `ErrorCode` the UI branches on. Messages come from the core and never hold a secret.

use serde::Serialize;
use tokenwarden_core::ErrorCode;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<tokenwarden_core::Error> for IpcError {
    fn from(error: tokenwarden_core::Error) -> Self {
        IpcError { code: error.code(), message: error.to_string() }
    }
}
