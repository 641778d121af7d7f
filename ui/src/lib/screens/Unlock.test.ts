// The lock screen: a wrong password says so and nothing else; the keyring button when set up.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
      // WebKit looks a face up once per size: every text size the theme defines is laid out, at
      // every weight the screens use, in both families.
      const css = readFileSync(join(process.cwd(), 'src/app.css'), 'utf8');
      const sizes = [...css.matchAll(/^\s*(--text-[a-z]+):/gm)].map((m) => `var(${m[1]})`);
      expect(sizes.length).toBeGreaterThan(3);
      for (const size of sizes) {
        for (const weight of ['400', '500', '600', '700']) {
          const laidOut = (tag: string) =>
            [...faces.querySelectorAll<HTMLElement>(tag)].some(
              (e) => e.style.fontSize === size && e.style.fontWeight === weight,
            );
          expect(laidOut('span'), `${size} ${weight}`).toBe(true);
          expect(laidOut('code'), `${size} ${weight} mono`).toBe(true);
        }
      }
    } finally {
      raf.mockRestore();
    }
  });

  it('names no font the desktop may lack before its own system-ui and generic families', () => {
    // Each family WebKit asks fontconfig for and does not find costs a full match, for every
    // size and weight a screen uses (40 ms of the unlock of a full vault, before).
    const css = readFileSync(join(process.cwd(), 'src/app.css'), 'utf8');
    const stack = (name: string) =>
      new RegExp(`${name}:\\s*([^;]+);`).exec(css)?.[1]?.replace(/\s+/g, ' ').trim();
    expect(stack('--font-sans')).toBe('system-ui, sans-serif');
    expect(stack('--font-mono')).toBe('ui-monospace, monospace');
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
