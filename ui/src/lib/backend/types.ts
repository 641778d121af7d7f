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
  | 'io';

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
};

export const TOKEN_KINDS: readonly TokenKind[] = [
  'personal_access_token',
  'api_key',
  'oauth_client_secret',
  'webhook_secret',
  'deploy_key',
  'other',
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
];
