//! The Tokenwarden desktop app: Tauri glue over tokenwarden-core, kept thin.
//! `build_app` wires managed state and commands onto any Tauri builder, so tests run the same
//! app on `tauri::test::mock_builder()`. Domain logic belongs in the core, not here.

pub mod commands;
pub mod error;
pub mod forget;
pub mod ipc;
pub mod monitor;
pub mod notifier;
pub mod reminders;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod screen_lock;
mod secret_copy;
pub mod state;
pub mod tray;
pub mod window;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::{App, AppHandle, Builder, Emitter, Manager, RunEvent, Runtime};

pub use error::IpcError;
pub use reminders::ReminderTrigger;
pub use state::{Session, VaultDir};

/// Environment variable that overrides the vault directory (shared with the CLI).
pub const VAULT_ENV: &str = "TOKENWARDEN_VAULT";

/// The vault directory: `$TOKENWARDEN_VAULT` if set and non-empty, else the core's default.
pub fn vault_dir_from_env() -> PathBuf {
    std::env::var_os(VAULT_ENV)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(tokenwarden_core::vault::default_dir)
}

/// Every command the UI may call. `tests/command_list.rs` checks that `COMMANDS` in build.rs, the
/// capability's `allow-*` list and the isolation frame's allow-list name the same ones.
macro_rules! app_commands {
    () => {
        tauri::generate_handler![
            commands::vault::vault_status,
            commands::vault::vault_create,
            commands::vault::vault_unlock,
            commands::vault::vault_unlock_keyring,
            commands::vault::vault_lock,
            commands::vault::vault_rekey,
            commands::vault::keyring_set,
            commands::tokens::tokens_list,
            commands::tokens::token_get,
            commands::tokens::token_add,
            commands::tokens::token_update,
            commands::tokens::token_set_reminder_days,
            commands::tokens::token_archive,
            commands::tokens::token_delete,
            commands::tokens::token_reveal,
            commands::tokens::token_copy,
            commands::settings::settings_get,
            commands::settings::settings_save,
            commands::settings::autostart_get,
            commands::settings::autostart_set,
            commands::transfer::import_pick,
            commands::transfer::export_pick,
            commands::transfer::import_preview,
            commands::transfer::import_apply,
            commands::transfer::import_cancel,
            commands::transfer::export_file,
            window::open_request_take,
            commands::providers::detect_secret,
            commands::providers::provider_info,
            commands::providers::verify_token,
            commands::providers::open_provider_page,
            commands::rotation::rotation_start,
            commands::rotation::rotation_for,
            commands::rotation::rotations_open,
            commands::rotation::rotation_step,
            commands::revocation::revoke_token,
            commands::revocation::panic_revoke,
            commands::providers::provider_api_urls,
            commands::providers::provider_api_url_set,
            commands::scan::scan_pick,
            commands::scan::scan_start,
            commands::scan::scan_cancel,
            commands::scan::scan_apply,
            commands::health::health_findings,
            commands::health::health_dismiss,
            commands::health::health_mark_reviewed,
            commands::isolation::ipc_refused,
            commands::monitor::alerts_list,
            commands::monitor::alert_acknowledge,
            commands::monitor::monitor_status,
            commands::monitor::monitor_set_enabled,
            commands::monitor::token_set_monitored,
        ]
    };
}

/// Event sent to the UI when the app locks by itself (idle, or hidden too long).
pub const LOCKED_EVENT: &str = "vault-locked";

/// Builds the app on `builder` (the real runtime in main, the mock runtime in tests) for the
/// vault in `vault_dir`. The caller runs it.
pub fn build_app<R: Runtime>(builder: Builder<R>, vault_dir: PathBuf) -> tauri::Result<App<R>> {
    builder
        .manage(VaultDir(vault_dir))
        .manage(Session::default())
        .manage(ReminderTrigger::default())
        .manage(window::OpenRequest::default())
        .manage(InTray(AtomicBool::new(false)))
        .manage(forget::ReopenAfterLock::default())
        .invoke_handler(app_commands!())
        .setup(|app| {
            watch_idle(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
}

/// Locks the vault once nothing has used it for the auto-lock time — whether the window is idle,
/// hidden or minimised, no command arrives then — and tells the UI to drop what it shows.
fn watch_idle<R: Runtime>(app: tauri::AppHandle<R>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(5));
        if app.state::<Session>().lock_if_idle(std::time::Instant::now()) {
            let _ = app.emit(LOCKED_EVENT, ());
            forget::forget_web_content(&app);
            app.state::<ReminderTrigger>().poke();
        }
    });
}

/// Argument that starts the app in the tray without opening its window (used by autostart).
pub const HIDDEN_ARG: &str = "--hidden";

/// Whether the tray icon is up, so closing the last window may leave the app running.
struct InTray(AtomicBool);

/// The parts of the app that talk to the real desktop, started by main only (tests build the app
/// on the mock runtime without them): the tray, the reminders loop with OS notifications, and the
/// main window unless `hidden`.
pub fn start_desktop<R: Runtime>(app: &App<R>, hidden: bool) {
    let handle = app.handle();
    let locked = !handle.state::<Session>().is_unlocked();
    let warn_days = tokenwarden_core::settings::Settings::default().warn_days;
    // Empty until the reminders loop's first pass, a moment later.
    match tray::install(handle, &tray::menu_model(&[], chrono::Utc::now(), locked, warn_days)) {
        Ok(()) => handle.state::<InTray>().0.store(true, Ordering::SeqCst),
        // Without a tray, closing the window quits as usual; reminders still notify.
        Err(error) => eprintln!("tokenwarden: no tray icon: {error}"),
    }
    let on_action = {
        let handle = handle.clone();
        Arc::new(move |action, token: Option<String>| match (action, token) {
            (notifier::NoticeAction::Snooze(days), Some(id)) => reminders::snooze(&handle, &id, days),
            (notifier::NoticeAction::SnoozeAlert(days), Some(id)) => {
                monitor::snooze(&handle.state::<Session>(), &id, days, chrono::Utc::now());
            }
            (_, Some(id)) => window::open_token(&handle, &id, action == notifier::NoticeAction::Rotate),
            (_, None) => window::show_main(&handle),
        })
    };
    let desktop: Arc<dyn notifier::Notifier> = Arc::new(notifier::DesktopNotifier::new(on_action));
    reminders::spawn(handle.clone(), Arc::clone(&desktop));
    monitor::spawn(handle.clone(), desktop);
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let handle = handle.clone();
        screen_lock::spawn(Arc::new(move || lock_if_chosen(&handle, |s| s.lock_on_screen_lock)));
    }
    if !hidden || !handle.state::<InTray>().0.load(Ordering::SeqCst) {
        window::show_main(handle);
    }
}

/// For `App::run`: closing the last window leaves the app in the tray (the window and its
/// webview are destroyed); only "Quit" (an explicit exit code) ends it.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: &RunEvent) {
    let reopening = forget::on_run_event(app, event);
    // The person closed the window (a lock's own close finds the vault locked already).
    if let RunEvent::WindowEvent { label, event: tauri::WindowEvent::Destroyed, .. } = event {
        if label == window::MAIN {
            lock_if_chosen(app, |s| s.lock_on_close);
        }
    }
    if let RunEvent::ExitRequested { code: None, api, .. } = event {
        if reopening || app.state::<InTray>().0.load(Ordering::SeqCst) {
            api.prevent_exit();
        }
    }
}

/// Locks an open vault whose settings ask for it (`chosen` reads the setting): on closing the
/// window, on the screen locking. A locked vault stays as it is.
pub fn lock_if_chosen<R: Runtime>(app: &AppHandle<R>, chosen: fn(&tokenwarden_core::settings::Settings) -> bool) {
    // `peek`, not `with_vault`: reading the setting is not activity that postpones the auto-lock.
    let wanted = app.state::<Session>().peek(|v| v.settings().is_ok_and(|s| chosen(&s))).unwrap_or(false);
    if wanted {
        let handle = app.clone();
        let _ = app.run_on_main_thread(move || lock_and_tell(&handle));
    }
}

/// Locks the vault and tells the UI and the reminders loop (the tray's "Lock").
pub fn lock_and_tell<R: Runtime>(app: &AppHandle<R>) {
    if app.state::<Session>().lock() {
        let _ = app.emit(LOCKED_EVENT, ());
    }
    forget::forget_web_content(app);
    app.state::<ReminderTrigger>().poke();
}
