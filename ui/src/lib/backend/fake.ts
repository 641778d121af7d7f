// An in-memory Backend for tests and previews: no IPC, no disk. Set `status` or `error`
// to drive the UI into each state.
import type { Backend } from './index';
import { BackendError, type VaultStatus } from './types';

export const FAKE_VAULT_DIR = '/home/test/.local/share/tokenwarden';

export class FakeBackend implements Backend {
  status: VaultStatus;
  error: BackendError | null = null;
  calls = 0;

  constructor(status: Partial<VaultStatus> = {}) {
    this.status = { dir: FAKE_VAULT_DIR, exists: false, keyring_slot: false, kdf: null, ...status };
  }

  vaultStatus(): Promise<VaultStatus> {
    this.calls += 1;
    if (this.error) return Promise.reject(this.error);
    return Promise.resolve(structuredClone(this.status));
  }
}
