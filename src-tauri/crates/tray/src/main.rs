//! `tokenwarden-tray`: the small process that runs all day. It owns the tray icon and menu, the
//! reminders loop and its notifications, and the channel's server; it starts the window process
//! on demand. It never opens the vault and never holds its key: it reads only the reminder index
//! (sealed with a key from the OS keyring) and what the window tells it over the channel.

mod icons;
mod instance;
mod menu;
mod service;

use std::path::PathBuf;
use std::process::ExitCode;
use tokenwarden_core::channel::{self, ServerEvent};

/// What the loop is asked to do: by the menu, a notification's buttons, or the window.
#[derive(Debug, Clone)]
pub enum Command {
    Open,
    OpenToken {
        id: String,
        rotate: bool,
    },
    Lock,
    Quit,
    Snooze {
        id: String,
        days: u32,
    },
    Window(ServerEvent),
    /// The session bus went away (the session ended): exit without telling the window.
    SessionGone,
}

/// Environment variable naming the window binary to start (default: `tokenwarden` beside this one).
const APP_BIN_ENV: &str = "TOKENWARDEN_APP_BIN";
const VAULT_ENV: &str = "TOKENWARDEN_VAULT";
const USAGE: &str = "usage: tokenwarden-tray [--vault DIR] [--autostart]";

/// The vault directory, and whether this is the login autostart (`--autostart`).
fn parse_args() -> Result<(PathBuf, bool), String> {
    let mut args = std::env::args_os().skip(1);
    let (mut vault, mut autostart) = (None, false);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--vault") => vault = Some(PathBuf::from(args.next().ok_or(USAGE)?)),
            Some("--autostart") => autostart = true,
            Some("--version") => return Err(format!("tokenwarden-tray {}", env!("CARGO_PKG_VERSION"))),
            _ => return Err(USAGE.to_owned()),
        }
    }
    let dir = vault
        .or_else(|| std::env::var_os(VAULT_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(tokenwarden_core::vault::default_dir);
    Ok((dir, autostart))
}

fn app_bin() -> PathBuf {
    std::env::var_os(APP_BIN_ENV).filter(|v| !v.is_empty()).map(PathBuf::from).unwrap_or_else(|| {
        let own = std::env::current_exe().unwrap_or_default();
        own.parent().map(|dir| dir.join("tokenwarden")).unwrap_or_else(|| PathBuf::from("tokenwarden"))
    })
}

fn main() -> ExitCode {
    // Once, before any thread starts: run again with allocators that wipe freed memory. A window
    // started from here inherits them, which spares it that second start (about 60 ms of CPU).
    if let Err(problem) = tokenwarden_core::wiping_allocator::reexec_with_wiping_allocators(
        tokenwarden_core::wiping_allocator::Lifetime::LongRunning,
    ) {
        eprintln!("tokenwarden-tray: warning: {problem}");
    }
    if let Err(problem) = tokenwarden_core::process::harden() {
        eprintln!("tokenwarden-tray: warning: {problem}");
    }
    let (dir, autostart) = match parse_args() {
        Ok(parsed) => parsed,
        Err(said) => {
            eprintln!("{said}");
            return if said.starts_with("usage") { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    // The package's login entry runs for every user: one who never made a vault gets no tray.
    if autostart && !dir.join(tokenwarden_core::reminders::INDEX_FILE).exists() && !dir.join("vault.keys").exists() {
        return ExitCode::SUCCESS;
    }
    let runtime = match channel::runtime_dir() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("tokenwarden-tray: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Held until the process ends: the one tray of this vault.
    let _instance = match instance::acquire(&channel::lock_path(&runtime, &dir)) {
        Ok(Some(file)) => file,
        Ok(None) => {
            eprintln!("tokenwarden-tray: already running for {}", dir.display());
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("tokenwarden-tray: could not take the instance lock: {error}");
            return ExitCode::FAILURE;
        }
    };
    let socket = channel::socket_path(&runtime, &dir);
    match service::run(dir, &socket, app_bin()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tokenwarden-tray: {error}");
            ExitCode::FAILURE
        }
    }
}
