// The status view shows each vault state the fake backend can report.
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { backendContext, BackendError } from './backend';
import { FAKE_VAULT_DIR, FakeBackend } from './backend/fake';
import VaultStatusView from './VaultStatusView.svelte';
import App from '../App.svelte';

const KDF = { memory_kib: 65536, iterations: 3, parallelism: 4 };

function renderWith(backend: FakeBackend) {
  return render(VaultStatusView, { context: backendContext(backend) });
}

describe('VaultStatusView', () => {
  it('says there is no vault yet and how to create one', async () => {
    renderWith(new FakeBackend({ exists: false }));

    expect(await screen.findByTestId('vault-state')).toHaveTextContent(
      'No vault yet — create one with tokenwarden-cli init',
    );
    expect(screen.getByTestId('vault-dir')).toHaveTextContent(FAKE_VAULT_DIR);
    expect(screen.queryByTestId('vault-keyring')).toBeNull();
  });

  it('shows an existing vault as locked without keyring unlock', async () => {
    renderWith(new FakeBackend({ exists: true, keyring_slot: false, kdf: KDF }));

    expect(await screen.findByTestId('vault-state')).toHaveTextContent('Locked');
    expect(screen.getByTestId('vault-keyring')).toHaveTextContent('not set up');
    expect(screen.getByTestId('vault-kdf')).toHaveTextContent('64 MiB, 3 passes, 4 lanes');
    expect(screen.getByTestId('vault-dir')).toHaveTextContent(FAKE_VAULT_DIR);
  });

  it('shows that OS keyring unlock is set up', async () => {
    renderWith(new FakeBackend({ exists: true, keyring_slot: true, kdf: KDF }));

    expect(await screen.findByTestId('vault-state')).toHaveTextContent('Locked');
    expect(screen.getByTestId('vault-keyring')).toHaveTextContent('OS keyring unlock is set up.');
  });

  it('shows the backend error message next to the vault', async () => {
    const backend = new FakeBackend();
    backend.error = new BackendError('corrupt', 'vault.keys is damaged: restore it from a backup');
    renderWith(backend);

    expect(await screen.findByRole('alert')).toHaveTextContent('vault.keys is damaged');
    expect(screen.queryByTestId('vault-state')).toBeNull();
  });
});

describe('App', () => {
  it('shows the product name and asks the backend once', async () => {
    const backend = new FakeBackend();
    render(App, { context: backendContext(backend) });

    expect(screen.getByTestId('app-title')).toHaveTextContent('Tokenwarden');
    await screen.findByTestId('vault-state');
    expect(backend.calls).toBe(1);
  });
});
