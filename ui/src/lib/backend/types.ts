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
  | 'passphrase_needed'
  | ProviderErrorCode;

/** Codes for talking to a provider (verify, rotate, revoke). */
export type ProviderErrorCode =
  | 'provider_offline'
  | 'provider_timeout'
  | 'provider_unauthorized'
  | 'provider_forbidden'
  | 'provider_rate_limited'
  | 'provider_error'
  | 'provider_bad_response'
  | 'insecure_url'
  | 'unsupported';

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
  /** When the provider was last asked about this token. */
  last_verified_at: string | null;
  /** What it said then (`valid`, `invalid`, …). */
  last_verified_result: string | null;
  /** When the provider says the token was last used. */
  last_used_at: string | null;
  revoked_at: string | null;
  /** `api`, `confirmed`, `report_leak`, … */
  revoke_method: string | null;
  /** The token that took over from this one in a rotation. */
  replaced_by: string | null;
  /** The token this one replaced in a rotation. */
  replaces: string | null;
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
  | 'trufflehog'
  // Tokens the CLI's scan found on disk: recorded as an import's source, never picked in the UI.
  | 'scan';

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

/**
 * A file the user chose in the native dialog (opened by Rust): an opaque handle for the later
 * commands and the file's name to show. The UI never sees or sends a path.
 */
export interface PickedFile {
  handle: string;
  name: string;
}

export interface ImportRequest {
  /** From importPick. */
  handle: string;
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
  /**
   * Made while the vault was locked (it then names a token only with keyring unlock on). The
   * lock screen drops notices made while unlocked.
   */
  while_locked: boolean;
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
  /** From exportPick. */
  handle: string;
  format: ExportFormat;
  include_secrets: boolean;
  passphrase: string | null;
  /** The vault password again; required when the file holds secrets in the clear. */
  password: string | null;
  armor: boolean;
  overwrite: boolean;
}

export interface ExportResult {
  /** The file's name (not its path). */
  name: string;
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

// ---------------------------------------------------------------------------------------------
// Providers: detection from a secret, the catalog, live checks, rotation and revocation. The
// secret goes in (detectSecret, a rotation's store_secret) and never comes back out.

export type Confidence = 'low' | 'medium' | 'high';

/** What a secret looks like it is, from its shape alone (no network). */
export interface Detection {
  provider: string;
  provider_name: string;
  kind: string;
  kind_label: string;
  token_kind: TokenKind;
  confidence: Confidence;
  checksum_verified: boolean;
  default_lifetime_days: number | null;
  manage_url: string | null;
}

export interface ProviderUrls {
  create: string | null;
  manage: string | null;
  rotate: string | null;
  revoke: string | null;
  docs: string | null;
}

/** What the provider's API lets Tokenwarden do. */
export interface ApiOps {
  verify: boolean;
  last_used: boolean;
  rotate: boolean;
  revoke: boolean;
}

export interface ProviderKind {
  id: string;
  label: string;
  token_kind: string;
  default_lifetime_days: number | null;
  max_lifetime_days: number | null;
}

export interface ProviderInfo {
  id: string;
  name: string;
  sources: string[];
  urls: ProviderUrls;
  api_base: string | null;
  api: ApiOps;
  /** What a check does at the provider, in words (shown before the first one). */
  verify_effect: string | null;
  rotation_steps: string[];
  revocation_steps: string[];
  dangerous_scopes: string[];
  kinds: ProviderKind[];
}

export interface ProviderView {
  info: ProviderInfo;
  /** false until the first check at this provider: the UI must show info.verify_effect and ask before verifying */
  checked_before: boolean;
  /** the base URL checks will use (after setting/env overrides) */
  api_base: string | null;
}

export type ProviderPage = 'create' | 'manage' | 'rotate' | 'revoke' | 'docs';

/** Where checks, rotations and revocations for one provider go; the first set of url, env_url, default_url wins. */
export interface ProviderApiUrl {
  provider: string;
  name: string;
  /** The provider's real API address. */
  default_url: string;
  /** The vault's setting (a self-hosted GitLab, say); wins over everything. Stored normalised (`https://host/`). */
  url: string | null;
  /** `TOKENWARDEN_API_<PROVIDER>` from the environment, when set; wins over the default. */
  env_url: string | null;
}

export interface ExpiryDiff {
  ours: string | null;
  provider: string | null;
}

export interface VerifyReport {
  token: TokenView;
  valid: boolean;
  owner: string | null;
  scopes: string[] | null;
  dangerous_scopes: string[];
  expires_at: string | null;
  last_used_at: string | null;
  detail: string | null;
  /** set when the provider's expiry differs from what the vault had (the vault now holds the provider's) */
  expiry_differs: ExpiryDiff | null;
  checked_at: string;
}

export type RotationMethod = 'guided' | 'api';

export type RotationStep =
  | 'started'
  | 'new_stored'
  | 'verified'
  | 'consumers_updated'
  | 'promoted'
  | 'old_revoked'
  | 'old_manual'
  | 'done'
  | 'aborted';

/** A place the token is used, to update during a rotation. */
export interface Consumer {
  usage_id: string;
  kind: string;
  location: string;
  done: boolean;
}

export interface Rotation {
  id: string;
  token_id: string;
  token_name: string;
  provider: string;
  method: RotationMethod;
  step: RotationStep;
  new_token_id: string | null;
  new_hint: string | null;
  new_expires_at: string | null;
  verified_by: 'provider' | 'user' | null;
  /** true when the provider invalidated the old token itself while issuing the new one (GitLab/Cloudflare API rotation) */
  old_invalidated: boolean;
  consumers: Consumer[];
  revoke_method: string | null;
  started_at: string;
  updated_at: string;
}

/** One move of a rotation; each is refused (`invalid_input`) at any other step than noted. */
export type RotationAction =
  /** started → new_stored (guided: the user pasted the new token) */
  | { action: 'store_secret'; secret: string; expires_at: string | null }
  /** started → new_stored (the provider issues the new token) */
  | { action: 'api_rotate'; expires_at: string | null }
  /** new_stored → verified: checks the NEW secret at the provider; a refusal rejects with `invalid_input` */
  | { action: 'verify' }
  /** new_stored → verified, for providers with no verify API (the user vouches) */
  | { action: 'confirm_works' }
  /** at verified: tick a consumer */
  | { action: 'tick'; usage_id: string; done: boolean }
  /** verified → consumers_updated (rejects unless all ticked) */
  | { action: 'consumers_done' }
  /** consumers_updated → promoted (new token active, old 'rotating') */
  | { action: 'promote' }
  /** promoted → old_revoked ('api' or 'confirmed') or old_manual ('later') */
  | { action: 'revoke_old'; how: RevokeHow }
  /** old_revoked/old_manual → done */
  | { action: 'finish' }
  /** any step before promoted → aborted (new secret discarded, old untouched) */
  | { action: 'abort' };

/** report_leak: GitHub's credential-revocation API for a leaked token. */
export type RevokeHow = 'api' | 'confirmed' | 'later' | 'report_leak';

export interface RevokeOutcome {
  token_id: string;
  name: string;
  provider: string;
  outcome: 'revoked' | 'needs_manual' | 'failed';
  method: string | null;
  error: { code: string; message: string } | null;
  /** after revoking, the token was checked again: true = the provider now refuses it */
  reverified: boolean | null;
}

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
  Check<Fits<Generated.PickedFile, PickedFile>>,
  Check<Fits<Generated.DueNotice, DueNotice>>,
  Check<Fits<Generated.OpenToken, OpenToken>>,
  Check<Fits<Generated.Detection, Detection>>,
  Check<Fits<Generated.ProviderView, ProviderView>>,
  Check<Fits<ProviderPage, Generated.ProviderPage>>,
  Check<Fits<Generated.ProviderApiUrl, ProviderApiUrl>>,
  Check<Fits<Generated.VerifyOutcome, VerifyReport>>,
  Check<Fits<Generated.Rotation, Rotation>>,
  Check<Fits<RotationMethod, Generated.RotationMethod>>,
  Check<Fits<Generated.RotationStep, RotationStep>>,
  Check<Fits<RotationAction, Generated.RotationAction>>,
  Check<Fits<RevokeHow, Generated.RevokeHow>>,
  Check<Fits<Generated.RevokeOutcome, RevokeOutcome>>,
];
