// Generated from the Rust IPC types by src-tauri/tests/bindings.rs — do not edit.
// After changing those types, run `make bindings`.

export type ErrorCode = "internal" | "wrong_password" | "locked" | "not_found" | "invalid_input" | "already_exists" | "corrupt" | "keyring_unavailable" | "io" | "passphrase_needed" | "provider_offline" | "provider_timeout" | "provider_unauthorized" | "provider_forbidden" | "provider_rate_limited" | "provider_error" | "provider_bad_response" | "insecure_url" | "unsupported";

export type IpcError = { code: ErrorCode, message: string, };

export type KdfParams = { memory_kib: number, iterations: number, parallelism: number, };

export type VaultStatus = { dir: string, exists: boolean, vault_id: string | null, created_at: string | null, keyring_slot: boolean, kdf: KdfParams | null, };

export type AppVaultStatus = { locked: boolean, dir: string, exists: boolean, vault_id: string | null, created_at: string | null, keyring_slot: boolean, kdf: KdfParams | null, };

export type TokenKind = "personal_access_token" | "api_key" | "oauth_client_secret" | "webhook_secret" | "deploy_key" | "other";

export type TokenStatus = "active" | "rotating" | "revoked" | "expired" | "archived";

export type TokenView = { id: string, name: string, provider: string, 
/**
 * The provider as the catalog spells it ("Hugging Face"), for every place a person reads it.
 */
provider_name: string, kind: TokenKind, hint: string, account: string | null, environment: string | null, scopes: Array<string>, tags: Array<string>, notes: string | null, url: string | null, created_at: string, updated_at: string, expires_at: string | null, 
/**
 * Effective status: an active token past its expiry is `expired`.
 */
status: TokenStatus, rotation_max_age_days: number | null, last_verified_at: string | null, 
/**
 * `valid` or `invalid`, as the provider said at the last check.
 */
last_verified_result: string | null, last_used_at: string | null, revoked_at: string | null, 
/**
 * `api`, `confirmed`, `provider_rotation` or `report_leak`.
 */
revoke_method: string | null, 
/**
 * The token that replaced this one in a rotation, and the one this one replaced.
 */
replaced_by: string | null, replaces: string | null, };

export type TokenRow = { id: string, name: string, provider: string, 
/**
 * The provider as the catalog spells it ("Hugging Face").
 */
provider_name: string, hint: string, account: string | null, environment: string | null, tags: Array<string>, 
/**
 * Searched in, so it comes along.
 */
notes: string | null, created_at: string, expires_at: string | null, 
/**
 * Effective status: an active token past its expiry is `expired`.
 */
status: TokenStatus, };

export type TokenRowWire = [string, string, string, string, string, string | null, string | null, Array<string>, string | null, string, string | null, TokenStatus];

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

export type TokenDetail = { token: TokenView, usages: Array<Usage>, history: Array<Event>, 
/**
 * The token's own days-before-expiry reminders, largest first; null when it follows the vault's.
 */
reminder_days: Array<number> | null, 
/**
 * Whether the monitor checks this token at its provider (on unless turned off for it).
 */
monitored: boolean, };

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
reminder_days: Array<number>, 
/**
 * Lock the vault when its window is closed; when off, the window process stays in the background
 * with the vault open until it locks by itself (auto-lock, the tray's Lock, the screen locking).
 */
lock_on_close: boolean, 
/**
 * Lock the vault when the desktop's screen locks (the screensaver or logind says so).
 */
lock_on_screen_lock: boolean, };

export type ImportFormat = "backup" | "json" | "csv" | "env" | "keepassxc-xml" | "keepassxc-csv" | "bitwarden-json" | "1pux" | "1password-csv" | "gitleaks" | "trufflehog" | "scan";

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
 * The provider as the catalog spells it ("Hugging Face").
 */
provider_name: string, 
/**
 * The provider was recognised from the secret rather than named by the file.
 */
provider_detected: boolean, kind: string, hint: string, expires_at: string | null, action: PlannedAction, 
/**
 * The existing token (id) or earlier row ("line 4") with the same secret.
 */
duplicate_of: string | null, usages: number, problems: Array<string>, };

export type ImportSummary = { format: string, created: number, updated: number, skipped: number, usages: number, events: number, errors: number, };

export type ImportRequest = { 
/**
 * The handle `import_pick` gave for the file the user chose; never a path.
 */
handle: string, 
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

export type ExportRequest = { 
/**
 * The handle `export_pick` gave for where the user chose to save; never a path.
 */
handle: string, format: ExportFormat, include_secrets: boolean, passphrase: string | null, 
/**
 * The vault password again, required for an export with secrets in the clear.
 */
password: string | null, armor: boolean, overwrite: boolean, };

export type ExportResult = { 
/**
 * The file's name (not its path).
 */
name: string, tokens: number, with_secrets: boolean, };

export type PickedFile = { handle: string, name: string, };

export type OpenToken = { id: string, 
/**
 * The user chose "Rotate now": start the rotation flow (once it exists) rather than the detail.
 */
rotate: boolean, };

export type MemoryReleased = { resident_before_kib: number, resident_after_kib: number, };

export type DueNotice = { title: string, body: string, urgency: "low" | "normal" | "critical", token_id: string | null, 
/**
 * Made while the vault was locked, so it names a token only where the reminder index could
 * be opened without the vault (keyring on). The UI drops a notice made while unlocked that
 * arrives after it locked: it may name a token the lock screen must not show.
 */
while_locked: boolean, };

export type Confidence = "low" | "medium" | "high";

export type Detection = { provider: string, provider_name: string, kind: string, kind_label: string, 
/**
 * One of the vault's token kinds (`TokenKind` in the app's generated TypeScript).
 */
token_kind: TokenKind, confidence: Confidence, 
/**
 * The format carries a checksum and it is correct (GitHub's `ghp_`…). False for formats without one.
 */
checksum_verified: boolean, default_lifetime_days: number | null, manage_url: string | null, };

export type Urls = { create: string | null, manage: string | null, rotate: string | null, revoke: string | null, docs: string | null, };

export type ApiOps = { verify: boolean, last_used: boolean, rotate: boolean, revoke: boolean, };

export type KindSpec = { id: string, label: string, 
/**
 * One of [`TOKEN_KINDS`] (the app's generated TypeScript names that union `TokenKind`).
 */
token_kind: TokenKind, default_lifetime_days: number | null, max_lifetime_days: number | null, };

export type Provider = { id: string, name: string, 
/**
 * Public pages the formats and steps were checked against (provider docs, secret-scanning rules).
 */
sources: Array<string>, urls: Urls, 
/**
 * Default base URL our adapters call; present exactly when some API operation is implemented.
 */
api_base: string | null, api: ApiOps, 
/**
 * What a check does at the provider, shown before the first check. Present exactly when `api.verify`.
 */
verify_effect: string | null, rotation_steps: Array<string>, revocation_steps: Array<string>, 
/**
 * Scopes worth a warning. An entry ending in `*` matches every scope with that prefix, so `"*"`
 * alone marks every scope dangerous: used where a token has no scopes and is always full access (Stripe).
 */
dangerous_scopes: Array<string>, kinds: Array<KindSpec>, };

export type ProviderView = { info: Provider, 
/**
 * False until the first check at this provider: the UI shows `info.verify_effect` and asks first.
 */
checked_before: boolean, 
/**
 * Where checks go, after the setting and environment overrides.
 */
api_base: string | null, };

export type ProviderPage = "create" | "manage" | "rotate" | "revoke" | "docs";

export type ExpiryDiff = { ours: string | null, provider: string | null, };

export type VerifyReport = { token_id: string, valid: boolean, owner: string | null, scopes: Array<string> | null, 
/**
 * The scopes the provider's catalog entry calls dangerous that this token holds.
 */
dangerous_scopes: Array<string>, expires_at: string | null, last_used_at: string | null, detail: string | null, 
/**
 * Set when the provider's expiry differs from the vault's; the vault now holds the provider's.
 */
expiry_differs: ExpiryDiff | null, checked_at: string, };

export type VerifyOutcome = { token: TokenView, token_id: string, valid: boolean, owner: string | null, scopes: Array<string> | null, 
/**
 * The scopes the provider's catalog entry calls dangerous that this token holds.
 */
dangerous_scopes: Array<string>, expires_at: string | null, last_used_at: string | null, detail: string | null, 
/**
 * Set when the provider's expiry differs from the vault's; the vault now holds the provider's.
 */
expiry_differs: ExpiryDiff | null, checked_at: string, };

export type RotationMethod = "guided" | "api";

export type RotationStep = "started" | "new_stored" | "verified" | "consumers_updated" | "promoted" | "old_revoked" | "old_manual" | "done" | "aborted";

export type Consumer = { usage_id: string, kind: string, location: string, done: boolean, };

export type Rotation = { id: string, token_id: string, token_name: string, provider: string, method: RotationMethod, step: RotationStep, 
/**
 * The token row the new secret became at promotion.
 */
new_token_id: string | null, new_hint: string | null, new_expires_at: string | null, 
/**
 * `provider` when the provider accepted the new secret, `user` when the person vouched for it.
 */
verified_by: "provider" | "user" | null, 
/**
 * An API rotation was asked of the provider but its answer was never stored (the process
 * died mid-call). The old token may no longer work; the person must check at the provider.
 */
api_requested_at: string | null, 
/**
 * The provider invalidated the old secret itself when it issued the new one (GitLab, Cloudflare).
 */
old_invalidated: boolean, consumers: Array<Consumer>, revoke_method: string | null, started_at: string, updated_at: string, finished_at: string | null, };

export type RotationAction = { "action": "store_secret", secret: string, expires_at: string | null, } | { "action": "api_rotate", expires_at: string | null, } | { "action": "verify" } | { "action": "confirm_works" } | { "action": "tick", usage_id: string, done: boolean, } | { "action": "consumers_done" } | { "action": "promote" } | { "action": "revoke_old", how: RevokeHow, } | { "action": "finish" } | { "action": "abort" };

export type RevokeHow = "api" | "confirmed" | "later" | "report_leak";

export type Outcome = "revoked" | "needs_manual" | "failed";

export type OutcomeError = { code: ErrorCode, message: string, };

export type RevokeOutcome = { token_id: string, name: string, provider: string, outcome: Outcome, method: string | null, error: OutcomeError | null, 
/**
 * After revoking, the token was checked again: `true` means the provider now refuses it.
 */
reverified: boolean | null, };

export type ProviderApiUrl = { provider: string, name: string, 
/**
 * The provider's real API address.
 */
default_url: string, 
/**
 * The vault's setting (a self-hosted GitLab, say); wins over everything.
 */
url: string | null, 
/**
 * `TOKENWARDEN_API_<PROVIDER>` from the environment, when set; wins over the default.
 */
env_url: string | null, };

export type AlertView = { id: string, token_id: string, token_name: string, 
/**
 * drift | died | still_in_use | unusual_use
 */
kind: string, 
/**
 * high | medium | low
 */
severity: string, 
/**
 * What was seen, in words.
 */
evidence: string, 
/**
 * RFC 3339, UTC.
 */
raised_at: string, };

export type MonitorStatus = { enabled: boolean, 
/**
 * The last pass that checked something.
 */
last_run: string | null, 
/**
 * When the next check falls due (none while the monitor is off or nothing can be checked).
 */
next_check: string | null, checked_last_run: number, open_alerts: number, };

export type ScanGroup = "dead" | "unknown" | "known" | "possible";

export type ScanFinding = { 
/**
 * Stable within its report: what a selection names.
 */
id: number, group: ScanGroup, 
/**
 * The provider's id (the vault token's for known and dead ones, else the detection's).
 */
provider: string | null, 
/**
 * The provider's name as the catalog spells it.
 */
provider_name: string | null, 
/**
 * The detected format's kind id and its label (`personal access token`).
 */
kind: string | null, kind_label: string | null, hint: string, path: string, line: number, column: number, 
/**
 * What read it: `text`, or the credential file's format (`npmrc`, …).
 */
source: string, token_id: string | null, token_name: string | null, token_status: string | null, };

export type ScanRequest = { home: boolean, folders: Array<string>, };

export type ScanProgress = { files: number, bytes: number, elapsed_ms: number, };

export type ScanCounts = { files: number, bytes: number, skipped_binary: number, skipped_large: number, unreadable: number, placeholders: number, elapsed_ms: number, };

export type ScanResults = { findings: Array<ScanFinding>, counts: ScanCounts, cancelled: boolean, };

export type ScanApplyRequest = { link: Array<number>, import: Array<number>, };

export type ScanApplied = { 
/**
 * New usages recorded on known tokens (copies already recorded are not counted).
 */
linked: number, 
/**
 * Tokens added to the vault.
 */
imported: number, };

export type Severity = "high" | "medium" | "low";

export type FindingKind = "expired_but_active" | "expires_soon" | "no_expiry" | "rotation_overdue" | "over_privileged" | "unused" | "orphaned" | "never_checked" | "check_stale" | "last_check_invalid" | "duplicate_secret" | "review_due";

export type Fix = "rotate" | "revoke" | "set_expiry" | "verify_now" | "add_usage" | "mark_reviewed";

export type FindingView = { kind: FindingKind, severity: Severity, token_id: string, token_name: string, 
/**
 * The provider's catalog id (the UI shows the catalog's name).
 */
provider: string, 
/**
 * The evidence in words ("expired 3 days ago and still marked active").
 */
evidence: string, fix: Fix, };

export type HealthSummary = { high: number, medium: number, low: number, };
