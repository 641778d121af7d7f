// Contract of the Tauri backend: which command it invokes and how IPC errors are mapped.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { TauriBackend, toBackendError } from './tauri';
import { BackendError, type VaultStatus } from './types';

const STATUS: VaultStatus = {
  dir: '/tmp/vault',
  exists: true,
  keyring_slot: false,
  kdf: { memory_kib: 65536, iterations: 3, parallelism: 4 },
};

afterEach(() => clearMocks());

describe('TauriBackend.vaultStatus', () => {
  it('invokes vault_status without arguments and returns its result', async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return STATUS;
    });

    await expect(new TauriBackend().vaultStatus()).resolves.toEqual(STATUS);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.cmd).toBe('vault_status');
  });

  it('turns a { code, message } rejection into a BackendError with that code', async () => {
    mockIPC(() => {
      throw { code: 'corrupt', message: 'vault.keys is damaged' };
    });

    const error: unknown = await new TauriBackend().vaultStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: 'corrupt', message: 'vault.keys is damaged' });
  });

  it('maps an unknown rejection to an internal error', async () => {
    mockIPC(() => {
      throw 'command vault_status not allowed by ACL';
    });

    const error: unknown = await new TauriBackend().vaultStatus().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).toContain('not allowed by ACL');
  });
});

describe('toBackendError', () => {
  it('rejects codes the UI does not know', () => {
    expect(toBackendError({ code: 'made_up', message: 'x' }).code).toBe('internal');
  });
});
