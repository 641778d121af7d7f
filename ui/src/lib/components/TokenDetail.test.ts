// The detail pane: masked secret, Reveal that hides itself after 10 s, Copy's clearing notice,
// and Delete that needs a second, explicit step.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../backend';
import { FAKE_NOW, FakeBackend } from '../backend/fake';
import { daysFromNow, testContext } from '../testing';
import TokenDetail from './TokenDetail.svelte';

const SECRET = 'ghp_0123456789abcdefa1B2';

function renderDetail(settings = DEFAULT_SETTINGS) {
  const backend = new FakeBackend({ locked: false, tokens: [], settings });
  const token = backend.seed({
    name: 'deploy bot',
    provider: 'github',
    secret: SECRET,
    scopes: ['repo'],
    expires_at: daysFromNow(6),
  });
  const props = {
    id: token.id,
    now: Date.parse(FAKE_NOW),
    thresholds: settings,
    onEdit: vi.fn(),
    onArchive: vi.fn(() => Promise.resolve()),
    onDelete: vi.fn(() => Promise.resolve()),
    onBack: vi.fn(),
    onRotate: vi.fn(),
    onRevoke: vi.fn(),
    onChanged: vi.fn(),
  };
  render(TokenDetail, { props, context: testContext(backend) });
  return { backend, token, props };
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
    expect(screen.getByTestId('detail-expires')).toHaveTextContent('21 Jan 2026');
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
    render(TokenDetail, {
      props: {
        id: added?.id ?? '',
        now: Date.parse(FAKE_NOW),
        thresholds: DEFAULT_SETTINGS,
        onEdit: vi.fn(),
        onArchive: vi.fn(),
        onDelete: vi.fn(),
        onBack: vi.fn(),
        onRotate: vi.fn(),
        onRevoke: vi.fn(),
        onChanged: vi.fn(),
      },
      context: testContext(backend),
    });
    expect(await screen.findByTestId('detail-history')).toHaveTextContent('token added');
    expect(screen.getByTestId('detail-expires')).toHaveTextContent('Never expires');
  });
});
