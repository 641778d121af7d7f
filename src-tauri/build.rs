//! Build script: generates Tauri's context and the access-control manifest for the app's own
//! commands. Every command listed here gets `allow-*`/`deny-*` permissions and is refused unless a
//! capability in `capabilities/` allows it explicitly.

/// The same commands as `app_commands!` in src/lib.rs (checked by tests/command_list.rs).
const COMMANDS: &[&str] = &[
    "vault_status",
    "vault_create",
    "vault_unlock",
    "vault_unlock_keyring",
    "vault_lock",
    "vault_rekey",
    "keyring_set",
    "tokens_list",
    "tokens_rows",
    "token_get",
    "token_add",
    "token_update",
    "token_set_reminder_days",
    "token_archive",
    "token_delete",
    "token_reveal",
    "token_copy",
    "settings_get",
    "settings_save",
    "autostart_get",
    "autostart_set",
    "import_pick",
    "export_pick",
    "import_preview",
    "import_apply",
    "import_cancel",
    "export_file",
    "open_request_take",
    "detect_secret",
    "provider_info",
    "verify_token",
    "open_provider_page",
    "rotation_start",
    "rotation_for",
    "rotations_open",
    "rotation_step",
    "revoke_token",
    "panic_revoke",
    "provider_api_urls",
    "provider_api_url_set",
    "scan_pick",
    "scan_start",
    "scan_cancel",
    "scan_apply",
    "health_findings",
    "health_summary",
    "health_dismiss",
    "health_mark_reviewed",
    "ipc_refused",
    "alerts_list",
    "alert_acknowledge",
    "monitor_status",
    "monitor_set_enabled",
    "token_set_monitored",
];

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))?;
    Ok(())
}
