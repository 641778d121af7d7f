// Shapes that cross the IPC boundary. Field names are snake_case because Rust serializes them
// that way. No secret value appears in these types except the explicit results of reveal/add input.

// The shapes Rust declares come from the declarations generated from the Rust types (generated.ts,
// kept current by a Rust test); only what the UI narrows or adds is written here.
export type {
  AlertView,
  ApiOps,
  ColumnMap,
  Confidence,
  Consumer,
  CopyResult,
  Detection,
  DueNotice,
  ErrorCode,
  ExpiryDiff,
  ExportFormat,
  ExportRequest,
  ExportResult,
  FindingKind,
  FindingView,
  Fix,
  HealthSummary,
  ImportField,
  ImportFormat,
  ImportPreview,
  ImportProgress,
  ImportRequest,
  ImportSummary,
  KdfParams,
  MemoryReleased,
  MonitorStatus,
  OnDuplicate,
  OpenToken,
  PickedFile,
  PlannedAction,
  PreviewRow,
  ProviderApiUrl,
  ProviderPage,
  RevokeHow,
  RevokeOutcome,
  Rotation,
  RotationAction,
  RotationMethod,
  RotationStep,
  ScanApplied,
  ScanApplyRequest,
  ScanCounts,
  ScanFinding,
  ScanGroup,
  ScanProgress,
  ScanRequest,
  ScanResults,
  Settings,
  Severity,
  TokenDetail,
  TokenKind,
  TokenRow,
  TokenRowWire,
  TokenStatus,
  TokenView,
  Usage,
} from './generated';
import type {
  ApiOps,
  ErrorCode,
  ExpiryDiff,
  ImportField,
  ImportFormat,
  KdfParams,
  Settings,
  TokenKind,
  TokenRow,
  TokenView,
} from './generated';
import type * as Generated from './generated';

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

/** What can be known about a vault without unlocking it. */
export interface VaultStatus {
  dir: string;
  exists: boolean;
  locked: boolean;
  keyring_slot: boolean;
  kdf: KdfParams | null;
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

/** One entry of the vault's append-only audit chain. */
export interface AuditEvent {
  seq: number;
  at: string;
  kind: string;
  token_id: string | null;
  detail: unknown;
}

export type Theme = 'system' | 'light' | 'dark';

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  auto_lock_secs: 300,
  clipboard_clear_secs: 20,
  warn_days: 30,
  urgent_days: 7,
  theme: 'system',
  reminder_days: [30, 7, 1],
  lock_on_close: true,
  lock_on_screen_lock: true,
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

export interface ProviderUrls {
  create: string | null;
  manage: string | null;
  rotate: string | null;
  revoke: string | null;
  docs: string | null;
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

/** The list's lean row of a whole token (after an edit, a rotation or an archive in the UI). */
export function rowOf(token: TokenView): TokenRow {
  return {
    id: token.id,
    name: token.name,
    provider: token.provider,
    provider_name: token.provider_name,
    hint: token.hint,
    account: token.account,
    environment: token.environment,
    tags: token.tags,
    notes: token.notes,
    created_at: token.created_at,
    expires_at: token.expires_at,
    status: token.status,
  };
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
  Check<Fits<Generated.AppVaultStatus, VaultStatus>>,
  Check<Fits<TokenInput, Generated.TokenInput>>,
  Check<Fits<Generated.ProviderView, ProviderView>>,
  Check<Fits<Generated.VerifyOutcome, VerifyReport>>,
];
