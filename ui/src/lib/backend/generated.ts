// Generated from the Rust IPC types by src-tauri/tests/bindings.rs — do not edit.
// After changing those types, run `make bindings`.

export type ErrorCode = "internal" | "wrong_password" | "locked" | "not_found" | "invalid_input" | "already_exists" | "corrupt" | "keyring_unavailable" | "io" | "passphrase_needed";

export type IpcError = { code: ErrorCode, message: string, };

export type KdfParams = { memory_kib: number, iterations: number, parallelism: number, };

export type VaultStatus = { dir: string, exists: boolean, vault_id: string | null, created_at: string | null, keyring_slot: boolean, kdf: KdfParams | null, };

export type AppVaultStatus = { locked: boolean, dir: string, exists: boolean, vault_id: string | null, created_at: string | null, keyring_slot: boolean, kdf: KdfParams | null, };

export type TokenKind = "personal_access_token" | "api_key" | "oauth_client_secret" | "webhook_secret" | "deploy_key" | "other";

export type TokenStatus = "active" | "rotating" | "revoked" | "expired" | "archived";

export type TokenView = { id: string, name: string, provider: string, kind: TokenKind, hint: string, account: string | null, environment: string | null, scopes: Array<string>, tags: Array<string>, notes: string | null, url: string | null, created_at: string, updated_at: string, expires_at: string | null, 
/**
 * Effective status: an active token past its expiry is `expired`.
 */
status: TokenStatus, rotation_max_age_days: number | null, };

export type TokenInput = { name: string, provider: string, kind: string, 
/**
 * Required when adding; `None` when editing keeps the current secret.
 */
secret: string | null, expires_at: string | null, account: string | null, environment: string | null, scopes: Array<string>, tags: Array<string>, notes: string | null, url: string | null, };

export type Usage = { id: string, token_id: string, 
/**
 * `ci_secret`, `server_env`, `env_file`, `config_file`, `app` or `other`.
 */
kind: string, location: string, notes: string | null, created_at: string, last_confirmed_at: string | null, };

export type Event = { seq: number, at: string, kind: string, token_id: string | null, detail: unknown, };

export type TokenDetail = { token: TokenView, usages: Array<Usage>, history: Array<Event>, };

export type CopyResult = { clear_after_secs: number, };

export type Settings = { 
/**
 * Lock after this many seconds without input.
 */
auto_lock_secs: number, 
/**
 * Clear a copied secret from the clipboard after this many seconds.
 */
clipboard_clear_secs: number, 
/**
 * A token is "warning" at or under this many days left.
 */
warn_days: number, 
/**
 * A token is "urgent" at or under this many days left.
 */
urgent_days: number, 
/**
 * `system`, `light` or `dark`.
 */
theme: "system" | "light" | "dark", 
/**
 * Remind this many whole days before a token expires (besides at expiry); a token may
 * override it. Each 1..=365, at most ten.
 */
reminder_days: Array<number>, };

export type ImportFormat = "backup" | "json" | "csv" | "env" | "keepassxc-xml" | "keepassxc-csv" | "bitwarden-json" | "1pux" | "1password-csv" | "gitleaks" | "trufflehog";

export type ExportFormat = "backup" | "json" | "csv" | "keepassxc-xml";

export type OnDuplicate = "skip" | "update" | "import";

export type ImportField = "name" | "secret" | "provider" | "kind" | "url" | "account" | "environment" | "expires" | "scopes" | "tags" | "notes" | "purpose" | "ignore";

export type ColumnMap = { header: string, field: ImportField, };

export type PlannedAction = "create" | "update" | "skip";

export type PreviewRow = { 
/**
 * Where in the file: "line 12", "record 3".
 */
at: string, name: string, provider: string, 
/**
 * The provider was recognised from the secret rather than named by the file.
 */
provider_detected: boolean, kind: string, hint: string, expires_at: string | null, action: PlannedAction, 
/**
 * The existing token (id) or earlier row ("line 4") with the same secret.
 */
duplicate_of: string | null, usages: number, problems: Array<string>, };

export type ImportSummary = { format: string, created: number, updated: number, skipped: number, usages: number, events: number, errors: number, };

export type ImportRequest = { path: string, 
/**
 * `null` detects the format from the file's contents.
 */
format: ImportFormat | null, passphrase: string | null, on_duplicate: OnDuplicate, 
/**
 * CSV columns mapped by hand; the rest are mapped by their headers.
 */
columns: Array<ColumnMap>, };

export type ImportPreview = { file: string, format: ImportFormat, rows: Array<PreviewRow>, columns: Array<ColumnMap>, summary: ImportSummary, };

export type ImportProgress = { done: number, total: number, };

export type ExportRequest = { path: string, format: ExportFormat, include_secrets: boolean, passphrase: string | null, armor: boolean, overwrite: boolean, };

export type ExportResult = { path: string, tokens: number, with_secrets: boolean, };

export type OpenToken = { id: string, 
/**
 * The user chose "Rotate now": start the rotation flow (once it exists) rather than the detail.
 */
rotate: boolean, };

export type DueNotice = { title: string, body: string, urgency: "low" | "normal" | "critical", token_id: string | null, };
