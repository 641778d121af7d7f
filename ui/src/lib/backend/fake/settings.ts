// The fake's settings: reminder/lock settings with the Rust side's ranges, keyring unlock,
// start at login, and the providers' API addresses (with the Rust side's URL check).
import { BackendError, type ProviderApiUrl, type Settings } from '../types';
import type { FakeState } from './state';

export function getSettings(s: FakeState): Promise<Settings> {
  return s.run('getSettings', [], () => {
    s.requireUnlocked();
    return { ...s.settings };
  });
}

export function saveSettings(s: FakeState, settings: Settings): Promise<void> {
  return s.run('saveSettings', [settings], () => {
    s.requireUnlocked();
    // The same ranges tokenwarden-core's Settings::validate enforces.
    if (settings.urgent_days > settings.warn_days) {
      throw new BackendError('invalid_input', 'urgent_days: must not be more than warn_days');
    }
    if (settings.clipboard_clear_secs < 5 || settings.clipboard_clear_secs > 3600) {
      throw new BackendError(
        'invalid_input',
        'clipboard_clear_secs: must be between 5 and 3600 seconds',
      );
    }
    if (settings.auto_lock_secs < 30 || settings.auto_lock_secs > 86_400) {
      throw new BackendError(
        'invalid_input',
        'auto_lock_secs: must be between 30 seconds and 24 hours',
      );
    }
    s.settings = { ...settings };
  });
}

export function setKeyringUnlock(
  s: FakeState,
  enabled: boolean,
  password: string | null,
): Promise<void> {
  return s.run('setKeyringUnlock', [enabled, password], () => {
    s.requireUnlocked();
    if (enabled) s.requirePassword(password);
    s.status.keyring_slot = enabled;
  });
}

export function getAutostart(s: FakeState): Promise<boolean> {
  return s.run('getAutostart', [], () => s.autostart);
}

export function setAutostart(s: FakeState, enabled: boolean): Promise<void> {
  return s.run('setAutostart', [enabled], () => {
    s.autostart = enabled;
  });
}

export function providerApiUrls(s: FakeState): Promise<ProviderApiUrl[]> {
  return s.run('providerApiUrls', [], () => {
    s.requireUnlocked();
    return apiUrlList(s);
  });
}

export function setProviderApiUrl(
  s: FakeState,
  provider: string,
  url: string | null,
  password: string,
): Promise<ProviderApiUrl[]> {
  return s.run('setProviderApiUrl', [provider, url, password], () => {
    s.requireUnlocked();
    s.requirePassword(password);
    if (!FAKE_API_BASES.some(([id]) => id === provider)) {
      throw new BackendError('invalid_input', `url: ${provider} has no API address to set`);
    }
    const raw = url?.trim() ?? '';
    if (raw) s.apiUrls.set(provider, checkApiUrl(raw));
    else s.apiUrls.delete(provider);
    return apiUrlList(s);
  });
}

export function apiUrlList(s: FakeState): ProviderApiUrl[] {
  return FAKE_API_BASES.map(([provider, name, default_url]) => ({
    provider,
    name,
    default_url,
    url: s.apiUrls.get(provider) ?? null,
    env_url: s.apiEnv.get(provider) ?? null,
  }));
}

/** The providers whose API address can be changed: id, display name, real address. */
export const FAKE_API_BASES: readonly [string, string, string][] = [
  ['github', 'GitHub', 'https://api.github.com'],
  ['gitlab', 'GitLab', 'https://gitlab.com'],
  ['slack', 'Slack', 'https://slack.com/api'],
  ['hugging-face', 'Hugging Face', 'https://huggingface.co'],
  ['cloudflare', 'Cloudflare', 'https://api.cloudflare.com/client/v4'],
  ['digitalocean', 'DigitalOcean', 'https://api.digitalocean.com'],
  ['vercel', 'Vercel', 'https://api.vercel.com'],
  ['sendgrid', 'SendGrid', 'https://api.sendgrid.com'],
];

/**
 * The Rust side's base-URL check: https, or http only to 127.0.0.0/8, localhost or [::1]; no
 * credentials, query or fragment. Returns the address normalised as the URL parser writes it.
 */
function checkApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BackendError(
      'invalid_input',
      'url: not a valid URL (e.g. https://gitlab.example.com)',
    );
  }
  const host = url.hostname.toLowerCase();
  const loopback = host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
  const schemeOk = url.protocol === 'https:' ? host !== '' : url.protocol === 'http:' && loopback;
  if (!schemeOk || raw.includes('@') || raw.includes('?') || url.hash) {
    throw new BackendError(
      'invalid_input',
      `url: refusing ${url.protocol}//${url.host}${url.pathname}: use https (plain http only to this computer), without credentials or a query`,
    );
  }
  return url.toString();
}
