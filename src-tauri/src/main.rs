//! The desktop app's entry point: finds the vault directory and runs the Tauri app.
//! Everything else lives in the library so tests can build the same app on a mock runtime; the
//! plugins and services started here talk to the real desktop (D-Bus, the tray, the config dir),
//! so only main has them.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;
use tauri_plugin_autostart::MacosLauncher;

fn main() -> ExitCode {
    // Before any thread starts (it changes the environment): the library order that links this
    // process's re-execution and WebKit's processes faster, unless the start gave one.
    tokenwarden_core::window_preload::set_for_children();
    // Once, before any thread starts: run again with allocators that wipe freed memory (returns
    // only when that is done already, or failed).
    if let Err(problem) = tokenwarden_app::forget::reexec_with_wiping_allocators() {
        eprintln!("tokenwarden: warning: {problem}");
    }
    // Before anything reads a password or a key: no core file, no ptrace by other processes.
    if let Err(problem) = tokenwarden_core::process::harden() {
        eprintln!("tokenwarden: warning: {problem}");
    }
    let vault_dir = tokenwarden_app::vault_dir_from_env();
    let args: Vec<String> = std::env::args().collect();
    // Autostart: the tray process alone (started unless one runs), and no window.
    if args.iter().any(|a| a == tokenwarden_app::HIDDEN_ARG) {
        return match tokenwarden_app::tray_link::connect_or_start(&vault_dir) {
            Some(_) => ExitCode::SUCCESS,
            None => ExitCode::FAILURE,
        };
    }
    let open_token = tokenwarden_app::tray_link::open_token_arg(&args);
    let builder = tauri::Builder::default()
        // Registered first, as the plugin asks: a second launch (or the tray starting a window for a
        // token while one is open) opens the first one's window, on that token, and exits.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| match tokenwarden_app::tray_link::open_token_arg(
            &args,
        ) {
            Some((id, rotate)) => tokenwarden_app::window::open_token(app, &id, rotate),
            None => tokenwarden_app::window::show_main(app),
        }))
        // Remembers the window's size and position between runs; not whether it was shown: the
        // window shows itself once its first draw is held (see first_draw).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::all() - tauri_plugin_window_state::StateFlags::VISIBLE,
                )
                .build(),
        )
        // The native file dialog for import and export, used from Rust only: the capability grants
        // the webview none of its permissions, so the UI gets file names and handles, never paths.
        .plugin(tauri_plugin_dialog::init())
        // Starting at login is a setting (off until the user turns it on); such a start runs
        // `tokenwarden --hidden`, which starts the tray process and exits.
        .plugin(tauri_plugin_autostart::init(MacosLauncher::LaunchAgent, Some(vec![tokenwarden_app::HIDDEN_ARG])));
    match tokenwarden_app::build_app(builder, vault_dir) {
        Ok(app) => {
            tokenwarden_app::start_desktop(&app, open_token);
            app.run(|app, event| tokenwarden_app::on_run_event(app, &event));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("tokenwarden: could not start: {error}");
            ExitCode::FAILURE
        }
    }
}
