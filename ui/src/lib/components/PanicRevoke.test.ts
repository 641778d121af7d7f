// Panic revoke: pick tokens (one by one or a whole provider), one confirmation, then a result
// per token as the backend answers it (scripted here), with the ones to revoke by hand as a checklist.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { FakeBackend } from '../backend/fake';
import { testContext } from '../testing';
import PanicRevoke from './PanicRevoke.svelte';

async function open() {
  const backend = new FakeBackend({
    locked: false,
    tokens: [
      { name: 'deploy bot', provider: 'github', secret: 'ghp_aaaaaaaaaaaa1111' },
      { name: 'ci reader', provider: 'github', secret: 'ghp_bbbbbbbbbbbb2222' },
      { name: 'release', provider: 'gitlab', secret: 'glpat-cccccccc3333' },
      { name: 'billing', provider: 'stripe', secret: 'sk_live_dddd4444' },
      { name: 'gone', provider: 'github', status: 'revoked' },
    ],
  });
  const tokens = await backend.listTokens();
  const onChanged = vi.fn();
  const onClose = vi.fn();
  render(PanicRevoke, { props: { tokens, onChanged, onClose }, context: testContext(backend) });
  return { backend, onChanged, onClose };
}

const click = (testId: string) => fireEvent.click(screen.getByTestId(testId));

describe('PanicRevoke', () => {
  it('lists live tokens only and selects a whole provider at once', async () => {
    await open();
    await screen.findByTestId('panic-select-tok-1');
    expect(screen.queryByTestId('panic-select-tok-5')).toBeNull();
    expect(screen.getByTestId('panic-go')).toBeDisabled();

    await fireEvent.change(screen.getByTestId('panic-provider'), { target: { value: 'github' } });
    expect(screen.getByTestId('panic-select-tok-1')).toBeChecked();
    expect(screen.getByTestId('panic-select-tok-2')).toBeChecked();
    expect(screen.getByTestId('panic-select-tok-3')).not.toBeChecked();
    expect(screen.getByTestId('panic-go')).toHaveTextContent('Revoke 2 tokens…');
  });

  it('revokes after one confirmation and shows each outcome, the rest as a checklist', async () => {
    const { backend, onChanged } = await open();
    // The two GitHub tokens are revoked (the default); GitLab fails, Stripe has no API.
    backend.answers.panicRevoke.next({
      'tok-3': {
        outcome: 'failed',
        method: null,
        error: { code: 'provider_offline', message: 'GitLab is unreachable.' },
      },
      'tok-4': { outcome: 'needs_manual', method: null },
    });
    await click('panic-select-all');
    await click('panic-go');
    const confirm = screen.getByRole('dialog', { name: 'Revoke 4 tokens now?' });
    expect(confirm).toHaveTextContent('API revocation is immediate and cannot be undone.');
    expect(backend.log.some((c) => c.method === 'panicRevoke')).toBe(false);
    await click('panic-confirm');

    expect(await screen.findByTestId('panic-summary')).toHaveTextContent(
      '2 revoked · 1 failed · 1 to revoke by hand',
    );
    expect(onChanged).toHaveBeenCalled();
    expect(screen.getByTestId('panic-result-tok-1')).toHaveTextContent('Revoked');
    expect(screen.getByTestId('panic-result-tok-3')).toHaveTextContent(
      'Failed: GitLab is unreachable.',
    );
    expect(screen.getByTestId('panic-result-tok-4')).toHaveTextContent('Revoke it by hand');
    expect(screen.queryByTestId('panic-manual-tok-1')).toBeNull();

    const manual = screen.getByTestId('panic-manual-tok-4');
    await fireEvent.click(within(manual).getByRole('button', { name: /Open provider page/ }));
    await waitFor(() => expect(backend.opened).toEqual([{ provider: 'stripe', page: 'revoke' }]));
    await fireEvent.click(within(manual).getByRole('button', { name: 'I revoked it' }));
    await waitFor(() =>
      expect(screen.getByTestId('panic-result-tok-4')).toHaveTextContent('Revoked by hand'),
    );
    expect(screen.queryByTestId('panic-manual-tok-4')).toBeNull();
    expect(backend.log.find((c) => c.method === 'revokeToken')?.args).toEqual([
      'tok-4',
      'confirmed',
      false,
    ]);
    expect((await backend.getToken('tok-4')).token.status).toBe('revoked');
    // The failed one can be done by hand too.
    expect(screen.getByTestId('panic-manual-tok-3')).toBeInTheDocument();
  });

  it('shows progress while revoking', async () => {
    const { backend } = await open();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = backend.panicRevoke.bind(backend);
    backend.panicRevoke = async (ids) => {
      await gate;
      return real(ids);
    };
    await fireEvent.click(await screen.findByTestId('panic-select-tok-1'));
    await click('panic-go');
    await click('panic-confirm');
    expect(await screen.findByTestId('panic-progress')).toHaveTextContent('Revoking 1 token…');
    release();
    await screen.findByTestId('panic-summary');
  });

  it('backs out of the confirmation without revoking anything', async () => {
    const { backend, onClose } = await open();
    await fireEvent.click(await screen.findByTestId('panic-select-tok-3'));
    await click('panic-go');
    await click('confirm-no');
    expect(screen.getByTestId('panic-select-tok-3')).toBeChecked();
    await click('panic-cancel');
    expect(onClose).toHaveBeenCalledOnce();
    expect(backend.log.some((c) => c.method === 'panicRevoke')).toBe(false);
  });
});
