// Contract of the Tauri backend: which command it invokes and how IPC errors are mapped.
import { emit } from '@tauri-apps/api/event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  IMPORT_PROGRESS_EVENT,
  REMINDERS_DUE_EVENT,
  SCAN_PROGRESS_EVENT,
  TauriBackend,
  toBackendError,
  VAULT_LOCKED_EVENT,
} from './tauri';
import {
  BackendError,
  DEFAULT_SETTINGS,
  type ExportRequest,
  type ImportRequest,
  type TokenInput,
  type VaultStatus,
} from './types';

const STATUS: VaultStatus = {
  dir: '/tmp/vault',
  exists: true,
  locked: true,
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

  it('keeps the provider codes and passphrase_needed', () => {
    for (const code of [
      'provider_rate_limited',
      'insecure_url',
      'unsupported',
      'passphrase_needed',
    ]) {
      expect(toBackendError({ code, message: 'x' }).code).toBe(code);
    }
  });
});

const INPUT: TokenInput = {
  name: 'deploy bot',
  provider: 'github',
  kind: 'personal_access_token',
  secret: 'ghp_secret',
  expires_at: '2026-03-01T00:00:00Z',
  account: null,
  environment: 'production',
  scopes: ['repo'],
  tags: [],
  notes: null,
  url: null,
};

const IMPORT: ImportRequest = {
  handle: 'h-import',
  format: 'csv',
  passphrase: null,
  on_duplicate: 'skip',
  columns: [{ header: 'Title', field: 'name' }],
};

const EXPORT: ExportRequest = {
  handle: 'h-export',
  format: 'backup',
  include_secrets: false,
  passphrase: 'long passphrase',
  password: null,
  armor: true,
  overwrite: false,
};

type Call = (backend: TauriBackend) => Promise<unknown>;

// Each method: the command it must invoke and the exact argument object (camelCase names).
const CONTRACT: [string, Call, string, Record<string, unknown>][] = [
  [
    'createVault',
    (b) => b.createVault('pw', true),
    'vault_create',
    { password: 'pw', useKeyring: true },
  ],
  ['unlock', (b) => b.unlock('pw'), 'vault_unlock', { password: 'pw' }],
  ['unlockWithKeyring', (b) => b.unlockWithKeyring(), 'vault_unlock_keyring', {}],
  ['lock', (b) => b.lock(), 'vault_lock', {}],
  ['listTokens', (b) => b.listTokens(), 'tokens_list', {}],
  ['getToken', (b) => b.getToken('t1'), 'token_get', { id: 't1' }],
  ['addToken', (b) => b.addToken(INPUT), 'token_add', { input: INPUT }],
  ['updateToken', (b) => b.updateToken('t1', INPUT), 'token_update', { id: 't1', input: INPUT }],
  ['alerts', (b) => b.alerts(), 'alerts_list', {}],
  ['acknowledgeAlert', (b) => b.acknowledgeAlert('a1'), 'alert_acknowledge', { id: 'a1' }],
  ['monitorStatus', (b) => b.monitorStatus(), 'monitor_status', {}],
  [
    'setMonitorEnabled',
    (b) => b.setMonitorEnabled(false),
    'monitor_set_enabled',
    { enabled: false },
  ],
  [
    'setTokenMonitored',
    (b) => b.setTokenMonitored('t1', false),
    'token_set_monitored',
    { id: 't1', monitored: false },
  ],
  [
    'setTokenReminderDays',
    (b) => b.setTokenReminderDays('t1', [14, 2]),
    'token_set_reminder_days',
    { id: 't1', days: [14, 2] },
  ],
  ['archiveToken', (b) => b.archiveToken('t1'), 'token_archive', { id: 't1' }],
  ['deleteToken', (b) => b.deleteToken('t1'), 'token_delete', { id: 't1' }],
  ['revealSecret', (b) => b.revealSecret('t1'), 'token_reveal', { id: 't1' }],
  ['copySecret', (b) => b.copySecret('t1'), 'token_copy', { id: 't1' }],
  ['getSettings', (b) => b.getSettings(), 'settings_get', {}],
  [
    'saveSettings',
    (b) => b.saveSettings(DEFAULT_SETTINGS),
    'settings_save',
    { settings: DEFAULT_SETTINGS },
  ],
  [
    'setKeyringUnlock',
    (b) => b.setKeyringUnlock(true, 'vault pw'),
    'keyring_set',
    { enabled: true, password: 'vault pw' },
  ],
  ['importPick', (b) => b.importPick(), 'import_pick', {}],
  ['exportPick', (b) => b.exportPick('csv'), 'export_pick', { format: 'csv' }],
  ['rekeyVault', (b) => b.rekeyVault('pw'), 'vault_rekey', { password: 'pw' }],
  ['importPreview', (b) => b.importPreview(IMPORT), 'import_preview', { request: IMPORT }],
  ['importApply', (b) => b.importApply(), 'import_apply', {}],
  ['importCancel', (b) => b.importCancel(), 'import_cancel', {}],
  ['exportFile', (b) => b.exportFile(EXPORT), 'export_file', { request: EXPORT }],
  ['takeOpenRequest', (b) => b.takeOpenRequest(), 'open_request_take', {}],
  ['releaseMemory', (b) => b.releaseMemory(), 'memory_release', {}],
  ['detectSecret', (b) => b.detectSecret('ghp_x'), 'detect_secret', { secret: 'ghp_x' }],
  ['providerInfo', (b) => b.providerInfo('github'), 'provider_info', { provider: 'github' }],
  ['providerApiUrls', (b) => b.providerApiUrls(), 'provider_api_urls', {}],
  [
    'setProviderApiUrl',
    (b) => b.setProviderApiUrl('gitlab', 'https://gitlab.example.com', 'vault pw'),
    'provider_api_url_set',
    { provider: 'gitlab', url: 'https://gitlab.example.com', password: 'vault pw' },
  ],
  [
    'setProviderApiUrl (clear)',
    (b) => b.setProviderApiUrl('gitlab', null, 'vault pw'),
    'provider_api_url_set',
    { provider: 'gitlab', url: null, password: 'vault pw' },
  ],
  ['verifyToken', (b) => b.verifyToken('t1'), 'verify_token', { id: 't1' }],
  [
    'openProviderPage',
    (b) => b.openProviderPage('github', 'revoke'),
    'open_provider_page',
    { provider: 'github', page: 'revoke' },
  ],
  [
    'rotationStart',
    (b) => b.rotationStart('t1', 'api'),
    'rotation_start',
    { tokenId: 't1', method: 'api' },
  ],
  ['rotationFor', (b) => b.rotationFor('t1'), 'rotation_for', { tokenId: 't1' }],
  ['rotationsOpen', (b) => b.rotationsOpen(), 'rotations_open', {}],
  [
    'rotationStep',
    (b) => b.rotationStep('r1', { action: 'revoke_old', how: 'later' }),
    'rotation_step',
    { rotationId: 'r1', action: { action: 'revoke_old', how: 'later' } },
  ],
  [
    'revokeToken',
    (b) => b.revokeToken('t1', 'confirmed', true),
    'revoke_token',
    { id: 't1', how: 'confirmed', reverify: true },
  ],
  ['panicRevoke', (b) => b.panicRevoke(['t1', 't2']), 'panic_revoke', { ids: ['t1', 't2'] }],
  ['healthFindings', (b) => b.healthFindings(), 'health_findings', {}],
  ['healthSummary', (b) => b.healthSummary(), 'health_summary', {}],
  [
    'dismissFinding',
    (b) => b.dismissFinding('t1', 'no_expiry', 'a test token'),
    'health_dismiss',
    { tokenId: 't1', kind: 'no_expiry', reason: 'a test token' },
  ],
  [
    'markScopesReviewed',
    (b) => b.markScopesReviewed('t1'),
    'health_mark_reviewed',
    { tokenId: 't1' },
  ],
];

describe('TauriBackend.listTokenRows', () => {
  it('invokes tokens_rows and rebuilds each array into a row with named fields', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return [
        [
          't1',
          'deploy bot',
          'huggingface',
          'Hugging Face',
          'hf_…abcd',
          'octo',
          'prod',
          ['ci', 'web'],
          'rotates monthly',
          '2026-01-02T03:04:05Z',
          null,
          'active',
        ],
      ];
    });

    await expect(new TauriBackend().listTokenRows()).resolves.toEqual([
      {
        id: 't1',
        name: 'deploy bot',
        provider: 'huggingface',
        provider_name: 'Hugging Face',
        hint: 'hf_…abcd',
        account: 'octo',
        environment: 'prod',
        tags: ['ci', 'web'],
        notes: 'rotates monthly',
        created_at: '2026-01-02T03:04:05Z',
        expires_at: null,
        status: 'active',
      },
    ]);
    expect(calls).toEqual(['tokens_rows']);
  });
});

describe('TauriBackend commands', () => {
  it.each(CONTRACT)('%s invokes %s with the right argument names', async (_, run, cmd, args) => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((command, payload) => {
      calls.push({ cmd: command, args: payload });
      return null;
    });

    await run(new TauriBackend());

    expect(calls).toHaveLength(1);
    expect(calls[0]?.cmd).toBe(cmd);
    // mockIPC passes `{}` when a command is invoked without arguments.
    expect(calls[0]?.args ?? {}).toEqual(args);
  });

  it('returns what the command resolved with', async () => {
    mockIPC((cmd) => (cmd === 'token_reveal' ? 'ghp_secret' : { clear_after_secs: 20 }));

    await expect(new TauriBackend().revealSecret('t1')).resolves.toBe('ghp_secret');
    await expect(new TauriBackend().copySecret('t1')).resolves.toEqual({ clear_after_secs: 20 });
  });

  it('maps a wrong password rejection to the wrong_password code', async () => {
    mockIPC(() => {
      throw { code: 'wrong_password', message: 'That password does not open this vault.' };
    });

    await expect(new TauriBackend().unlock('nope')).rejects.toMatchObject({
      code: 'wrong_password',
    });
  });
});

describe('TauriBackend provider API addresses', () => {
  it('returns the updated list and maps a refused address to invalid_input', async () => {
    const row = {
      provider: 'gitlab',
      name: 'GitLab',
      default_url: 'https://gitlab.com',
      url: 'https://gitlab.example.com/',
      env_url: null,
    };
    mockIPC((_, payload) => {
      const { url } = payload as { url: string | null };
      if (url?.startsWith('http://')) {
        throw { code: 'invalid_input', message: 'url: refusing http://gitlab.example.com/' };
      }
      return [row];
    });

    const backend = new TauriBackend();
    await expect(backend.setProviderApiUrl('gitlab', row.url, 'pw')).resolves.toEqual([row]);
    await expect(
      backend.setProviderApiUrl('gitlab', 'http://gitlab.example.com', 'pw'),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('http://') });
  });
});

describe('TauriBackend import and export', () => {
  it('maps a bad import file to invalid_input with the message naming the line', async () => {
    mockIPC(() => {
      throw { code: 'invalid_input', message: 'tokens.csv: line 3: expires: not a date' };
    });

    await expect(new TauriBackend().importPreview(IMPORT)).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'tokens.csv: line 3: expires: not a date',
    });
  });

  it('returns the export result', async () => {
    const result = { name: 'backup.twb', tokens: 42, with_secrets: true };
    mockIPC(() => result);

    await expect(new TauriBackend().exportFile(EXPORT)).resolves.toEqual(result);
  });

  it('passes import-progress payloads to the callback until unlistened', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const callback = vi.fn();

    const unlisten = await new TauriBackend().onImportProgress(callback);
    await emit(IMPORT_PROGRESS_EVENT, { done: 256, total: 10_000 });
    expect(callback).toHaveBeenCalledWith({ done: 256, total: 10_000 });

    unlisten();
    await emit(IMPORT_PROGRESS_EVENT, { done: 512, total: 10_000 });
    expect(callback).toHaveBeenCalledTimes(1);
  });
});

describe('TauriBackend.onLocked', () => {
  it('calls back on the vault-locked event until unlistened', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const callback = vi.fn();

    const unlisten = await new TauriBackend().onLocked(callback);
    await emit(VAULT_LOCKED_EVENT);
    expect(callback).toHaveBeenCalledTimes(1);

    unlisten();
    await emit(VAULT_LOCKED_EVENT);
    expect(callback).toHaveBeenCalledTimes(1);
  });
});

describe('TauriBackend.onRemindersDue', () => {
  it('passes reminders-due payloads to the callback until unlistened', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const callback = vi.fn();
    const due = [
      {
        title: 'GitHub · deploy-bot expires tomorrow',
        body: 'Expires …',
        urgency: 'critical',
        token_id: 't1',
        while_locked: false,
      },
    ];

    const unlisten = await new TauriBackend().onRemindersDue(callback);
    await emit(REMINDERS_DUE_EVENT, due);
    expect(callback).toHaveBeenCalledWith(due);

    unlisten();
    await emit(REMINDERS_DUE_EVENT, due);
    expect(callback).toHaveBeenCalledTimes(1);
  });
});

describe('TauriBackend scan', () => {
  it('invokes scan_pick, scan_start, scan_cancel and scan_apply with their arguments', async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    const results = {
      findings: [],
      counts: {
        files: 2,
        bytes: 10,
        skipped_binary: 0,
        skipped_large: 0,
        unreadable: 0,
        placeholders: 0,
        elapsed_ms: 5,
      },
      cancelled: false,
    };
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === 'scan_pick') return { handle: 'h1', name: 'project' };
      if (cmd === 'scan_start') return results;
      if (cmd === 'scan_apply') return { linked: 1, imported: 2 };
      return null;
    });
    const backend = new TauriBackend();

    await expect(backend.scanPick()).resolves.toEqual({ handle: 'h1', name: 'project' });
    await expect(backend.scanStart({ home: true, folders: ['h1'] })).resolves.toEqual(results);
    await backend.scanCancel();
    await expect(backend.scanApply({ link: [0], import: [1, 2] })).resolves.toEqual({
      linked: 1,
      imported: 2,
    });
    expect(calls.map((c) => c.cmd)).toEqual([
      'scan_pick',
      'scan_start',
      'scan_cancel',
      'scan_apply',
    ]);
    expect(calls[1]?.args).toEqual({ request: { home: true, folders: ['h1'] } });
    expect(calls[3]?.args).toEqual({ request: { link: [0], import: [1, 2] } });
  });

  it('maps a refused apply to its code', async () => {
    mockIPC(() => {
      throw { code: 'invalid_input', message: 'scan: no scan results to apply' };
    });
    const error: unknown = await new TauriBackend()
      .scanApply({ link: [], import: [] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_input' });
  });

  it('passes scan-progress payloads to the callback until unlistened', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const callback = vi.fn();

    const unlisten = await new TauriBackend().onScanProgress(callback);
    await emit(SCAN_PROGRESS_EVENT, { files: 10, bytes: 2048, elapsed_ms: 200 });
    expect(callback).toHaveBeenCalledWith({ files: 10, bytes: 2048, elapsed_ms: 200 });

    unlisten();
    await emit(SCAN_PROGRESS_EVENT, { files: 20, bytes: 4096, elapsed_ms: 400 });
    expect(callback).toHaveBeenCalledTimes(1);
  });
});
