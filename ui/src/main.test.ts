// The entry point: index.html's lock-screen frame is painted before the app is imported (a frame
// callback, then a task), a window that paints no frame still starts, and an app that cannot be
// loaded says so in place of "Opening…".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const booted = vi.fn();
let bootFails = false;

let frames: FrameRequestCallback[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  vi.resetModules();
  booted.mockClear();
  bootFails = false;
  // Registered anew for each test (after the reset), so each test's import runs it again.
  vi.doMock('./boot', () => {
    booted();
    if (bootFails) throw new Error('chunk missing');
    return {};
  });
  frames = [];
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
  document.body.innerHTML =
    '<div id="app"><main class="gate"><p class="gate-status" aria-busy="true">Opening…</p></main></div>';
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Runs the frame callbacks asked for so far, as the browser does just before it paints. */
function paint() {
  const now = frames;
  frames = [];
  for (const callback of now) callback(performance.now());
}

describe('main.ts', () => {
  it('imports the app only after the next paint', async () => {
    await import('./main');
    await vi.advanceTimersByTimeAsync(0);
    expect(booted).not.toHaveBeenCalled();
    paint();
    // The task queued from the frame callback runs after the paint.
    expect(booted).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(booted).toHaveBeenCalledTimes(1);
    // The fallback timer does not start it a second time.
    await vi.advanceTimersByTimeAsync(1000);
    expect(booted).toHaveBeenCalledTimes(1);
  });

  it('starts a window that paints no frame (hidden when it starts) after 100 ms', async () => {
    await import('./main');
    await vi.advanceTimersByTimeAsync(99);
    expect(booted).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(booted).toHaveBeenCalledTimes(1);
  });

  it('says the app could not start instead of "Opening…" forever', async () => {
    bootFails = true;
    await import('./main');
    paint();
    await vi.advanceTimersByTimeAsync(0);
    await vi.waitFor(() =>
      expect(document.querySelector('.gate-status')).toHaveTextContent(/could not start/),
    );
    expect(document.querySelector('.gate-status')).not.toHaveAttribute('aria-busy');
  });
});
