// Settings: saving converts minutes to seconds, toggles keyring unlock and start at login,
// refuses bad ranges.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { BackendError, DEFAULT_SETTINGS } from '../backend';
import { FakeBackend } from '../backend/fake';
import { testContext } from '../testing';
import SettingsForm from './SettingsForm.svelte';

function renderSettings(backend = new FakeBackend({ locked: false, tokens: [] })) {
  const onSaved = vi.fn();
  render(SettingsForm, {
    props: { settings: { ...DEFAULT_SETTINGS }, keyring: false, onSaved },
    context: testContext(backend),
  });
  return { backend, onSaved };
}

async function set(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

describe('SettingsForm', () => {
  it('shows the defaults: 5 minutes, 20 seconds, 30 and 7 days', () => {
    renderSettings();
    expect(screen.getByTestId('setting-auto-lock')).toHaveValue(5);
    expect(screen.getByTestId('setting-clipboard')).toHaveValue(20);
    expect(screen.getByTestId('setting-warn-days')).toHaveValue(30);
    expect(screen.getByTestId('setting-urgent-days')).toHaveValue(7);
    expect(screen.getByTestId('setting-keyring')).not.toBeChecked();
    expect(screen.getByTestId('setting-theme')).toHaveValue('system');
  });

  it('saves the settings and the keyring choice', async () => {
    const { backend, onSaved } = renderSettings();
    await set('setting-auto-lock', '10');
    await set('setting-clipboard', '45');
    await set('setting-warn-days', '14');
    await set('setting-urgent-days', '3');
    await fireEvent.change(screen.getByTestId('setting-theme'), { target: { value: 'dark' } });
    expect(screen.getByTestId('setting-lock-on-close')).toBeChecked();
    expect(screen.getByTestId('setting-lock-on-screen-lock')).toBeChecked();
    await fireEvent.click(screen.getByTestId('setting-lock-on-screen-lock'));
    await fireEvent.click(screen.getByTestId('setting-keyring'));
    await set('setting-keyring-password', 'correct horse battery');
    await fireEvent.click(screen.getByTestId('settings-save'));

    const expected = {
      auto_lock_secs: 600,
      clipboard_clear_secs: 45,
      warn_days: 14,
      urgent_days: 3,
      theme: 'dark',
      reminder_days: [30, 7, 1],
      lock_on_close: true,
      lock_on_screen_lock: false,
    };
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(expected, true));
    expect(backend.settings).toEqual(expected);
    expect(backend.status.keyring_slot).toBe(true);
    expect(screen.getByTestId('settings-status')).toHaveTextContent('Settings saved.');
  });

  it('asks for the vault password to turn keyring unlock on, and changes nothing when it is wrong', async () => {
    const { backend, onSaved } = renderSettings();
    expect(screen.queryByTestId('setting-keyring-password')).toBeNull();
    await set('setting-auto-lock', '10');
    await fireEvent.click(screen.getByTestId('setting-keyring'));
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter the vault password');
    expect(backend.log.some((c) => c.method === 'setKeyringUnlock')).toBe(false);

    await set('setting-keyring-password', 'wrong password');
    await fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent('does not open this vault'),
    );
    expect(backend.status.keyring_slot).toBe(false);
    expect(backend.settings.auto_lock_secs).toBe(DEFAULT_SETTINGS.auto_lock_secs);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('refuses an urgent threshold beyond the warning threshold', async () => {
    const { backend, onSaved } = renderSettings();
    await set('setting-urgent-days', '40');
    await fireEvent.click(screen.getByTestId('settings-save'));

    expect(screen.getByTestId('settings-error')).toHaveTextContent('Urgent days');
    expect(onSaved).not.toHaveBeenCalled();
    expect(backend.log.some((c) => c.method === 'saveSettings')).toBe(false);
  });

  it('edits the days before expiry that reminders come, tidied, and refuses a bad one at the field', async () => {
    const { backend, onSaved } = renderSettings();
    expect(screen.getByTestId('setting-reminder-days')).toHaveValue('30, 7, 1');
    await set('setting-reminder-days', '400, 7');
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Reminders: 400 is not between 1 and 365 days.',
    );
    expect(backend.log.some((c) => c.method === 'saveSettings')).toBe(false);

    await set('setting-reminder-days', '3 14, 60 14');
    await fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(backend.settings.reminder_days).toEqual([60, 14, 3]);

    await set('setting-reminder-days', '');
    await fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(2));
    expect(backend.settings.reminder_days).toEqual([]);
  });

  it('turns start at login on through the backend when saved', async () => {
    const { backend } = renderSettings();
    const box = await screen.findByTestId('setting-autostart');
    expect(box).not.toBeChecked();
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(backend.autostart).toBe(true));
  });

  it('hides start at login when the backend cannot read it', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    backend.failNext.getAutostart = new BackendError('internal', 'not available in this build');
    renderSettings(backend);
    await screen.findByTestId('setting-keyring');
    expect(backend.log.map((entry) => entry.method)).toContain('getAutostart');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByTestId('setting-autostart')).toBeNull();
  });
});
