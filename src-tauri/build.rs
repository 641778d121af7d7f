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
    "memory_release",
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
    build_web_extension()?;
    Ok(())
}

/// Compiles `webext/release_memory.c`, the web process extension the window loads (see
/// src/memory.rs), into `$OUT_DIR` and names it in `TOKENWARDEN_WEBEXT` for `include_bytes!`.
/// Its headers come with libwebkit2gtk-4.1-dev, which the Tauri build needs anyway.
fn build_web_extension() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use std::process::Command;
    const SOURCE: &str = "webext/release_memory.c";
    println!("cargo:rerun-if-changed={SOURCE}");
    println!("cargo:rerun-if-env-changed=CC");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("libtokenwarden-webext.so");
    let flags = Command::new("pkg-config")
        .args(["--cflags", "--libs", "webkit2gtk-web-extension-4.1"])
        .output()
        .map_err(|e| format!("pkg-config could not run ({e}); install pkg-config"))?;
    if !flags.status.success() {
        return Err(format!(
            "pkg-config finds no webkit2gtk-web-extension-4.1 (install libwebkit2gtk-4.1-dev): {}",
            String::from_utf8_lossy(&flags.stderr)
        )
        .into());
    }
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let status = Command::new(&compiler)
        .args(["-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&out)
        .arg(SOURCE)
        .args(String::from_utf8(flags.stdout)?.split_whitespace())
        .status()
        .map_err(|e| format!("{compiler} could not run ({e}); install a C compiler (build-essential)"))?;
    if !status.success() {
        return Err(format!("{compiler} could not build {SOURCE} ({status})").into());
    }
    println!("cargo:rustc-env=TOKENWARDEN_WEBEXT={}", out.display());
    Ok(())
}
