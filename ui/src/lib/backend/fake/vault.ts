// The fake's vault: whether it exists, creating it, unlocking (password or keyring) and locking.
// Same refusals as the Rust side (wrong password, no vault); it never stores anything on disk.
import { BackendError, type VaultStatus } from '../types';
import type { FakeState } from './state';

export function vaultStatus(s: FakeState): Promise<VaultStatus> {
  return s.run('vaultStatus', [], () => structuredClone(s.status));
}

export function createVault(s: FakeState, password: string, useKeyring: boolean): Promise<void> {
  return s.run('createVault', [password, useKeyring], () => {
    if (s.status.exists) throw new BackendError('already_exists', 'A vault already exists.');
    if (password.length < 8) {
      throw new BackendError('invalid_input', 'The password must be at least 8 characters.');
    }
    s.password = password;
    s.status = {
      ...s.status,
      exists: true,
      locked: false,
      keyring_slot: useKeyring,
      kdf: { memory_kib: 65536, iterations: 3, parallelism: 4 },
    };
    s.audit('vault_created', null, {});
  });
}

export function unlock(s: FakeState, password: string): Promise<void> {
  return s.run('unlock', [password], () => {
    s.requireExists();
    if (password !== s.password) {
      throw new BackendError('wrong_password', 'That password does not open this vault.');
    }
    s.status.locked = false;
  });
}

export function unlockWithKeyring(s: FakeState): Promise<void> {
  return s.run('unlockWithKeyring', [], () => {
    s.requireExists();
    if (!s.status.keyring_slot) {
      throw new BackendError('keyring_unavailable', 'Keyring unlock is not set up.');
    }
    s.status.locked = false;
  });
}

export function rekeyVault(s: FakeState, password: string): Promise<void> {
  return s.run('rekeyVault', [password], () => {
    s.requireUnlocked();
    if (password !== s.password) {
      throw new BackendError('wrong_password', 'That password does not open this vault.');
    }
    s.audit('vault_rekeyed', null, { secrets: s.tokens.size });
  });
}

export function lock(s: FakeState): Promise<void> {
  return s.run('lock', [], () => {
    s.lockNow();
  });
}
