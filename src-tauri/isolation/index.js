// Tauri's isolation application: every IPC message from the UI passes through this sandboxed
// frame before it reaches Rust. It lets through only calls to the app's own commands and to the
// event plugin the UI listens with, so injected script cannot reach anything else by IPC. A call
// to anything else is rewritten into `ipc_refused { cmd }`, which Rust always answers with the
// error "blocked by the isolation frame: <cmd>" — a refusal the caller can see, not silence.
// The allow-list names the same commands as `app_commands!` in src/lib.rs (tests/command_list.rs).
const ALLOWED = new Set([
  'vault_status', 'vault_create', 'vault_unlock', 'vault_unlock_keyring', 'vault_lock', 'vault_rekey',
  'keyring_set', 'tokens_list', 'tokens_rows', 'token_get', 'token_add', 'token_update', 'token_set_reminder_days', 'token_archive', 'token_delete',
  'token_reveal', 'token_copy', 'settings_get', 'settings_save', 'autostart_get', 'autostart_set',
  'import_pick', 'export_pick', 'import_preview', 'import_apply', 'import_cancel', 'export_file', 'open_request_take', 'memory_release',
  'detect_secret', 'provider_info', 'verify_token', 'open_provider_page', 'rotation_start', 'rotation_for',
  'rotations_open', 'rotation_step', 'revoke_token', 'panic_revoke', 'provider_api_urls', 'provider_api_url_set',
  'health_findings', 'health_summary', 'health_dismiss', 'health_mark_reviewed',
  'scan_pick', 'scan_start', 'scan_cancel', 'scan_apply',
  'ipc_refused', 'alerts_list', 'alert_acknowledge', 'monitor_status', 'monitor_set_enabled',
  'token_set_monitored',
]);

window.__TAURI_ISOLATION_HOOK__ = (payload) => {
  const cmd = payload && payload.cmd;
  if (typeof cmd === 'string' && (ALLOWED.has(cmd) || cmd.startsWith('plugin:event|'))) {
    return payload;
  }
  return { callback: payload && payload.callback, error: payload && payload.error, cmd: 'ipc_refused', payload: { cmd: String(cmd) } };
};
