// The lock screen: a wrong password says so and nothing else; the keyring button when set up.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { FakeBackend } from '../backend/fake';
import { testContext } from '../testing';
import Unlock from './Unlock.svelte';

const PASSWORD = 'correct horse battery';

function renderUnlock(keyring = false) {
  const backend = new FakeBackend({ exists: true, password: PASSWORD, keyringSlot: keyring });
  const onUnlocked = vi.fn();
  render(Unlock, { props: { keyring, onUnlocked }, context: testContext(backend) });
  return { backend, onUnlocked };
}

async function submit(password: string) {
  const field = screen.getByTestId('unlock-password');
  await fireEvent.input(field, { target: { value: password } });
  await fireEvent.submit(field.closest('form') as HTMLFormElement);
}

describe('Unlock', () => {
  it('focuses the password field and hides the keyring button without a slot', async () => {
    renderUnlock();
    await waitFor(() => expect(screen.getByTestId('unlock-password')).toHaveFocus());
    expect(screen.queryByTestId('unlock-keyring')).toBeNull();
  });

  it('lays out the faces of the unlocked screen unseen, only after its own first frame', async () => {
    let frame: FrameRequestCallback | undefined;
    const raf = vi.spyOn(window, 'requestAnimationFrame').mockImplementation((callback) => {
      frame = callback;
      return 1;
    });
    try {
      renderUnlock();
      await tick();
      // Mounted and about to paint: the faces are not part of that paint.
      expect(screen.queryByTestId('unlock-font-faces')).toBeNull();
      frame?.(performance.now());
      const faces = await screen.findByTestId('unlock-font-faces');
      expect(faces).toHaveAttribute('aria-hidden', 'true');
      expect(faces.querySelector('svg text')).not.toBeNull();
    } finally {
      raf.mockRestore();
    }
  });

  it('says the password is wrong, shakes, and stays locked', async () => {
    const { backend, onUnlocked } = renderUnlock();
    await submit('not it');

    const error = await screen.findByTestId('unlock-error');
    expect(error).toHaveTextContent('Wrong password');
    await waitFor(() => expect(error.closest('form')).toHaveClass('shake'));
    expect(onUnlocked).not.toHaveBeenCalled();
    expect(backend.status.locked).toBe(true);
  });

  it('unlocks with the right password (Enter submits the form)', async () => {
    const { backend, onUnlocked } = renderUnlock();
    await submit(PASSWORD);

    await waitFor(() => expect(onUnlocked).toHaveBeenCalledOnce());
    expect(backend.status.locked).toBe(false);
    expect(screen.queryByTestId('unlock-error')).toBeNull();
  });

  it('unlocks with the OS keyring when a slot exists', async () => {
    const { backend, onUnlocked } = renderUnlock(true);
    await fireEvent.click(screen.getByTestId('unlock-keyring'));

    await waitFor(() => expect(onUnlocked).toHaveBeenCalledOnce());
    expect(backend.log.map((c) => c.method)).toContain('unlockWithKeyring');
  });
});
