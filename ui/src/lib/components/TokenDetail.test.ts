// The detail pane: masked secret, Reveal that hides itself after 10 s, Copy's clearing notice,
// and Delete that needs a second, explicit step.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, DEFAULT_SETTINGS } from '../backend';
import { FAKE_NOW, FakeBackend } from '../backend/fake';
import { exactTime } from '../model/countdown';
import { daysFromNow, testContext } from '../testing';
import TokenDetail from './TokenDetail.svelte';

const SECRET = 'ghp_0123456789abcdefa1B2';

/** Shows token `id` of `backend` at FAKE_NOW, every callback a spy; returns the props. */
function show(backend: FakeBackend, id: string, thresholds = DEFAULT_SETTINGS) {
  const props = {
    id,
    now: Date.parse(FAKE_NOW),
    thresholds,
    onEdit: vi.fn(),
    onArchive: vi.fn(() => Promise.resolve()),
    onDelete: vi.fn(() => Promise.resolve()),
    onBack: vi.fn(),
    onRotate: vi.fn(),
    onRevoke: vi.fn(),
    onChanged: vi.fn(),
  };
  render(TokenDetail, { props, context: testContext(backend) });
  return props;
}

function renderDetail(settings = DEFAULT_SETTINGS) {
  const backend = new FakeBackend({ locked: false, tokens: [], settings });
  const token = backend.seed({
    name: 'deploy bot',
    provider: 'github',
    secret: SECRET,
    scopes: ['repo'],
    expires_at: daysFromNow(6),
  });
  return { backend, token, props: show(backend, token.id, settings) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenDetail', () => {
  it('shows metadata with the secret masked', async () => {
    renderDetail();
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('deploy bot');
    expect(screen.getByTestId('secret-value')).toHaveTextContent('ghp_…a1B2');
    expect(screen.getByTestId('secret-value')).not.toHaveTextContent(SECRET);
    expect(screen.getByTestId('detail-scopes')).toHaveTextContent('repo');
    expect(screen.getByTestId('token-countdown')).toHaveTextContent('expires in 6 days');
    expect(screen.getByTestId('detail-expires')).toHaveTextContent(exactTime(daysFromNow(6)));
  });

  it('reveals the secret for 10 seconds with a visible timer, then hides it', async () => {
    renderDetail();
    await screen.findByTestId('detail-name');
    vi.useFakeTimers();

    await fireEvent.click(screen.getByTestId('reveal-button'));
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByTestId('secret-value')).toHaveTextContent(SECRET);
    expect(screen.getByTestId('reveal-timer')).toHaveTextContent('Hides in 10 s');

    await vi.advanceTimersByTimeAsync(4000);
    expect(screen.getByTestId('reveal-timer')).toHaveTextContent('Hides in 6 s');

    await vi.advanceTimersByTimeAsync(6000);
    expect(screen.getByTestId('secret-value')).toHaveTextContent('ghp_…a1B2');
    expect(screen.queryByTestId('reveal-timer')).toBeNull();
  });

  it('hides a revealed secret at once when asked', async () => {
    renderDetail();
    await screen.findByTestId('detail-name');
    await fireEvent.click(screen.getByTestId('reveal-button'));
    await waitFor(() => expect(screen.getByTestId('secret-value')).toHaveTextContent(SECRET));
    await fireEvent.click(screen.getByTestId('reveal-button'));
    expect(screen.getByTestId('secret-value')).not.toHaveTextContent(SECRET);
  });

  it('copies through the backend and says when the clipboard clears', async () => {
    const { backend } = renderDetail({ ...DEFAULT_SETTINGS, clipboard_clear_secs: 20 });
    await screen.findByTestId('detail-name');
    vi.useFakeTimers();

    await fireEvent.click(screen.getByTestId('copy-button'));
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByTestId('copy-status')).toHaveTextContent('Copied — clears in 20 s');
    expect(backend.clipboard).toBe(SECRET);
    // The secret itself never reaches the DOM for a copy.
    expect(document.body).not.toHaveTextContent(SECRET);

    await vi.advanceTimersByTimeAsync(20_000);
    expect(screen.queryByTestId('copy-status')).toBeNull();
  });

  it('deletes only after the second, explicit step', async () => {
    const { props } = renderDetail();
    await screen.findByTestId('detail-name');
    expect(screen.queryByTestId('confirm-delete')).toBeNull();

    await fireEvent.click(screen.getByTestId('delete-button'));
    expect(props.onDelete).not.toHaveBeenCalled();
    const confirm = screen.getByTestId('confirm-delete');
    expect(confirm).toHaveTextContent("Delete 'deploy bot'");

    await fireEvent.click(screen.getByTestId('cancel-delete'));
    expect(screen.queryByTestId('confirm-delete')).toBeNull();
    expect(props.onDelete).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('delete-button'));
    await fireEvent.click(screen.getByTestId('confirm-delete'));
    expect(props.onDelete).toHaveBeenCalledOnce();
  });

  it('shows usages and history from the backend', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [{ name: 'ci' }] });
    await backend.addToken({
      name: 'with history',
      provider: 'github',
      kind: 'api_key',
      secret: 's3cret-value',
      expires_at: null,
      account: null,
      environment: null,
      scopes: [],
      tags: [],
      notes: null,
      url: null,
    });
    const [, added] = await backend.listTokens();
    show(backend, added?.id ?? '');
    expect(await screen.findByTestId('detail-history')).toHaveTextContent('token added');
    expect(screen.getByTestId('detail-expires')).toHaveTextContent('Never expires');
  });
});

describe('TokenDetail verify', () => {
  function renderFor(
    provider: string,
    checkedProviders: string[] = [],
    apiEnv: Record<string, string> = {},
  ) {
    const backend = new FakeBackend({ locked: false, tokens: [], checkedProviders, apiEnv });
    const token = backend.seed({
      name: 'deploy bot',
      provider,
      secret: SECRET,
      expires_at: daysFromNow(6),
    });
    return { backend, token, props: show(backend, token.id) };
  }

  const verifies = (backend: FakeBackend) =>
    backend.log.filter((c) => c.method === 'verifyToken').length;

  it('asks once per provider before the first check, quoting what the check does', async () => {
    const { backend } = renderFor('github');
    await fireEvent.click(await screen.findByTestId('verify-button'));

    const dialog = screen.getByRole('dialog', { name: 'Check this token at GitHub?' });
    expect(dialog).toHaveTextContent('This check will: send one GET /user request');
    expect(dialog).toHaveTextContent('https://api.github.com');
    expect(verifies(backend)).toBe(0);

    await fireEvent.click(screen.getByTestId('confirm-no'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(verifies(backend)).toBe(0);

    await fireEvent.click(screen.getByTestId('verify-button'));
    await fireEvent.click(screen.getByTestId('verify-confirm'));
    expect(await screen.findByTestId('verify-result')).toHaveTextContent('Valid');
    expect(verifies(backend)).toBe(1);

    // Checked before now: the next check goes straight through.
    await fireEvent.click(screen.getByTestId('verify-button'));
    await waitFor(() => expect(verifies(backend)).toBe(2));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('names the host the first check contacts, not the usual one, when an override is in effect', async () => {
    renderFor('github', [], { github: 'http://127.0.0.1:8123/github' });
    await fireEvent.click(await screen.findByTestId('verify-button'));
    const dialog = screen.getByRole('dialog', { name: 'Check this token at GitHub?' });
    expect(within(dialog).getByTestId('api-destination')).toHaveTextContent('127.0.0.1:8123');
    expect(within(dialog).getByTestId('api-destination-warning')).toHaveTextContent(
      "This is not GitHub's own address (api.github.com)",
    );
  });

  it('gives no override warning in the consent when the usual address is used', async () => {
    renderFor('github');
    await fireEvent.click(await screen.findByTestId('verify-button'));
    const dialog = screen.getByRole('dialog', { name: 'Check this token at GitHub?' });
    expect(within(dialog).getByTestId('api-destination')).toHaveTextContent('api.github.com');
    expect(within(dialog).queryByTestId('api-destination-warning')).toBeNull();
  });

  it('shows owner, scopes with the dangerous ones flagged, and last use', async () => {
    const { backend } = renderFor('github', ['github']);
    backend.remote.set(SECRET, {
      owner: 'octo-admin',
      scopes: ['repo', 'delete_repo'],
      last_used_at: daysFromNow(-3),
    });
    await fireEvent.click(await screen.findByTestId('verify-button'));
    const result = await screen.findByTestId('verify-result');
    expect(result).toHaveTextContent('Valid — GitHub accepts this token.');
    expect(screen.getByTestId('verify-owner')).toHaveTextContent('octo-admin');
    const dangerous = within(screen.getByTestId('verify-scopes')).getByText(/delete_repo/);
    expect(dangerous).toHaveClass('dangerous');
    expect(dangerous).toHaveTextContent('(dangerous)');
    expect(screen.getByTestId('verify-dangerous')).toHaveTextContent('delete_repo');
    expect(screen.getByTestId('verify-last-used')).toHaveTextContent('3 days ago');
  });

  it('says plainly when the provider refuses the token', async () => {
    const { backend } = renderFor('github', ['github']);
    backend.remote.set(SECRET, { valid: false });
    await fireEvent.click(await screen.findByTestId('verify-button'));
    expect(await screen.findByTestId('verify-result')).toHaveTextContent(
      'Not valid — GitHub refuses this token.',
    );
  });

  it('tells when the provider’s expiry differs and uses it from now on', async () => {
    const { backend, props } = renderFor('github', ['github']);
    backend.remote.set(SECRET, { expires_at: daysFromNow(3) });
    await fireEvent.click(await screen.findByTestId('verify-button'));
    const notice = await screen.findByTestId('expiry-differs');
    expect(notice).toHaveTextContent(
      `The provider says the expiry is ${exactTime(daysFromNow(3))}; you had ${exactTime(daysFromNow(6))}. Tokenwarden now uses the provider's date.`,
    );
    expect(screen.getByTestId('token-countdown')).toHaveTextContent('expires in 3 days');
    expect(props.onChanged).toHaveBeenCalledWith(
      expect.objectContaining({ expires_at: daysFromNow(3) }),
    );
  });

  it('shows a provider error as given, with a retry', async () => {
    const { backend } = renderFor('github', ['github']);
    backend.providerErrors.set(
      'github',
      new BackendError('provider_rate_limited', 'GitHub asks to wait 60 s before the next check.'),
    );
    await fireEvent.click(await screen.findByTestId('verify-button'));
    const error = await screen.findByTestId('verify-error');
    expect(error).toHaveAttribute('role', 'alert');
    expect(error).toHaveTextContent('GitHub asks to wait 60 s before the next check.');

    backend.providerErrors.delete('github');
    await fireEvent.click(screen.getByTestId('verify-retry'));
    expect(await screen.findByTestId('verify-result')).toHaveTextContent('Valid');
    expect(screen.queryByTestId('verify-error')).toBeNull();
  });

  it('offers no Verify where the provider has no check API, but Rotate and Revoke', async () => {
    const { props } = renderFor('stripe');
    await screen.findByTestId('detail-name');
    await waitFor(() => expect(screen.getByTestId('rotate-button')).toBeInTheDocument());
    expect(screen.queryByTestId('verify-button')).toBeNull();
    await fireEvent.click(screen.getByTestId('rotate-button'));
    expect(props.onRotate).toHaveBeenCalledOnce();
    await fireEvent.click(screen.getByTestId('revoke-button'));
    expect(props.onRevoke).toHaveBeenCalledOnce();
  });
});
