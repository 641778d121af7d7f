// The fake behaves like the Rust side where the UI depends on it: errors by code, lock state,
// secrets kept out of every view.
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type TokenInput } from './types';
import { demoSeeds, FakeBackend, maskHint } from './fake';

const INPUT: TokenInput = {
  name: 'deploy bot',
  provider: 'github',
  kind: 'personal_access_token',
  secret: 'ghp_0123456789abcdefa1B2',
  expires_at: null,
  account: null,
  environment: null,
  scopes: [],
  tags: [],
  notes: null,
  url: null,
};

describe('FakeBackend', () => {
  it('rejects a wrong password with wrong_password and stays locked', async () => {
    const fake = new FakeBackend({ password: 'right password' });
    await expect(fake.unlock('wrong')).rejects.toMatchObject({ code: 'wrong_password' });
    await expect(fake.listTokens()).rejects.toMatchObject({ code: 'locked' });
    await fake.unlock('right password');
    await expect(fake.listTokens()).resolves.toEqual([]);
  });

  it('creates a vault once and leaves it unlocked', async () => {
    const fake = new FakeBackend({ exists: false });
    await fake.createVault('long enough', false);
    expect(fake.status).toMatchObject({ exists: true, locked: false });
    await expect(fake.createVault('long enough', false)).rejects.toMatchObject({
      code: 'already_exists',
    });
  });

  it('keeps the secret out of views and shows a masked hint', async () => {
    const fake = new FakeBackend({ locked: false, tokens: [] });
    const view = await fake.addToken(INPUT);
    expect(view.hint).toBe('ghp_…a1B2');
    expect(JSON.stringify(await fake.listTokens())).not.toContain(INPUT.secret);
    expect(JSON.stringify(await fake.getToken(view.id))).not.toContain(INPUT.secret);
    await expect(fake.revealSecret(view.id)).resolves.toBe(INPUT.secret);
  });

  it('keeps the secret when an update sends null', async () => {
    const fake = new FakeBackend({ locked: false, tokens: [] });
    const view = await fake.addToken(INPUT);
    await fake.updateToken(view.id, { ...INPUT, name: 'renamed', secret: null });
    await expect(fake.revealSecret(view.id)).resolves.toBe(INPUT.secret);
    await expect(fake.getToken(view.id)).resolves.toMatchObject({ token: { name: 'renamed' } });
  });

  it('refuses invalid input and unknown ids with their codes', async () => {
    const fake = new FakeBackend({ locked: false, tokens: [] });
    await expect(fake.addToken({ ...INPUT, name: ' ' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(fake.addToken({ ...INPUT, secret: null })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(fake.addToken({ ...INPUT, url: 'ftp://x' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(fake.deleteToken('nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      fake.saveSettings({ ...DEFAULT_SETTINGS, urgent_days: 40, warn_days: 30 }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('stamps with its settable clock and records history', async () => {
    const fake = new FakeBackend({ locked: false, tokens: [], now: '2026-02-01T00:00:00Z' });
    const view = await fake.addToken(INPUT);
    expect(view.created_at).toBe('2026-02-01T00:00:00.000Z');
    fake.now = new Date('2026-02-02T00:00:00Z');
    await fake.archiveToken(view.id);
    const detail = await fake.getToken(view.id);
    expect(detail.token).toMatchObject({
      status: 'archived',
      updated_at: '2026-02-02T00:00:00.000Z',
    });
    expect(detail.history.map((e) => e.kind)).toEqual(['token_added', 'token_archived']);
  });

  it('tells onLocked listeners when it locks by itself, until they unsubscribe', async () => {
    const fake = new FakeBackend({ locked: false, tokens: [] });
    const callback = vi.fn();
    const stop = await fake.onLocked(callback);
    fake.emitLocked();
    expect(callback).toHaveBeenCalledOnce();
    expect(fake.status.locked).toBe(true);
    stop();
    fake.emitLocked();
    expect(callback).toHaveBeenCalledOnce();
  });

  it('masks hints and seeds a demo inventory', () => {
    expect(maskHint('glpat-xxxxxxxxxxxxZz99')).toBe('glpat-…Zz99');
    expect(maskHint('plainsecret1234')).toBe('…1234');
    const fake = new FakeBackend({
      locked: false,
      tokens: demoSeeds(new Date('2026-01-15T12:00:00Z')),
    });
    return expect(fake.listTokens()).resolves.toHaveLength(5);
  });
});

describe('FakeBackend import and export', () => {
  const REQUEST = {
    path: '/tmp/t.csv',
    format: null,
    passphrase: null,
    on_duplicate: 'update' as const,
    columns: [],
  };

  it('plans duplicates by the policy and applies the plan only once', async () => {
    const fake = new FakeBackend({
      locked: false,
      tokens: [{ name: 'deploy bot', provider: 'github' }],
      files: { '/tmp/t.csv': { csv: 'name,token\ndeploy bot,ghp_new1\nci,glpat-new2' } },
    });
    const preview = await fake.importPreview(REQUEST);
    expect(preview.rows.map((r) => [r.name, r.provider, r.action])).toEqual([
      ['deploy bot', 'github', 'update'],
      ['ci', 'gitlab', 'create'],
    ]);
    expect(preview.columns).toEqual([
      { header: 'name', field: 'name' },
      { header: 'token', field: 'secret' },
    ]);

    const progress = vi.fn();
    await fake.onImportProgress(progress);
    await expect(fake.importApply()).resolves.toMatchObject({ created: 1, updated: 1 });
    expect(progress).toHaveBeenLastCalledWith({ done: 2, total: 2 });
    expect(await fake.listTokens()).toHaveLength(2);
    await expect(fake.importApply()).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('imports nothing when cancelled during the apply', async () => {
    const fake = new FakeBackend({
      locked: false,
      tokens: [],
      files: { '/tmp/t.csv': { csv: 'name,token\na,x1\nb,x2' } },
    });
    let release = () => {};
    fake.importGate = new Promise<void>((resolve) => (release = resolve));
    await fake.importPreview(REQUEST);
    const applying = fake.importApply();
    await fake.importCancel();
    release();
    await expect(applying).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await fake.listTokens()).toEqual([]);
  });

  it('refuses to overwrite a file unless asked to', async () => {
    const fake = new FakeBackend({ locked: false, tokens: [{ name: 'a' }] });
    const request = {
      path: '/tmp/out.json',
      format: 'json' as const,
      include_secrets: false,
      passphrase: null,
      armor: false,
      overwrite: false,
    };
    await expect(fake.exportFile(request)).resolves.toEqual({
      path: '/tmp/out.json',
      tokens: 1,
      with_secrets: false,
    });
    await expect(fake.exportFile(request)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(fake.exportFile({ ...request, overwrite: true })).resolves.toBeTruthy();
    await expect(
      fake.exportFile({ ...request, path: '/tmp/b', format: 'backup', overwrite: true }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
