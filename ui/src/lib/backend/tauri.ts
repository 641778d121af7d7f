// The real backend: calls the Rust commands over Tauri IPC and turns their `{ code, message }`
// errors into BackendError. The only module (with its tests) that imports @tauri-apps/*.
import { invoke } from '@tauri-apps/api/core';
import type { Backend } from './index';
import { BackendError, type ErrorCode, type VaultStatus } from './types';

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'internal',
  'wrong_password',
  'locked',
  'not_found',
  'invalid_input',
  'already_exists',
  'corrupt',
  'keyring_unavailable',
  'io',
]);

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

/** Maps whatever `invoke` rejected with to a BackendError; unknown shapes become `internal`. */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (isErrorCode(code) && typeof message === 'string') return new BackendError(code, message);
  }
  const text = error instanceof Error ? error.message : String(error);
  return new BackendError('internal', `Unexpected error from the app: ${text}`);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}

export class TauriBackend implements Backend {
  vaultStatus(): Promise<VaultStatus> {
    return call<VaultStatus>('vault_status');
  }
}
