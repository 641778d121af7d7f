// Revoking one token each way: through the API (after a confirmation), recorded by hand with a
// check that it now fails, and GitHub's leak report; and what each outcome the backend can answer
// (scripted here) and a refusal look like.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { BackendError, type TokenView } from '../backend';
import { FakeBackend } from '../backend/fake';
import { testContext } from '../testing';
import RevokeDialog from './RevokeDialog.svelte';

const SECRET = 'ghp_0123456789abcdefghijklmnopqrstuvwxyz';

function open(provider: string, checked: string[] = []) {
  const backend = new FakeBackend({ locked: false, tokens: [], checkedProviders: checked });
  const token: TokenView = backend.seed({ name: 'deploy bot', provider, secret: SECRET });
  const onRevoked = vi.fn();
  const onClose = vi.fn();
  render(RevokeDialog, {
    props: { token, onRevoked, onClose },
    context: testContext(backend),
  });
  return { backend, token, onRevoked, onClose };
}

const click = (testId: string) => fireEvent.click(screen.getByTestId(testId));
const status = async (backend: FakeBackend, id: string) => (await backend.getToken(id)).token;

describe('RevokeDialog', () => {
  it('revokes through the API only after a confirmation naming the token', async () => {
    const { backend, token, onRevoked } = open('github', ['github']);
    await fireEvent.click(await screen.findByTestId('revoke-api'));
    expect(screen.getByRole('dialog', { name: "Revoke 'deploy bot' now?" })).toHaveTextContent(
      'cannot be undone',
    );
    await click('confirm-no');
    expect(backend.log.some((c) => c.method === 'revokeToken')).toBe(false);

    await click('revoke-api');
    await click('confirm-yes');
    const result = await screen.findByTestId('revoke-result');
    expect(result).toHaveTextContent("'deploy bot' is revoked through GitHub's API.");
    expect(screen.getByTestId('revoke-reverified')).toHaveTextContent('GitHub now refuses it');
    expect(onRevoked).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'revoked' }));
    expect(await status(backend, token.id)).toMatchObject({
      status: 'revoked',
      revoke_method: 'api',
    });
  });

  it('says an API revocation is unproven when the check after it cannot reach the provider', async () => {
    const { backend, token } = open('github', ['github']);
    // Revoked through the API, but the check afterwards could not reach GitHub.
    backend.answers.revokeToken.next({ outcome: 'revoked', method: 'api', reverified: null });
    await fireEvent.click(await screen.findByTestId('revoke-api'));
    await click('confirm-yes');
    const result = await screen.findByTestId('revoke-result');
    expect(result).toHaveTextContent("'deploy bot' is revoked through GitHub's API.");
    expect(screen.getByTestId('revoke-unproven')).toHaveTextContent('could not reach GitHub');
    expect(screen.queryByTestId('revoke-reverified')).toBeNull();
    expect(await status(backend, token.id)).toMatchObject({
      status: 'revoked',
      revoke_method: 'api',
    });
  });

  it('records a revocation done by hand, checking again when asked', async () => {
    const { backend, token } = open('github', ['github']);
    expect(await screen.findByTestId('revoke-dialog')).toHaveTextContent(
      'Find the token by its name and choose Delete.',
    );
    await click('revoke-open-page');
    await waitFor(() => expect(backend.opened).toEqual([{ provider: 'github', page: 'revoke' }]));
    expect(screen.getByTestId('revoke-reverify')).toBeChecked();
    await click('revoke-confirmed');
    expect(await screen.findByTestId('revoke-result')).toHaveTextContent('is revoked');
    expect(backend.log.find((c) => c.method === 'revokeToken')?.args).toEqual([
      token.id,
      'confirmed',
      true,
    ]);
    expect(await status(backend, token.id)).toMatchObject({ revoke_method: 'confirmed' });
  });

  it('says so when the provider still accepts a token said to be revoked, and records nothing', async () => {
    const { backend, token, onRevoked } = open('github', ['github']);
    backend.answers.revokeToken.next({
      outcome: 'failed',
      method: null,
      reverified: false,
      error: {
        code: 'invalid_input',
        message: "GitHub still accepts 'deploy bot': it is not revoked yet (nothing was recorded)",
      },
    });
    await fireEvent.click(await screen.findByTestId('revoke-confirmed'));
    expect(await screen.findByTestId('revoke-error')).toHaveTextContent(
      "GitHub still accepts 'deploy bot'",
    );
    expect(onRevoked).not.toHaveBeenCalled();
    expect(await status(backend, token.id)).toMatchObject({ status: 'active' });
  });

  it('warns when the provider still accepts a token revoked through its API', async () => {
    const { backend, onRevoked } = open('github', ['github']);
    backend.answers.revokeToken.next({ outcome: 'revoked', method: 'api', reverified: false });
    await fireEvent.click(await screen.findByTestId('revoke-api'));
    await click('confirm-yes');
    expect(await screen.findByTestId('revoke-still-valid')).toHaveTextContent(
      'GitHub still accepts this token',
    );
    expect(screen.queryByTestId('revoke-reverified')).toBeNull();
    expect(onRevoked).toHaveBeenCalledWith(expect.objectContaining({ reverified: false }));
  });

  it('does not check again by default before the first check at a provider', async () => {
    const { backend } = open('github');
    const box = await screen.findByTestId('revoke-reverify');
    expect(box).not.toBeChecked();
    expect(screen.getByTestId('revoke-dialog')).toHaveTextContent('this check will: send one GET');
    await click('revoke-confirmed');
    await screen.findByTestId('revoke-result');
    expect(backend.log.find((c) => c.method === 'revokeToken')?.args.at(-1)).toBe(false);
  });

  it('reports a leaked GitHub token after a confirmation', async () => {
    const { backend, token } = open('github', ['github']);
    await fireEvent.click(await screen.findByTestId('revoke-report-leak'));
    expect(
      screen.getByRole('dialog', { name: 'Report this token as leaked?' }),
    ).toBeInTheDocument();
    await click('confirm-yes');
    expect(await screen.findByTestId('revoke-result')).toHaveTextContent(
      'GitHub took the leak report',
    );
    expect(await status(backend, token.id)).toMatchObject({ revoke_method: 'report_leak' });
  });

  it('offers only the by-hand way where the provider has no API', async () => {
    const { backend, token } = open('stripe');
    await screen.findByTestId('revoke-confirmed');
    expect(screen.queryByTestId('revoke-api')).toBeNull();
    expect(screen.queryByTestId('revoke-report-leak')).toBeNull();
    expect(screen.queryByTestId('revoke-reverify')).toBeNull();
    await click('revoke-confirmed');
    await screen.findByTestId('revoke-result');
    expect(await status(backend, token.id)).toMatchObject({ status: 'revoked' });
  });

  it('shows a provider failure next to the choices, to try again', async () => {
    const { backend } = open('gitlab', ['gitlab']);
    backend.failNext.revokeToken = new BackendError(
      'provider_timeout',
      'GitLab did not answer in 15 s.',
    );
    await fireEvent.click(await screen.findByTestId('revoke-api'));
    await click('confirm-yes');
    expect(await screen.findByTestId('revoke-error')).toHaveTextContent('GitLab did not answer');
    expect(screen.getByTestId('revoke-api')).toBeEnabled();
  });

  it('closes with Escape', async () => {
    const { onClose } = open('github');
    const api = await screen.findByTestId('revoke-api');
    await fireEvent.keyDown(api, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledOnce();
  });
});
