//! The Tokenwarden desktop app: Tauri glue over tokenwarden-core, kept thin.
//! `build_app` wires managed state and commands onto any Tauri builder, so tests run the same
//! app on `tauri::test::mock_builder()`. Domain logic belongs in the core, not here.

pub mod browser;
pub mod commands;
pub mod error;
#[cfg(target_os = "linux")]
pub mod first_draw;
pub mod forget;
pub mod ipc;
pub mod memory;
pub mod monitor;
pub mod notifier;
pub mod reminders;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod screen_lock;
mod secret_copy;
pub mod state;
pub mod tray_link;
pub mod window;

use std::path::PathBuf;
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
            commands::tokens::tokens_rows,
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
            memory::memory_release,
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
            commands::health::health_summary,
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
    let builder = builder
        .manage(VaultDir(vault_dir))
        .manage(Session::default())
        .manage(ReminderTrigger::default())
        .manage(window::OpenRequest::default())
        .manage(forget::ReopenAfterLock::default())
        .manage(tray_link::PageLoaded::default())
        .manage(memory::ExtensionDir::default());
    #[cfg(target_os = "linux")]
    let builder = builder.manage(first_draw::DrawHold::default());
    builder
        .on_page_load(|webview, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                #[cfg(target_os = "linux")]
                if let Some(window) = webview.app_handle().get_webview_window(window::MAIN) {
                    first_draw::release(&window);
                }
                webview.state::<tray_link::PageLoaded>().set();
                webview.state::<memory::ExtensionDir>().page_loaded();
            }
        })
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
        let windowless = app.get_webview_window(window::MAIN).is_none();
        if app.state::<Session>().lock_if_idle(std::time::Instant::now()) {
            let _ = app.emit(LOCKED_EVENT, ());
            forget::forget_web_content(&app);
            app.state::<ReminderTrigger>().poke();
            end_if(windowless, &app);
        }
    });
}

/// Argument that starts only the tray process and exits (used by autostart: "Start at login, in the tray").
pub const HIDDEN_ARG: &str = "--hidden";

/// The parts of the app that talk to the real desktop, started by main only (tests build the app
/// on the mock runtime without them): the link to the tray process (started when none runs), the
/// monitor with OS notifications, the screen-lock listener, and the main window, opened on
/// `open_token` when the start asked for one.
pub fn start_desktop<R: Runtime>(app: &App<R>, open_token: Option<(String, bool)>) {
    let handle = app.handle();
    // The window first: WebKit starts its processes and loads the page while the rest starts.
    match open_token {
        Some((id, rotate)) => window::open_token(handle, &id, rotate),
        None => window::show_main(handle),
    }
    // Connects to a running tray at once; starts one only after the page has loaded.
    tray_link::spawn(handle.clone());
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
    monitor::spawn(handle.clone(), desktop);
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let handle = handle.clone();
        screen_lock::spawn(Arc::new(move || lock_if_chosen(&handle, |s| s.lock_on_screen_lock)));
    }
}

/// For `App::run`: closing the window ends the process (the vault closes with it; the tray process
/// stays), unless a lock is closing and reopening it, or the person turned "Lock when the window
/// closes" off: then the process stays, windowless with the vault open, until the vault locks.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: &RunEvent) {
    let reopening = forget::on_run_event(app, event);
    if let RunEvent::ExitRequested { code: None, api, .. } = event {
        if reopening || stays_open_after_close(app) {
            api.prevent_exit();
        }
    }
}

/// Whether closing the window leaves the vault open: it is unlocked and its settings say not to
/// lock on close.
pub fn stays_open_after_close<R: Runtime>(app: &AppHandle<R>) -> bool {
    // `peek`: reading the setting is not activity that postpones the auto-lock.
    app.state::<Session>().peek(|v| v.settings().is_ok_and(|s| !s.lock_on_close)).unwrap_or(false)
}

/// A window process kept open after its window closed (`windowless`, seen before the lock) ends
/// once its vault locked: there is no window to show the lock screen in, and the tray starts a
/// new one on demand.
fn end_if<R: Runtime>(windowless: bool, app: &AppHandle<R>) {
    if windowless && !app.state::<Session>().is_unlocked() {
        app.exit(0);
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
    let windowless = app.get_webview_window(window::MAIN).is_none();
    if app.state::<Session>().lock() {
        let _ = app.emit(LOCKED_EVENT, ());
    }
    forget::forget_web_content(app);
    app.state::<ReminderTrigger>().poke();
    end_if(windowless, app);
}
