// The add/edit form: what it refuses before calling the backend, what it sends, and how it
// shows a backend refusal.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { BackendError, type TokenInput, type TokenView } from '../backend';
import { FAKE_NOW, FakeBackend, fakeDetection } from '../backend/fake';
import { localDateInput } from '../model/countdown';
import { daysFromNow, testContext } from '../testing';
import TokenForm from './TokenForm.svelte';

function renderForm(
  token: TokenView | null = null,
  backend = new FakeBackend({ locked: false, tokens: [] }),
) {
  const onSaved = vi.fn();
  const onCancel = vi.fn();
  render(TokenForm, {
    props: { token, now: Date.parse(FAKE_NOW), onSaved, onCancel },
    context: testContext(backend),
  });
  return { backend, onSaved, onCancel };
}

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

function sent(backend: FakeBackend, method: string): TokenInput {
  const call = backend.log.find((c) => c.method === method);
  return call?.args.at(-1) as TokenInput;
}

describe('TokenForm validation', () => {
  it('focuses the name field first', async () => {
    renderForm();
    await waitFor(() => expect(screen.getByTestId('field-name')).toHaveFocus());
  });

  it('requires a name and a secret, next to each field', async () => {
    const { backend, onSaved } = renderForm();
    await fireEvent.click(screen.getByTestId('form-submit'));

    expect(screen.getByTestId('field-error-name')).toHaveTextContent('name');
    expect(screen.getByTestId('field-error-secret')).toHaveTextContent('Paste the token');
    expect(screen.getByTestId('field-name')).toHaveFocus();
    expect(backend.log.some((c) => c.method === 'addToken')).toBe(false);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('accepts only http(s) URLs', async () => {
    renderForm();
    await type('field-name', 'x');
    await type('field-secret', 'abc');
    await type('field-url', 'javascript:alert(1)');
    await fireEvent.click(screen.getByTestId('form-submit'));
    expect(screen.getByTestId('field-error-url')).toHaveTextContent('http');
  });

  it('requires a date when the expiry is custom', async () => {
    renderForm();
    await type('field-name', 'x');
    await type('field-secret', 'abc');
    expect(screen.queryByTestId('field-expires-custom')).toBeNull();
    await fireEvent.change(screen.getByTestId('expiry-preset'), { target: { value: 'custom' } });
    await fireEvent.click(screen.getByTestId('form-submit'));
    expect(screen.getByTestId('field-error-expires-custom')).toHaveTextContent('Pick the date');
  });

  it('shows a backend invalid_input error at the top of the form', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    backend.failNext.addToken = new BackendError('invalid_input', 'That provider is unknown.');
    renderForm(null, backend);
    await type('field-name', 'x');
    await type('field-secret', 'abc');
    await fireEvent.click(screen.getByTestId('form-submit'));
    expect(await screen.findByTestId('form-error')).toHaveTextContent('That provider is unknown.');
  });

  it('cancels with the Cancel button', async () => {
    const { onCancel } = renderForm();
    await fireEvent.click(screen.getByTestId('form-cancel'));
    expect(onCancel).toHaveBeenCalledOnce();
  });
});

describe('TokenForm input', () => {
  it('sends trimmed lists, nulls for empty fields and 90 days by default', async () => {
    const { backend, onSaved } = renderForm();
    await type('field-name', ' deploy bot ');
    await type('field-secret', 'a-secret-nobody-recognises');
    await type('field-provider', 'github');
    await type('field-scopes', 'repo, workflow,');
    await type('field-tags', 'ci');
    await type('field-url', 'https://github.com/settings/tokens');
    await fireEvent.click(screen.getByTestId('form-submit'));

    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(sent(backend, 'addToken')).toEqual({
      name: 'deploy bot',
      provider: 'github',
      kind: 'api_key',
      secret: 'a-secret-nobody-recognises',
      expires_at: daysFromNow(90),
      account: null,
      environment: null,
      scopes: ['repo', 'workflow'],
      tags: ['ci'],
      notes: null,
      url: 'https://github.com/settings/tokens',
    });
  });

  it('sends no expiry for "none" and local midnight for a custom date', async () => {
    vi.stubEnv('TZ', 'Asia/Kolkata');
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const { backend, onSaved } = renderForm();
    await type('field-name', 'x');
    await type('field-secret', 'abc');
    await fireEvent.change(screen.getByTestId('expiry-preset'), { target: { value: 'custom' } });
    await type('field-expires-custom', '2026-03-01');
    await fireEvent.click(screen.getByTestId('form-submit'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(sent(backend, 'addToken').expires_at).toBe('2026-02-28T18:30:00.000Z');
  });

  it('keeps the secret and expiry when editing leaves them alone', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    const token = backend.seed({ name: 'deploy bot', secret: 'ghp_x', expires_at: daysFromNow(6) });
    const { onSaved } = renderForm(token, backend);
    expect(screen.getByTestId('field-expires-custom')).toHaveValue(localDateInput(daysFromNow(6)));
    await type('field-name', 'deploy bot 2');
    await fireEvent.click(screen.getByTestId('form-submit'));

    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(sent(backend, 'updateToken')).toMatchObject({
      name: 'deploy bot 2',
      secret: null,
      expires_at: daysFromNow(6),
    });
  });
});

describe('TokenForm detection', () => {
  const CLASSIC = 'ghp_0123456789abcdefghijklmnopqrstuvwxyz';
  const GITLAB = 'glpat-abcdefghijklmnop';
  // What the Rust detector answers for these secrets (it is tested on the Rust side); the form
  // is judged on what it does with the answer.
  const detecting = () =>
    new FakeBackend({
      locked: false,
      tokens: [],
      detections: {
        [CLASSIC]: fakeDetection('github', 'classic_pat', { checksum_verified: true }),
        [GITLAB]: fakeDetection('gitlab', 'pat'),
      },
    });

  it('pre-fills provider, kind, expiry and URL from what Rust detects, without showing the secret', async () => {
    const { backend } = renderForm(null, detecting());
    await type('field-secret', CLASSIC);

    const line = await screen.findByTestId('detected-provider');
    expect(line).toHaveTextContent('Detected: GitHub · Classic PAT (checksum ok)');
    expect(line).toHaveTextContent('high confidence');
    expect(document.body).not.toHaveTextContent(CLASSIC);
    expect(screen.getByTestId('field-provider')).toHaveValue('github');
    expect(screen.getByTestId('field-kind')).toHaveValue('personal_access_token');
    expect(screen.getByTestId('expiry-preset')).toHaveValue('30');
    expect(screen.getByTestId('field-url')).toHaveValue('https://github.com/settings/tokens');
    expect(backend.log.filter((c) => c.method === 'detectSecret')).toHaveLength(1);
  });

  it('waits for typing to pause before asking, but asks at once after a paste', async () => {
    vi.useFakeTimers();
    try {
      const { backend } = renderForm(null, detecting());
      const field = screen.getByTestId('field-secret');
      await type('field-secret', 'glp');
      await type('field-secret', 'glpat-');
      await type('field-secret', GITLAB);
      await vi.advanceTimersByTimeAsync(100);
      expect(backend.log.filter((c) => c.method === 'detectSecret')).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(60);
      expect(backend.log.filter((c) => c.method === 'detectSecret')).toHaveLength(1);
      expect(screen.getByTestId('field-provider')).toHaveValue('gitlab');

      await fireEvent.paste(field);
      await fireEvent.input(field, { target: { value: CLASSIC } });
      await vi.advanceTimersByTimeAsync(0);
      expect(backend.log.filter((c) => c.method === 'detectSecret')).toHaveLength(2);
      expect(screen.getByTestId('field-provider')).toHaveValue('github');
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not overwrite fields edited by hand', async () => {
    renderForm(null, detecting());
    await type('field-provider', 'my-ghe');
    await fireEvent.change(screen.getByTestId('field-kind'), { target: { value: 'deploy_key' } });
    await fireEvent.change(screen.getByTestId('expiry-preset'), { target: { value: '365' } });
    await type('field-url', 'https://ghe.example.com/settings/tokens');
    await type('field-secret', GITLAB);

    expect(await screen.findByTestId('detected-provider')).toHaveTextContent('GitLab');
    expect(screen.getByTestId('field-provider')).toHaveValue('my-ghe');
    expect(screen.getByTestId('field-kind')).toHaveValue('deploy_key');
    expect(screen.getByTestId('expiry-preset')).toHaveValue('365');
    expect(screen.getByTestId('field-url')).toHaveValue('https://ghe.example.com/settings/tokens');
  });

  it('follows a changed secret for fields it filled, and clears them for an unknown one', async () => {
    renderForm(null, detecting());
    await type('field-secret', CLASSIC);
    await waitFor(() => expect(screen.getByTestId('field-provider')).toHaveValue('github'));
    await type('field-secret', GITLAB);
    await waitFor(() => expect(screen.getByTestId('field-provider')).toHaveValue('gitlab'));
    await type('field-secret', 'nothing-known');
    await waitFor(() => expect(screen.queryByTestId('detected-provider')).toBeNull());
    expect(screen.getByTestId('field-provider')).toHaveValue('');
    expect(screen.getByTestId('field-url')).toHaveValue('');
    expect(screen.getByTestId('expiry-preset')).toHaveValue('90');
  });

  it('uses the detection when submitted right after typing', async () => {
    const { backend, onSaved } = renderForm(null, detecting());
    await type('field-name', 'release');
    await type('field-secret', GITLAB);
    await fireEvent.click(screen.getByTestId('form-submit'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(sent(backend, 'addToken')).toMatchObject({
      provider: 'gitlab',
      kind: 'personal_access_token',
      expires_at: daysFromNow(30),
    });
  });

  it('does not detect when editing', async () => {
    const backend = detecting();
    const token = backend.seed({ name: 'deploy bot', provider: 'other' });
    renderForm(token, backend);
    await type('field-secret', CLASSIC);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(backend.log.some((c) => c.method === 'detectSecret')).toBe(false);
    expect(screen.getByTestId('field-provider')).toHaveValue('other');
  });
});

describe('TokenForm reminders', () => {
  it('follows the vault’s days unless the token is given its own', async () => {
    const { backend, onSaved } = renderForm();
    expect(await screen.findByTestId('reminders-vault-default')).toHaveTextContent(
      'The vault’s: 30, 7, 1 days before',
    );
    await type('field-name', 'deploy bot');
    await type('field-secret', 'a-secret-nobody-recognises');
    await fireEvent.click(screen.getByTestId('field-own-reminders'));
    await type('field-reminder-days', '60 14, 2');
    await fireEvent.click(screen.getByTestId('form-submit'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    const saved = onSaved.mock.calls[0]?.[0] as TokenView;
    expect((await backend.getToken(saved.id)).reminder_days).toEqual([60, 14, 2]);
  });

  it('shows the token’s own days when editing, refuses a bad one and can go back to the vault’s', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    const token = backend.seed({
      name: 'deploy bot',
      secret: 'ghp_x',
      expires_at: daysFromNow(60),
    });
    await backend.setTokenReminderDays(token.id, [45, 3]);
    const { onSaved } = renderForm(token, backend);
    await waitFor(() => expect(screen.getByTestId('field-reminder-days')).toHaveValue('45, 3'));

    await type('field-reminder-days', '45, 0');
    await fireEvent.click(screen.getByTestId('form-submit'));
    expect(screen.getByTestId('field-error-reminder-days')).toHaveTextContent(
      '0 is not between 1 and 365 days.',
    );
    expect(backend.log.some((c) => c.method === 'updateToken')).toBe(false);

    await fireEvent.click(screen.getByTestId('field-own-reminders'));
    await fireEvent.click(screen.getByTestId('form-submit'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect((await backend.getToken(token.id)).reminder_days).toBeNull();
  });

  it('sends nothing about reminders when they were left alone', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    const token = backend.seed({ name: 'deploy bot', secret: 'ghp_x' });
    const { onSaved } = renderForm(token, backend);
    await type('field-name', 'deploy bot 2');
    await fireEvent.click(screen.getByTestId('form-submit'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(backend.log.some((c) => c.method === 'setTokenReminderDays')).toBe(false);
    expect(backend.log.some((c) => c.method === 'setTokenMonitored')).toBe(false);
  });
});

describe('TokenForm monitor', () => {
  it('turns the monitor off for one token', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    const token = backend.seed({ name: 'deploy bot', secret: 'ghp_x' });
    const { onSaved } = renderForm(token, backend);
    const box = await screen.findByTestId('field-monitored');
    await waitFor(() => expect(box).toBeChecked());
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId('form-submit'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect((await backend.getToken(token.id)).monitored).toBe(false);
    const calls = backend.log.filter((c) => c.method === 'setTokenMonitored');
    expect(calls.map((c) => c.args)).toEqual([[token.id, false]]);
  });
});
