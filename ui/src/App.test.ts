// The app's state machine against the fake backend: setup -> dashboard, unlock -> dashboard (the
// inventory one click away),
// and every way of locking (button, idle timeout, Rust's vault-locked event) drops token state.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { BackendError } from './lib/backend';
import { FakeBackend } from './lib/backend/fake';
import { FixedClock } from './lib/model/clock.svelte';
import { testContext } from './lib/testing';

const PASSWORD = 'correct horse battery';

function renderApp(backend: FakeBackend) {
  render(App, { context: testContext(backend) });
  return backend;
}

async function unlock() {
  const field = await screen.findByTestId('unlock-password');
  await fireEvent.input(field, { target: { value: PASSWORD } });
  await fireEvent.click(screen.getByTestId('unlock-submit'));
  // Unlocking lands on the dashboard; the inventory is one click away.
  await screen.findByTestId('dashboard');
  await fireEvent.click(screen.getByTestId('nav-all'));
  await screen.findAllByTestId('token-row');
}

// The app fetches the unlocked screens' chunk once the lock screen has painted; here its first
// transform can take longer than a query waits, so it is loaded before the tests start.
beforeAll(async () => {
  await import('./lib/screens/Inventory.svelte');
});

afterEach(() => {
  document.documentElement.removeAttribute('data-theme');
  localStorage.clear();
});

describe('App', () => {
  it('draws, while loading, the same frame index.html draws before any script runs', () => {
    const html = readFileSync(join(process.cwd(), 'index.html'), 'utf8');
    const shell = new DOMParser().parseFromString(html, 'text/html').querySelector('#app main');
    const backend = new FakeBackend({ password: PASSWORD });
    backend.vaultStatus = () => new Promise(() => undefined);
    const { container } = render(App, { context: testContext(backend) });
    const drawn = container.querySelector('main');
    // Same elements, classes and text: swapping one for the other changes nothing on screen.
    const outline = (root: Element | null | undefined) =>
      [...(root?.querySelectorAll('*') ?? [])].map(
        (e) => `${e.tagName}.${e.className}:${e.children.length ? '' : e.textContent?.trim()}`,
      );
    expect(shell).not.toBeNull();
    expect(outline(drawn)).toEqual(outline(shell));
    expect(drawn?.className).toBe(shell?.className);
    expect(outline(drawn)).toContain('P.gate-status:Opening…');
  });

  it('starts with setup when there is no vault, then the dashboard, then the empty inventory', async () => {
    renderApp(new FakeBackend({ exists: false }));
    await fireEvent.input(await screen.findByTestId('setup-password'), {
      target: { value: PASSWORD },
    });
    await fireEvent.input(screen.getByTestId('setup-password-confirm'), {
      target: { value: PASSWORD },
    });
    await fireEvent.click(screen.getByTestId('setup-submit'));
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('nav-all'));
    expect(await screen.findByTestId('empty-state')).toBeInTheDocument();
  });

  it('asks for the rows and the health counts as the vault opens, once, before the screen mounts', async () => {
    const backend = new FakeBackend({ password: PASSWORD, tokens: [{ name: 'deploy bot' }] });
    const asked: string[] = [];
    const rows = backend.listTokenRows.bind(backend);
    const summary = backend.healthSummary.bind(backend);
    backend.listTokenRows = () => (asked.push('rows'), rows());
    backend.healthSummary = () => (asked.push('summary'), summary());
    // The settings held back: the unlocked screen cannot mount before they come.
    const settings = backend.getSettings.bind(backend);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    backend.getSettings = () => held.then(settings);
    renderApp(backend);
    await fireEvent.input(await screen.findByTestId('unlock-password'), {
      target: { value: PASSWORD },
    });
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(asked).toEqual(['rows', 'summary']));
    expect(screen.queryByTestId('dashboard')).toBeNull();
    release();
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('nav-all'));
    expect(await screen.findByTestId('token-row')).toHaveTextContent('deploy bot');
    expect(asked).toEqual(['rows', 'summary']);
  });

  it('mounts the unlocked screen once its rows have come, so its first frame holds every token', async () => {
    const backend = new FakeBackend({ password: PASSWORD, tokens: [{ name: 'deploy bot' }] });
    const rows = backend.listTokenRows.bind(backend);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    backend.listTokenRows = () => held.then(rows);
    const settings = backend.getSettings.bind(backend);
    let settingsGiven = false;
    backend.getSettings = () => settings().then((s) => ((settingsGiven = true), s));
    renderApp(backend);
    await fireEvent.input(await screen.findByTestId('unlock-password'), {
      target: { value: PASSWORD },
    });
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    // The settings (and the screens' chunk, loaded before all) came while the rows are held.
    await waitFor(() => expect(settingsGiven).toBe(true));
    // What follows them is promise callbacks and Svelte's flush, all microtasks: drained before a
    // timer's task runs.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.getByTestId('unlock-submit')).toHaveTextContent('Unlocking');
    expect(screen.queryByTestId('dashboard')).toBeNull();
    release();
    const dashboard = await screen.findByTestId('dashboard');
    // Drawn with the rows from the start, never as an empty inventory first.
    expect(dashboard).toBeInTheDocument();
    expect(screen.getByTestId('timeline-summary')).toHaveTextContent('1 with no expiry');
  });

  it('has the web process hand back freed memory after the unlock, each pause in the work and each tick', async () => {
    const backend = new FakeBackend({ password: PASSWORD, tokens: [{ name: 'deploy bot' }] });
    const releases = () => backend.log.filter((call) => call.method === 'releaseMemory').length;
    const pause = { timeout: 4000 };
    const clock = new FixedClock('2026-12-01T10:00:00Z');
    render(App, { context: testContext(backend, clock) });
    await screen.findByTestId('unlock-password');
    // Not while locked, however long the lock screen waits.
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect(releases()).toBe(0);
    await unlock();
    // Not at once (the screen is busy coming in), and only once for the pause that follows.
    expect(releases()).toBe(0);
    await waitFor(() => expect(releases()).toBe(1), pause);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect(releases()).toBe(1);
    // Work (a key, a click) starts the wait again; the pause after it releases once more.
    await fireEvent.keyDown(window, { key: 'ArrowDown' });
    await waitFor(() => expect(releases()).toBe(2), pause);
    // The clock's tick redraws every countdown: the pause after it releases too.
    clock.set('2026-12-01T10:00:30Z');
    await waitFor(() => expect(releases()).toBe(3), pause);
  }, 20000);

  it('lands on the dashboard after unlock, with the inventory one shortcut away', async () => {
    renderApp(new FakeBackend({ password: PASSWORD, tokens: [{ name: 'deploy bot' }] }));
    await fireEvent.input(await screen.findByTestId('unlock-password'), {
      target: { value: PASSWORD },
    });
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
    expect(screen.getByTestId('nav-dashboard')).toHaveAttribute('aria-current', 'page');
    expect(screen.queryByTestId('token-row')).toBeNull();
    await fireEvent.keyDown(window, { key: '2', ctrlKey: true });
    expect(await screen.findByTestId('token-row')).toHaveTextContent('deploy bot');
    await fireEvent.keyDown(window, { key: '1', ctrlKey: true });
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
  });

  it('asks for the password when locked, then shows the tokens', async () => {
    renderApp(new FakeBackend({ password: PASSWORD, tokens: [{ name: 'deploy bot' }] }));
    await unlock();
    expect(screen.getByTestId('token-name')).toHaveTextContent('deploy bot');
    expect(screen.queryByTestId('unlock-password')).toBeNull();
  });

  it('shows the backend error when the vault cannot be read', async () => {
    const backend = new FakeBackend();
    backend.error = new BackendError('corrupt', 'vault.keys is damaged: restore it from a backup');
    renderApp(backend);
    expect(await screen.findByTestId('vault-error')).toHaveTextContent('vault.keys is damaged');
  });

  it('applies the theme from settings to <html>', async () => {
    renderApp(
      new FakeBackend({ password: PASSWORD, tokens: [{ name: 'x' }], settings: { theme: 'dark' } }),
    );
    await unlock();
    expect(document.documentElement.dataset['theme']).toBe('dark');
  });

  it('applies a theme chosen in settings at once', async () => {
    renderApp(new FakeBackend({ password: PASSWORD, tokens: [{ name: 'x' }] }));
    await unlock();
    await fireEvent.click(screen.getByTestId('settings-button'));
    await fireEvent.change(screen.getByTestId('setting-theme'), { target: { value: 'light' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('light'));
    await fireEvent.click(screen.getByTestId('nav-all'));
    expect(screen.getByTestId('token-row')).toBeInTheDocument();
  });

  it('wears the last theme on the lock screen before unlocking', async () => {
    localStorage.setItem('tokenwarden.theme', 'dark');
    renderApp(new FakeBackend({ password: PASSWORD }));
    await screen.findByTestId('unlock-password');
    expect(document.documentElement.dataset['theme']).toBe('dark');
  });

  it('locks with the Lock button and forgets every token', async () => {
    const backend = renderApp(new FakeBackend({ password: PASSWORD, tokens: [{ name: 'a' }] }));
    await unlock();
    await fireEvent.click(screen.getByTestId('token-row'));
    await screen.findByTestId('token-detail');

    await fireEvent.click(screen.getByTestId('lock'));
    expect(await screen.findByTestId('unlock-password')).toBeInTheDocument();
    expect(screen.queryByTestId('token-row')).toBeNull();
    expect(screen.queryByTestId('token-detail')).toBeNull();
    expect(backend.status.locked).toBe(true);
  });

  it('locks once when a call made before Lock answers "locked" after it', async () => {
    const backend = new FakeBackend({ password: PASSWORD, tokens: [{ name: 'a' }], locked: false });
    let answerLate: (error: unknown) => void = () => undefined;
    backend.healthFindings = () => new Promise((_, reject) => (answerLate = reject));
    renderApp(backend);
    await screen.findByTestId('dashboard');
    await fireEvent.click(screen.getByTestId('lock'));
    await screen.findByTestId('unlock-password');
    answerLate(new BackendError('locked', 'Unlock the vault first.'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(backend.log.filter((call) => call.method === 'lock')).toHaveLength(1);
  });

  it('shows Unlock and drops all token state when Rust locks the vault by itself', async () => {
    const backend = renderApp(new FakeBackend({ password: PASSWORD, tokens: [{ name: 'a' }] }));
    await unlock();
    await fireEvent.click(screen.getByTestId('token-row'));
    await fireEvent.click(await screen.findByTestId('reveal-button'));
    await waitFor(() => expect(screen.getByTestId('reveal-timer')).toBeInTheDocument());

    backend.emitLocked();
    expect(await screen.findByTestId('unlock-password')).toBeInTheDocument();
    expect(screen.queryByTestId('token-row')).toBeNull();
    expect(screen.queryByTestId('secret-value')).toBeNull();
    expect(document.body).not.toHaveTextContent('secret-');
  });
});

describe('App auto-lock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('locks after auto_lock_secs without input, and not before', async () => {
    const backend = renderApp(
      new FakeBackend({
        password: PASSWORD,
        tokens: [{ name: 'a' }],
        settings: { auto_lock_secs: 120 },
      }),
    );
    await unlock();
    vi.useFakeTimers();
    await fireEvent.keyDown(window, { key: 'Shift' }); // input re-arms the idle timer

    await vi.advanceTimersByTimeAsync(119_000);
    expect(screen.queryByTestId('token-row')).not.toBeNull();
    await fireEvent.mouseMove(window);
    await vi.advanceTimersByTimeAsync(119_000);
    expect(backend.status.locked).toBe(false);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(backend.status.locked).toBe(true);
    vi.useRealTimers();
    expect(await screen.findByTestId('unlock-password')).toBeInTheDocument();
    expect(screen.queryByTestId('token-row')).toBeNull();
  });

  it('shows reminders no notification server took in a banner until dismissed', async () => {
    const backend = renderApp(new FakeBackend({ password: PASSWORD, tokens: [{ name: 'x' }] }));
    await screen.findByTestId('unlock-password');
    backend.emitRemindersDue([
      {
        title: 'GitHub · deploy-bot expires tomorrow',
        body: 'Expires Sat 28 Nov 2026, 12:00 (UTC). Open Tokenwarden to rotate it.',
        urgency: 'critical',
        token_id: 't1',
        while_locked: true,
      },
    ]);
    const banner = await screen.findByTestId('reminders-banner');
    expect(banner).toHaveTextContent('Urgent: GitHub · deploy-bot expires tomorrow');
    expect(banner).toHaveAttribute('role', 'status');
    await fireEvent.click(screen.getByTestId('reminders-dismiss'));
    expect(screen.queryByTestId('reminders-banner')).toBeNull();
  });
});

describe('App reminder banner', () => {
  const named = {
    title: 'GitLab · deploy-bot has expired',
    body: 'Expired Fri 4 Dec 2026, 12:00 (UTC). Open Tokenwarden to rotate it.',
    urgency: 'critical' as const,
    token_id: 't1',
    while_locked: false,
  };

  for (const how of ['the lock button', "Rust's vault-locked event"]) {
    it(`locking by ${how} clears the reminder banner, leaving no token name or provider`, async () => {
      const backend = renderApp(new FakeBackend({ password: PASSWORD, tokens: [{ name: 'x' }] }));
      await unlock();
      backend.emitRemindersDue([named]);
      expect(await screen.findByTestId('reminders-banner')).toHaveTextContent('deploy-bot');
      if (how === 'the lock button') await fireEvent.click(screen.getByTestId('lock'));
      else backend.emitLocked();
      expect(await screen.findByTestId('unlock-password')).toBeInTheDocument();
      expect(screen.queryByTestId('reminders-banner')).toBeNull();
      expect(document.body.textContent).not.toMatch(/deploy-bot|GitLab/);
    });
  }

  it('while locked shows only notices made while locked', async () => {
    const backend = renderApp(new FakeBackend({ password: PASSWORD, tokens: [{ name: 'x' }] }));
    await screen.findByTestId('unlock-password');
    // Made just before the lock (it names the token): dropped.
    backend.emitRemindersDue([named]);
    backend.emitRemindersDue([
      {
        title: 'A token has expired — unlock to see which',
        body: 'Expired Fri 4 Dec 2026, 12:00 (UTC). Unlock Tokenwarden to see which token, and rotate it.',
        urgency: 'critical',
        token_id: 't1',
        while_locked: true,
      },
    ]);
    const banner = await screen.findByTestId('reminders-banner');
    expect(banner).toHaveTextContent('A token has expired — unlock to see which');
    expect(screen.getAllByTestId('reminder')).toHaveLength(1);
    expect(document.body.textContent).not.toMatch(/deploy-bot|GitLab/);
  });
});
