// The fake behaves like the Rust side where the UI depends on it: errors by code, lock state,
// secrets kept out of every view. Rotation, import and revocation answer what a test scripts (or a
// plain default), and its records follow those answers; Rust's rules for them are tested in Rust.
import { describe, expect, it, vi } from 'vitest';
import { BackendError, DEFAULT_SETTINGS, type TokenInput } from './types';
import { demoSeeds, FakeBackend, fakeDetection, maskHint } from './fake';

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
    handle: 'handle-1',
    format: null,
    passphrase: null,
    on_duplicate: 'update' as const,
    columns: [],
  };

  it('previews the file’s rows, or a scripted answer once, and applies the previewed rows once', async () => {
    const fake = new FakeBackend({
      locked: false,
      tokens: [{ name: 'deploy bot', provider: 'github' }],
      files: {
        '/tmp/t.json': {
          format: 'json',
          rows: [
            {
              name: 'deploy bot',
              provider: 'github',
              secret: 'ghp_new1',
              action: 'update',
              duplicate_of: 'tok-1',
            },
            { name: 'ci', provider: 'gitlab', secret: 'glpat-new2' },
            { name: 'broken', secret: '', problems: ['no secret'] },
          ],
        },
      },
      picks: ['/tmp/t.json'],
    });
    await expect(fake.importPick()).resolves.toEqual({ handle: 'handle-1', name: 't.json' });
    fake.answers.importPreview.next({ rows: [{ name: 'only', secret: 'x1' }] });
    const scripted = await fake.importPreview(REQUEST);
    expect(scripted.rows.map((r) => [r.name, r.provider, r.action])).toEqual([
      ['only', 'other', 'create'],
    ]);

    const preview = await fake.importPreview(REQUEST);
    expect(preview).toMatchObject({ file: 't.json', format: 'json', columns: [] });
    expect(preview.rows.map((r) => [r.name, r.provider, r.action, r.hint])).toEqual([
      ['deploy bot', 'github', 'update', 'ghp_…new1'],
      ['ci', 'gitlab', 'create', 'glpat-…new2'],
      ['broken', 'other', 'skip', ''],
    ]);
    expect(preview.summary).toMatchObject({ created: 1, updated: 1, skipped: 1, errors: 1 });

    const progress = vi.fn();
    await fake.onImportProgress(progress);
    await expect(fake.importApply()).resolves.toMatchObject({ created: 1, updated: 1 });
    expect(progress).toHaveBeenLastCalledWith({ done: 2, total: 2 });
    const tokens = await fake.listTokens();
    expect(tokens.map((t) => [t.id, t.name, t.provider])).toEqual([
      ['tok-1', 'deploy bot', 'github'],
      ['tok-2', 'ci', 'gitlab'],
    ]);
    await expect(fake.revealSecret('tok-2')).resolves.toBe('glpat-new2');
    await expect(fake.importApply()).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('imports nothing when cancelled during the apply', async () => {
    const fake = new FakeBackend({
      locked: false,
      tokens: [],
      files: {
        '/tmp/t.json': {
          format: 'json',
          rows: [
            { name: 'a', secret: 'x1' },
            { name: 'b', secret: 'x2' },
          ],
        },
      },
      picks: ['/tmp/t.json'],
    });
    await fake.importPick();
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
    const fake = new FakeBackend({
      locked: false,
      tokens: [{ name: 'a' }],
      picks: ['/tmp/out.json'],
    });
    const picked = await fake.exportPick('json');
    const request = {
      handle: picked?.handle ?? '',
      format: 'json' as const,
      include_secrets: false,
      passphrase: null,
      password: null,
      armor: false,
      overwrite: false,
    };
    await expect(fake.exportFile(request)).resolves.toEqual({
      name: 'out.json',
      tokens: 1,
      with_secrets: false,
    });
    await expect(fake.exportFile(request)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(fake.exportFile({ ...request, overwrite: true })).resolves.toBeTruthy();
    await expect(
      fake.exportFile({ ...request, format: 'backup', overwrite: true }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('names files by handles that die with the session, and refuses the vault and dot-folders', async () => {
    const fake = new FakeBackend({
      locked: false,
      tokens: [{ name: 'a' }],
      picks: [
        '/tmp/out.csv',
        '/home/test/.config/x',
        '/home/test/.local/share/tokenwarden/x',
        null,
      ],
    });
    const picked = await fake.exportPick('csv');
    for (let refused = 0; refused < 2; refused++) {
      await expect(fake.exportPick('csv')).rejects.toMatchObject({ code: 'invalid_input' });
    }
    await expect(fake.exportPick('csv')).resolves.toBeNull();
    const request = {
      handle: picked?.handle ?? '',
      format: 'csv' as const,
      include_secrets: true,
      passphrase: null,
      password: 'wrong',
      armor: false,
      overwrite: false,
    };
    await expect(fake.exportFile(request)).rejects.toMatchObject({ code: 'wrong_password' });
    await expect(fake.importPreview({ ...REQUEST, handle: request.handle })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await fake.lock();
    await fake.unlock('correct horse battery');
    await expect(
      fake.exportFile({ ...request, password: 'correct horse battery' }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('choose the file again'),
    });
  });
});

describe('FakeBackend provider API addresses', () => {
  const PW = 'correct horse battery';
  it('accepts https and loopback http, normalised, and clears with null or an empty string', async () => {
    const fake = new FakeBackend({ locked: false, tokens: [] });
    const list = await fake.providerApiUrls();
    expect(list).toHaveLength(8);
    expect(list.find((r) => r.provider === 'gitlab')).toEqual({
      provider: 'gitlab',
      name: 'GitLab',
      default_url: 'https://gitlab.com',
      url: null,
      env_url: null,
    });

    const after = await fake.setProviderApiUrl('gitlab', 'https://gitlab.example.com', PW);
    expect(after.find((r) => r.provider === 'gitlab')?.url).toBe('https://gitlab.example.com/');
    for (const ok of ['http://127.0.0.1:8080', 'http://localhost/api', 'http://[::1]:9000']) {
      await expect(fake.setProviderApiUrl('github', ok, PW)).resolves.toBeDefined();
    }
    await fake.setProviderApiUrl('gitlab', '', PW);
    await fake.setProviderApiUrl('github', null, PW);
    expect((await fake.providerApiUrls()).every((r) => r.url === null)).toBe(true);
  });

  it('refuses plain http elsewhere, credentials, a query and non-URLs with invalid_input', async () => {
    const fake = new FakeBackend({ locked: false, tokens: [] });
    for (const bad of [
      'http://gitlab.example.com',
      'http://128.0.0.1',
      'https://user:pw@gitlab.example.com',
      'https://gitlab.example.com/?x=1',
      'ftp://gitlab.example.com',
      'gitlab.example.com',
    ]) {
      await expect(fake.setProviderApiUrl('gitlab', bad, PW)).rejects.toMatchObject({
        code: 'invalid_input',
      });
    }
    expect(fake.apiUrls.size).toBe(0);
  });

  it('needs an unlocked vault', async () => {
    const fake = new FakeBackend({ locked: true, tokens: [] });
    await expect(fake.providerApiUrls()).rejects.toMatchObject({ code: 'locked' });
  });
});

describe('FakeBackend providers', () => {
  const CLASSIC = 'ghp_0123456789abcdefghijklmnopqrstuvwxyz';

  function vault() {
    const fake = new FakeBackend({ locked: false, tokens: [] });
    const github = fake.seed({ name: 'deploy bot', provider: 'github', secret: CLASSIC });
    const gitlab = fake.seed({ name: 'release', provider: 'gitlab', secret: 'glpat-oldoldold1' });
    const stripe = fake.seed({ name: 'billing', provider: 'stripe', secret: 'sk_live_old1' });
    return { fake, github, gitlab, stripe };
  }

  it('detects only what the test scripted, described from its catalog, and nothing else', async () => {
    const fake = new FakeBackend({
      detections: {
        [CLASSIC]: fakeDetection('github', 'classic_pat', { checksum_verified: true }),
      },
    });
    await expect(fake.detectSecret(`  ${CLASSIC} `)).resolves.toMatchObject({
      provider: 'github',
      provider_name: 'GitHub',
      kind_label: 'Classic PAT',
      checksum_verified: true,
      default_lifetime_days: 30,
      manage_url: 'https://github.com/settings/tokens',
    });
    await expect(
      fake.detectSecret('ghp_0123456789abcdefghijklmnopqrstuvwxyz0'),
    ).resolves.toBeNull();
    await expect(fake.detectSecret('hello')).resolves.toBeNull();
  });

  it('counts the first check at a provider and takes the provider’s expiry', async () => {
    const { fake, github } = vault();
    await expect(fake.providerInfo('github')).resolves.toMatchObject({ checked_before: false });
    fake.remote.set(CLASSIC, {
      expires_at: '2026-02-01T00:00:00.000Z',
      scopes: ['repo', 'delete_repo'],
    });
    const report = await fake.verifyToken(github.id);
    expect(report).toMatchObject({
      valid: true,
      dangerous_scopes: ['delete_repo'],
      expiry_differs: { ours: null, provider: '2026-02-01T00:00:00.000Z' },
      token: { expires_at: '2026-02-01T00:00:00.000Z', last_verified_result: 'valid' },
    });
    await expect(fake.providerInfo('github')).resolves.toMatchObject({ checked_before: true });
  });

  it('refuses checks a provider cannot do and passes provider failures through', async () => {
    const { fake, github, stripe } = vault();
    await expect(fake.verifyToken(stripe.id)).rejects.toMatchObject({ code: 'unsupported' });
    fake.providerErrors.set(
      'github',
      new BackendError('provider_rate_limited', 'GitHub asks to wait 60 s.'),
    );
    await expect(fake.verifyToken(github.id)).rejects.toMatchObject({
      code: 'provider_rate_limited',
    });
  });

  it('answers each rotation step with the step its action leads to, keeping the records in step', async () => {
    const fake = new FakeBackend({
      locked: false,
      tokens: [{ name: 'deploy bot', provider: 'github', secret: CLASSIC }],
      usages: [
        {
          token_id: 'tok-1',
          kind: 'ci_secret',
          location: 'acme/api',
          notes: null,
          created_at: '2026-01-01T00:00:00Z',
          last_confirmed_at: null,
        },
      ],
    });
    let r = await fake.rotationStart('tok-1', 'guided');
    expect(r).toMatchObject({ step: 'started', consumers: [{ usage_id: 'use-1', done: false }] });
    const step = (action: Parameters<FakeBackend['rotationStep']>[1]) =>
      fake.rotationStep(r.id, action);

    r = await step({ action: 'store_secret', secret: 'ghp_newnewnewnewZZ99', expires_at: null });
    expect(r).toMatchObject({ step: 'new_stored', new_hint: 'ghp_…ZZ99', new_token_id: null });
    await expect(fake.rotationFor('tok-1')).resolves.toMatchObject({
      id: r.id,
      step: 'new_stored',
    });
    r = await step({ action: 'verify' });
    expect(r).toMatchObject({ step: 'verified', verified_by: 'provider' });
    r = await step({ action: 'tick', usage_id: 'use-1', done: true });
    expect(r.consumers[0]?.done).toBe(true);
    r = await step({ action: 'consumers_done' });
    r = await step({ action: 'promote' });
    expect(r.step).toBe('promoted');
    const tokens = await fake.listTokens();
    expect(tokens.find((t) => t.id === 'tok-1')).toMatchObject({
      status: 'rotating',
      replaced_by: r.new_token_id,
    });
    expect(tokens.find((t) => t.id === r.new_token_id)).toMatchObject({
      status: 'active',
      replaces: 'tok-1',
    });
    await expect(fake.revealSecret(r.new_token_id ?? '')).resolves.toBe('ghp_newnewnewnewZZ99');

    r = await step({ action: 'revoke_old', how: 'api' });
    expect(r).toMatchObject({ step: 'old_revoked', revoke_method: 'api' });
    await expect(fake.getToken('tok-1')).resolves.toMatchObject({
      token: { status: 'revoked', revoke_method: 'api' },
    });
    r = await step({ action: 'finish' });
    expect(r.step).toBe('done');
    await expect(fake.rotationsOpen()).resolves.toEqual([]);
  });

  it('answers a rotation step as scripted once, and a scripted failure changes nothing', async () => {
    const { fake, gitlab } = vault();
    let r = await fake.rotationStart(gitlab.id, 'api');
    fake.answers.rotationStep.next((before, action) => {
      expect([before.step, action.action]).toEqual(['started', 'api_rotate']);
      return { old_invalidated: true };
    });
    r = await fake.rotationStep(r.id, { action: 'api_rotate', expires_at: null });
    expect(r).toMatchObject({ step: 'new_stored', old_invalidated: true });
    expect(fake.answers.rotationStep.pending).toBe(0);

    fake.failNext.rotationStep = new BackendError('invalid_input', 'GitLab refuses it.');
    await expect(fake.rotationStep(r.id, { action: 'verify' })).rejects.toMatchObject({
      message: 'GitLab refuses it.',
    });
    await expect(fake.rotationFor(gitlab.id)).resolves.toMatchObject({ step: 'new_stored' });
    r = await fake.rotationStep(r.id, { action: 'verify' });
    expect(r).toMatchObject({ step: 'verified', old_invalidated: true });
  });

  it('aborting drops the new secret and leaves the old token as it was', async () => {
    const { fake, github } = vault();
    let r = await fake.rotationStart(github.id, 'guided');
    r = await fake.rotationStep(r.id, {
      action: 'store_secret',
      secret: 'ghp_other1',
      expires_at: null,
    });
    r = await fake.rotationStep(r.id, { action: 'abort' });
    expect(r.step).toBe('aborted');
    await expect(fake.rotationFor(github.id)).resolves.toBeNull();
    await expect(fake.revealSecret(github.id)).resolves.toBe(CLASSIC);
    expect(await fake.listTokens()).toHaveLength(3);
  });

  it('revokes the way asked unless scripted otherwise, recording only a revoked outcome', async () => {
    const { fake, github, gitlab } = vault();
    await expect(fake.revokeToken(github.id, 'report_leak', true)).resolves.toMatchObject({
      token_id: github.id,
      outcome: 'revoked',
      method: 'report_leak',
      reverified: true,
    });
    await expect(fake.getToken(github.id)).resolves.toMatchObject({
      token: { status: 'revoked', revoke_method: 'report_leak' },
    });

    fake.answers.revokeToken.next({ outcome: 'failed', method: null, reverified: false });
    await expect(fake.revokeToken(gitlab.id, 'confirmed', true)).resolves.toMatchObject({
      name: 'release',
      outcome: 'failed',
      reverified: false,
    });
    await expect(fake.getToken(gitlab.id)).resolves.toMatchObject({ token: { status: 'active' } });
  });

  it('panic-revokes with the scripted outcome of each token, the rest through the API', async () => {
    const { fake, github, gitlab, stripe } = vault();
    fake.answers.panicRevoke.next({
      [gitlab.id]: {
        outcome: 'failed',
        error: { code: 'provider_offline', message: 'GitLab is unreachable.' },
      },
      [stripe.id]: { outcome: 'needs_manual', method: null },
    });
    const outcomes = await fake.panicRevoke([github.id, gitlab.id, stripe.id]);
    expect(outcomes.map((o) => [o.name, o.outcome, o.method, o.error?.code ?? null])).toEqual([
      ['deploy bot', 'revoked', 'api', null],
      ['release', 'failed', 'api', 'provider_offline'],
      ['billing', 'needs_manual', null, null],
    ]);
    const statuses = (await fake.listTokens()).map((t) => t.status);
    expect(statuses).toEqual(['revoked', 'active', 'active']);
  });
});

describe('FakeBackend health', () => {
  function vault() {
    return new FakeBackend({
      locked: false,
      tokens: [
        { name: 'deploy bot', provider: 'github', secret: 'ghp_fakehealth0123SECRET' },
        { name: 'billing', provider: 'stripe' },
      ],
      findings: [
        {
          token: 'deploy bot',
          kind: 'no_expiry',
          severity: 'low',
          evidence: 'has no expiry date',
          fix: 'set_expiry',
          resolvedWhen: (t) => t.expires_at !== null,
        },
        {
          token: 'billing',
          kind: 'review_due',
          severity: 'low',
          evidence: 'its scopes were last reviewed 200 days ago',
          fix: 'mark_reviewed',
        },
        {
          token: 'billing',
          kind: 'expired_but_active',
          severity: 'high',
          evidence: 'expired 3 days ago and is still marked active',
          fix: 'revoke',
        },
      ],
    });
  }

  const kinds = async (fake: FakeBackend) =>
    (await fake.healthFindings()).map((f) => `${f.token_name}:${f.kind}`);

  it('reports the scripted findings, most severe first, naming the token and no secret', async () => {
    const fake = vault();
    const findings = await fake.healthFindings();
    expect(findings.map((f) => f.kind)).toEqual(['expired_but_active', 'no_expiry', 'review_due']);
    expect(findings[1]).toMatchObject({ token_name: 'deploy bot', provider: 'github' });
    expect(JSON.stringify(findings)).not.toContain('SECRET');
  });

  it('drops a finding once its scripted cause is fixed, or its token is no longer live', async () => {
    const fake = vault();
    const [bot] = await fake.listTokens();
    await fake.updateToken(bot!.id, { ...INPUT, secret: null, expires_at: '2026-06-01T00:00:00Z' });
    expect(await kinds(fake)).not.toContain('deploy bot:no_expiry');
    const billing = (await fake.listTokens()).find((t) => t.name === 'billing')!;
    await fake.archiveToken(billing.id);
    expect(await kinds(fake)).toEqual([]);
  });

  it('dismisses with a reason (logged) and marks scopes reviewed', async () => {
    const fake = vault();
    const billing = (await fake.listTokens()).find((t) => t.name === 'billing')!;
    await expect(fake.dismissFinding(billing.id, 'expired_but_active', ' ')).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await fake.dismissFinding(billing.id, 'expired_but_active', 'revoked at Stripe by hand');
    await expect(
      fake.dismissFinding(billing.id, 'expired_but_active', 'again'),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await fake.markScopesReviewed(billing.id);
    expect(await kinds(fake)).toEqual(['deploy bot:no_expiry']);
    const history = (await fake.getToken(billing.id)).history.map((e) => e.kind);
    expect(history).toEqual(['finding_dismissed', 'scopes_reviewed']);
  });

  it('refuses while locked', async () => {
    const fake = vault();
    await fake.lock();
    await expect(fake.healthFindings()).rejects.toMatchObject({ code: 'locked' });
  });
});
