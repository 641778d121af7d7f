// The rotation wizard against the fake backend, whose steps answer the step each action leads to
// unless a test scripts otherwise: a guided walk, an API walk, resuming at the step the backend
// holds, aborting, refusals shown, and the confirmations before irreversible steps.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { BackendError, type RotationAction } from '../backend';
import { FakeBackend, type FakeSeed } from '../backend/fake';
import { testContext } from '../testing';
import RotationWizard from './RotationWizard.svelte';

const OLD = 'ghp_0123456789abcdefghijklmnopqrstuvwxyz';
const NEW = 'ghp_brandnewbrandnewbrandnewbrandnewZZ99';

function setup(seed: FakeSeed, options: { usages?: number; checked?: string[] } = {}) {
  const backend = new FakeBackend({
    locked: false,
    tokens: [seed],
    usages: Array.from({ length: options.usages ?? 0 }, (_, i) => ({
      token_id: 'tok-1',
      kind: 'ci_secret',
      location: `acme/repo-${i + 1}`,
      notes: null,
      created_at: '2026-01-01T00:00:00Z',
      last_confirmed_at: null,
    })),
    checkedProviders: options.checked ?? [],
  });
  return backend;
}

function open(backend: FakeBackend) {
  const onClose = vi.fn();
  render(RotationWizard, { props: { tokenId: 'tok-1', onClose }, context: testContext(backend) });
  return { onClose };
}

const click = (testId: string) => fireEvent.click(screen.getByTestId(testId));
/** Waits for the element first: the step it belongs to may still be loading. */
const press = async (testId: string) => fireEvent.click(await screen.findByTestId(testId));
const atStep = (step: string) => screen.findByTestId(`rotation-step-${step}`);
/** The actions the wizard sent to the backend, in order. */
const sentActions = (backend: FakeBackend) =>
  backend.log.filter((c) => c.method === 'rotationStep').map((c) => c.args[1] as RotationAction);

/** In the wizard: chooses the guided way, pastes the new token and stores it. */
async function storeGuided(secret = NEW) {
  await press('rotation-method-guided');
  await fireEvent.input(await screen.findByTestId('rotation-new-secret'), {
    target: { value: secret },
  });
  await click('rotation-store');
  await atStep('new_stored');
}

/** Behind the wizard's back: a guided rotation of tok-1 already taken to `promoted`. */
async function promotedInBackend(backend: FakeBackend) {
  const rotation = await backend.rotationStart('tok-1', 'guided');
  for (const action of [
    { action: 'store_secret' as const, secret: NEW, expires_at: null },
    { action: 'confirm_works' as const },
    { action: 'consumers_done' as const },
    { action: 'promote' as const },
  ]) {
    await backend.rotationStep(rotation.id, action);
  }
}

describe('RotationWizard guided', () => {
  it('walks a full guided rotation, confirming each irreversible step', async () => {
    const backend = setup(
      { name: 'deploy bot', provider: 'github', secret: OLD },
      { usages: 2, checked: ['github'] },
    );
    const { onClose } = open(backend);
    expect(await atStep('choose')).toBeInTheDocument();
    // GitHub has no rotation API: only the guided way is offered.
    expect(screen.queryByTestId('rotation-method-api')).toBeNull();
    await click('rotation-method-guided');

    expect(await atStep('started')).toHaveTextContent('Generate a new token');
    await click('rotation-open-page');
    await waitFor(() => expect(backend.opened).toEqual([{ provider: 'github', page: 'create' }]));
    const field = screen.getByTestId('rotation-new-secret');
    expect(field).toHaveAttribute('type', 'password');
    await waitFor(() => expect(field).toHaveFocus());
    await fireEvent.input(field, { target: { value: NEW } });
    await fireEvent.input(screen.getByTestId('rotation-new-expiry'), {
      target: { value: '2026-04-15' },
    });
    await click('rotation-store');

    expect(await atStep('new_stored')).toHaveTextContent('ghp_…ZZ99');
    expect(document.body).not.toHaveTextContent(NEW);
    await click('rotation-verify');

    expect(await atStep('verified')).toHaveTextContent('GitHub accepts the new token');
    const done = screen.getByTestId('rotation-consumers-done');
    expect(done).toBeDisabled();
    await click('consumer-use-1');
    await click('consumer-use-2');
    await waitFor(() => expect(done).toBeEnabled());
    await click('rotation-consumers-done');

    await atStep('consumers_updated');
    await click('rotation-promote');
    expect(screen.getByRole('dialog', { name: 'Make the new token active?' })).toHaveTextContent(
      'The new token becomes active',
    );
    await click('confirm-yes');

    expect(await atStep('promoted')).toHaveTextContent('choose Delete');
    await click('rotation-revoke-api');
    expect(screen.getByRole('dialog', { name: 'Revoke the old token?' })).toHaveTextContent(
      'cannot be undone',
    );
    await click('confirm-yes');

    await atStep('old_revoked');
    await click('rotation-finish');
    expect(await screen.findByTestId('rotation-complete')).toHaveTextContent('ghp_…ZZ99');

    expect(sentActions(backend)).toEqual([
      { action: 'store_secret', secret: NEW, expires_at: '2026-04-15T00:00:00.000Z' },
      { action: 'verify' },
      { action: 'tick', usage_id: 'use-1', done: true },
      { action: 'tick', usage_id: 'use-2', done: true },
      { action: 'consumers_done' },
      { action: 'promote' },
      { action: 'revoke_old', how: 'api' },
      { action: 'finish' },
    ]);
    await click('rotation-close');
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('asks before the first check at the provider, then verifies', async () => {
    const backend = setup({ name: 'deploy bot', provider: 'github', secret: OLD });
    open(backend);
    await storeGuided();
    await click('rotation-verify');
    expect(screen.getByTestId('confirm-dialog')).toHaveTextContent(
      'This check will: send one GET /user request',
    );
    await click('verify-confirm');
    await atStep('verified');
  });

  it('shows why the provider refuses the new token and stays at the step', async () => {
    const backend = setup(
      { name: 'deploy bot', provider: 'github', secret: OLD },
      { checked: ['github'] },
    );
    open(backend);
    await storeGuided();
    backend.failNext.rotationStep = new BackendError(
      'invalid_input',
      'GitHub does not accept the new token: paste the right one or abort the rotation',
    );
    await click('rotation-verify');
    expect(await screen.findByTestId('rotation-error')).toHaveTextContent(
      'GitHub does not accept the new token',
    );
    expect(screen.getByTestId('rotation-step-new_stored')).toBeInTheDocument();
  });

  it('lets the person vouch where there is no check API, and handles no recorded places', async () => {
    const backend = setup({ name: 'billing', provider: 'stripe', secret: 'sk_live_old1' });
    open(backend);
    await storeGuided('sk_live_new2');
    expect(screen.queryByTestId('rotation-verify')).toBeNull();
    await click('rotation-confirm-works');

    await atStep('verified');
    expect(screen.getByTestId('consumers-none')).toHaveTextContent('No places are recorded');
    await click('rotation-consumers-done');
    await atStep('consumers_updated');
    await click('rotation-promote');
    await click('confirm-yes');

    await atStep('promoted');
    expect(screen.queryByTestId('rotation-revoke-api')).toBeNull();
    await click('rotation-revoke-later');
    expect(await atStep('old_manual')).toHaveTextContent('revoke by hand');
    await click('rotation-finish');
    await screen.findByTestId('rotation-complete');
    const old = (await backend.getToken('tok-1')).token;
    expect(old.status).toBe('rotating');
  });

  it('records a revocation done by hand at the provider', async () => {
    const backend = setup({ name: 'deploy bot', provider: 'github', secret: OLD });
    await promotedInBackend(backend);
    open(backend);
    await atStep('promoted');
    await click('rotation-open-page');
    await waitFor(() => expect(backend.opened).toEqual([{ provider: 'github', page: 'revoke' }]));
    await click('rotation-revoke-confirmed');
    await atStep('old_revoked');
    expect((await backend.getToken('tok-1')).token).toMatchObject({
      status: 'revoked',
      revoke_method: 'confirmed',
    });
  });
});

describe('RotationWizard API', () => {
  it('asks GitLab for a new token after saying the old one stops working, then continues', async () => {
    const backend = setup(
      { name: 'release', provider: 'gitlab', secret: 'glpat-oldoldold1' },
      { checked: ['gitlab'] },
    );
    // GitLab answers the API rotation by killing the old token itself.
    backend.answers.rotationStep.next({ old_invalidated: true });
    open(backend);
    await press('rotation-method-api');
    expect(await atStep('started')).toHaveTextContent('The old token stops working at once');

    await click('rotation-api-rotate');
    const confirm = screen.getByRole('dialog', { name: 'Ask GitLab for a new token?' });
    expect(confirm).toHaveTextContent('The old token stops working immediately');
    // Destructive: the safe choice has focus.
    await waitFor(() => expect(screen.getByTestId('confirm-no')).toHaveFocus());
    await click('confirm-yes');

    expect(await atStep('new_stored')).toHaveTextContent('already invalidated the old token');
    await click('rotation-verify');
    await atStep('verified');
    await click('rotation-consumers-done');
    await atStep('consumers_updated');
    await click('rotation-promote');
    await click('confirm-yes');

    expect(await atStep('promoted')).toHaveTextContent('invalidated the old token');
    await click('rotation-revoke-api');
    await atStep('old_revoked');
    expect(sentActions(backend).at(-1)).toEqual({ action: 'revoke_old', how: 'api' });
    await click('rotation-finish');
    await screen.findByTestId('rotation-complete');
  });

  it('shows a provider failure and lets the person try again', async () => {
    const backend = setup({ name: 'release', provider: 'gitlab', secret: 'glpat-oldoldold1' });
    open(backend);
    await press('rotation-method-api');
    await atStep('started');
    backend.failNext.rotationStep = new BackendError('provider_offline', 'GitLab is offline.');
    await click('rotation-api-rotate');
    await click('confirm-yes');
    expect(await screen.findByTestId('rotation-error')).toHaveTextContent('GitLab is offline.');
    expect(screen.getByTestId('rotation-step-started')).toBeInTheDocument();
    await click('rotation-api-rotate');
    await click('confirm-yes');
    await atStep('new_stored');
  });
});

describe('RotationWizard resume and abort', () => {
  it('resumes an unfinished rotation at the step the backend holds', async () => {
    const backend = setup({ name: 'deploy bot', provider: 'github', secret: OLD }, { usages: 1 });
    const rotation = await backend.rotationStart('tok-1', 'guided');
    await backend.rotationStep(rotation.id, {
      action: 'store_secret',
      secret: NEW,
      expires_at: null,
    });
    await backend.rotationStep(rotation.id, { action: 'confirm_works' });
    await backend.rotationStep(rotation.id, { action: 'tick', usage_id: 'use-1', done: true });

    open(backend);
    expect(await atStep('verified')).toBeInTheDocument();
    expect(screen.getByTestId('consumer-use-1')).toBeChecked();
    expect(screen.getByRole('listitem', { current: 'step' })).toHaveTextContent('Consumers');
    expect(backend.log.filter((c) => c.method === 'rotationStart')).toHaveLength(1);
  });

  it('aborts before promotion after a confirmation, leaving the old token as it was', async () => {
    const backend = setup({ name: 'deploy bot', provider: 'github', secret: OLD });
    open(backend);
    await storeGuided();

    await click('rotation-abort');
    await click('confirm-no');
    expect(screen.getByTestId('rotation-step-new_stored')).toBeInTheDocument();

    await click('rotation-abort');
    expect(screen.getByRole('dialog', { name: 'Abort this rotation?' })).toHaveTextContent(
      'the old one stays exactly as it is',
    );
    await click('confirm-yes');
    expect(await screen.findByTestId('rotation-aborted')).toBeInTheDocument();
    await expect(backend.rotationFor('tok-1')).resolves.toBeNull();
    await expect(backend.revealSecret('tok-1')).resolves.toBe(OLD);
  });

  it('offers no abort once the new token is active', async () => {
    const backend = setup({ name: 'deploy bot', provider: 'github', secret: OLD });
    await promotedInBackend(backend);
    open(backend);
    await atStep('promoted');
    expect(screen.queryByTestId('rotation-abort')).toBeNull();
  });

  it('closes with Escape and keeps the rotation open', async () => {
    const backend = setup({ name: 'deploy bot', provider: 'github', secret: OLD });
    const { onClose } = open(backend);
    await press('rotation-method-guided');
    const field = await screen.findByTestId('rotation-new-secret');
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledOnce();
    await expect(backend.rotationFor('tok-1')).resolves.toMatchObject({ step: 'started' });
  });
});
