// Shapes that cross the IPC boundary, mirroring the Rust side (src-tauri/src/error.rs and
// tokenwarden-core's VaultStatus). No secret value ever appears in these types.

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
  keyring_slot: boolean;
  kdf: KdfParams | null;
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
