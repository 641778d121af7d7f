// Shapes that cross the IPC boundary, mirroring the Rust side (src-tauri/src/error.rs and
// tokenwarden-core's types). Field names are snake_case because Rust serializes them that way.
// No secret value appears in these types except the explicit results of reveal/add input.

import type * as Generated from './generated';

/** Stable error codes from tokenwarden-core's `ErrorCode`; the UI branches on these, never on text. */
export type ErrorCode =
  | 'internal'
  | 'wrong_password'
  | 'locked'
  | 'not_found'
  | 'invalid_input'
  | 'already_exists'
  | 'corrupt'
  | 'keyring_unavailable'
  | 'io'
  | 'passphrase_needed';

/** Argon2id cost stored in the vault's password slot. */
export interface KdfParams {
  memory_kib: number;
  iterations: number;
  parallelism: number;
}

/** What can be known about a vault without unlocking it. */
export interface VaultStatus {
  dir: string;
  exists: boolean;
  locked: boolean;
  keyring_slot: boolean;
  kdf: KdfParams | null;
}

export type TokenKind =
  | 'personal_access_token'
  | 'api_key'
  | 'oauth_client_secret'
  | 'webhook_secret'
  | 'deploy_key'
  | 'other';

export type TokenStatus = 'active' | 'rotating' | 'revoked' | 'expired' | 'archived';

/** A token as the UI sees it: metadata and a masked hint, never the secret. */
export interface TokenView {
  id: string;
  name: string;
  provider: string;
  kind: TokenKind;
  hint: string;
  account: string | null;
  environment: string | null;
  scopes: string[];
  tags: string[];
  notes: string | null;
  url: string | null;
  created_at: string;
  updated_at: string;
  /** RFC 3339, UTC; null when the token never expires. */
  expires_at: string | null;
  status: TokenStatus;
  rotation_max_age_days: number | null;
}

/** What the add/edit form sends. `secret: null` on update keeps the stored secret. */
export interface TokenInput {
  name: string;
  provider: string;
  kind: TokenKind;
  secret: string | null;
  expires_at: string | null;
  account: string | null;
  environment: string | null;
  scopes: string[];
  tags: string[];
  notes: string | null;
  url: string | null;
}

/** Where a token is used (a CI secret, a .env file, …). */
export interface Usage {
  id: string;
  token_id: string;
  kind: string;
  location: string;
  notes: string | null;
  created_at: string;
  last_confirmed_at: string | null;
}

/** One entry of the vault's append-only audit chain. */
export interface AuditEvent {
  seq: number;
  at: string;
  kind: string;
  token_id: string | null;
  detail: unknown;
}

export interface TokenDetail {
  token: TokenView;
  usages: Usage[];
  history: AuditEvent[];
}

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  auto_lock_secs: number;
  clipboard_clear_secs: number;
  warn_days: number;
  urgent_days: number;
  theme: Theme;
  /** Remind this many whole days before a token expires (besides at expiry); each 1..=365, at most ten. */
  reminder_days: number[];
}

export interface CopyResult {
  clear_after_secs: number;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  auto_lock_secs: 300,
  clipboard_clear_secs: 20,
  warn_days: 30,
  urgent_days: 7,
  theme: 'system',
  reminder_days: [30, 7, 1],
};

export const TOKEN_KINDS: readonly TokenKind[] = [
  'personal_access_token',
  'api_key',
  'oauth_client_secret',
  'webhook_secret',
  'deploy_key',
  'other',
];

// ---------------------------------------------------------------------------------------------
// Import and export. The Rust side parses the file and keeps the plan; the UI only sees previews
// (metadata and masked hints), counts and paths, never a secret read from a file.

export type ImportFormat =
  | 'backup'
  | 'json'
  | 'csv'
  | 'env'
  | 'keepassxc-xml'
  | 'keepassxc-csv'
  | 'bitwarden-json'
  | '1pux'
  | '1password-csv'
  | 'gitleaks'
  | 'trufflehog';

export type ExportFormat = 'backup' | 'json' | 'csv' | 'keepassxc-xml';

/** What to do with a row that matches a token already in the vault. */
export type OnDuplicate = 'skip' | 'update' | 'import';

/** The token field a CSV column feeds; `ignore` drops the column. */
export type ImportField =
  | 'name'
  | 'secret'
  | 'provider'
  | 'kind'
  | 'url'
  | 'account'
  | 'environment'
  | 'expires'
  | 'scopes'
  | 'tags'
  | 'notes'
  | 'purpose'
  | 'ignore';

export interface ColumnMap {
  header: string;
  field: ImportField;
}

export type PlannedAction = 'create' | 'update' | 'skip';

/** One row of an import plan: where it came from and what applying it would do. */
export interface PreviewRow {
  /** Where in the file, e.g. `line 12` or `entry 3`. */
  at: string;
  name: string;
  provider: string;
  /** True when the provider was recognised from the secret rather than read from the file. */
  provider_detected: boolean;
  kind: string;
  hint: string;
  expires_at: string | null;
  action: PlannedAction;
  /** The id of the existing token this row duplicates. */
  duplicate_of: string | null;
  usages: number;
  problems: string[];
}

export interface ImportSummary {
  format: string;
  created: number;
  updated: number;
  skipped: number;
  usages: number;
  events: number;
  errors: number;
}

export interface ImportRequest {
  path: string;
  /** null: detect the format from the file. */
  format: ImportFormat | null;
  passphrase: string | null;
  on_duplicate: OnDuplicate;
  /** CSV only: empty lets the Rust side guess the mapping from the headers. */
  columns: ColumnMap[];
}

export interface ImportPreview {
  file: string;
  format: ImportFormat;
  rows: PreviewRow[];
  /** The mapping used (CSV); empty for other formats. */
  columns: ColumnMap[];
  summary: ImportSummary;
}

/**
 * A reminder the Rust side could not show as an OS notification (no notification server), sent
 * with the `reminders-due` event for the window to show instead.
 */
export interface DueNotice {
  title: string;
  body: string;
  urgency: 'low' | 'normal' | 'critical';
  /** The token it is about; null for a summary of several. */
  token_id: string | null;
}

/** What the tray or a notification asked the window to show (`open-token`, `open_request_take`). */
export interface OpenToken {
  id: string;
  /** "Rotate now" was chosen: start the rotation flow (once it exists) rather than the detail. */
  rotate: boolean;
}

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ExportRequest {
  path: string;
  format: ExportFormat;
  include_secrets: boolean;
  passphrase: string | null;
  armor: boolean;
  overwrite: boolean;
}

export interface ExportResult {
  path: string;
  tokens: number;
  with_secrets: boolean;
}

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  'backup',
  'json',
  'csv',
  'env',
  'keepassxc-xml',
  'keepassxc-csv',
  'bitwarden-json',
  '1pux',
  '1password-csv',
  'gitleaks',
  'trufflehog',
];

export const IMPORT_FIELDS: readonly ImportField[] = [
  'name',
  'secret',
  'provider',
  'kind',
  'url',
  'account',
  'environment',
  'expires',
  'scopes',
  'tags',
  'notes',
  'purpose',
  'ignore',
];

/** Every backend failure, with the stable code and a message meant for people. */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// These hand-written shapes are checked against the declarations generated from the Rust types
// (generated.ts, kept current by a Rust test): what Rust sends must fit what the UI reads, and
// what the UI sends must fit what Rust accepts. A mismatch fails `npm run check`.
type Fits<A, B> = [A] extends [B] ? true : false;
type Check<T extends true> = T;
export type BindingChecks = [
  Check<Fits<Generated.ErrorCode, ErrorCode>>,
  Check<Fits<ErrorCode, Generated.ErrorCode>>,
  Check<Fits<Generated.AppVaultStatus, VaultStatus>>,
  Check<Fits<Generated.TokenKind, TokenKind>>,
  Check<Fits<Generated.TokenStatus, TokenStatus>>,
  Check<Fits<Generated.TokenView, TokenView>>,
  Check<Fits<Generated.TokenDetail, TokenDetail>>,
  Check<Fits<Generated.CopyResult, CopyResult>>,
  Check<Fits<Generated.Settings, Settings>>,
  Check<Fits<Settings, Generated.Settings>>,
  Check<Fits<TokenInput, Generated.TokenInput>>,
  Check<Fits<Generated.ImportFormat, ImportFormat>>,
  Check<Fits<ImportFormat, Generated.ImportFormat>>,
  Check<Fits<ExportFormat, Generated.ExportFormat>>,
  Check<Fits<ImportField, Generated.ImportField>>,
  Check<Fits<Generated.ImportField, ImportField>>,
  Check<Fits<Generated.ImportPreview, ImportPreview>>,
  Check<Fits<Generated.ImportSummary, ImportSummary>>,
  Check<Fits<Generated.ImportProgress, ImportProgress>>,
  Check<Fits<ImportRequest, Generated.ImportRequest>>,
  Check<Fits<ExportRequest, Generated.ExportRequest>>,
  Check<Fits<Generated.ExportResult, ExportResult>>,
  Check<Fits<Generated.DueNotice, DueNotice>>,
  Check<Fits<Generated.OpenToken, OpenToken>>,
];
