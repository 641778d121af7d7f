// Re-encrypt vault: the password goes to the backend, a wrong one says nothing changed and keeps
// the vault unlocked, an empty one is not sent, and the field is cleared whatever happens.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../backend/fake';
import { testContext } from '../testing';
import RekeyVault from './RekeyVault.svelte';

const PASSWORD = 'correct horse battery';

function renderRekey() {
  const backend = new FakeBackend({ locked: false, tokens: [], password: PASSWORD });
  render(RekeyVault, { context: testContext(backend) });
  return backend;
}

async function submit(password: string) {
  await fireEvent.input(screen.getByTestId('rekey-password'), { target: { value: password } });
  await fireEvent.click(screen.getByTestId('rekey-submit'));
}

describe('RekeyVault', () => {
  it('re-encrypts with the password, says so, and clears the field', async () => {
    const backend = renderRekey();
    await submit(PASSWORD);
    expect(await screen.findByText(/encrypted under a new key/)).toBeInTheDocument();
    expect(backend.log.filter((c) => c.method === 'rekeyVault')).toEqual([
      { method: 'rekeyVault', args: [PASSWORD] },
    ]);
    expect(screen.getByTestId('rekey-password')).toHaveValue('');
    expect(screen.queryByTestId('rekey-error')).not.toBeInTheDocument();
  });

  it('a wrong password says nothing was changed and leaves the vault unlocked', async () => {
    const backend = renderRekey();
    await submit('not the password');
    const error = await screen.findByTestId('rekey-error');
    expect(error).toHaveTextContent('not the vault password; nothing was changed');
    expect(screen.getByTestId('rekey-password')).toHaveValue('');
    expect(screen.getByTestId('rekey-status')).toHaveTextContent('');
    expect((await backend.vaultStatus()).locked).toBe(false);
  });

  it('asks for the password instead of sending an empty one', async () => {
    const backend = renderRekey();
    await fireEvent.click(screen.getByTestId('rekey-submit'));
    expect(await screen.findByTestId('rekey-error')).toHaveTextContent('Enter the vault password');
    expect(backend.log.some((c) => c.method === 'rekeyVault')).toBe(false);
  });
});
