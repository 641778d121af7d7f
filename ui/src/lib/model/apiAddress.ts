// Where a provider's API calls go, in words a person can check: the host, and whether a
// `TOKENWARDEN_API_<PROVIDER>` variable from the environment decided it (a test hook that could
// also be set by something hostile, so the app says so every time it is in effect).
import type { ProviderApiUrl } from '../backend';

/** `TOKENWARDEN_API_HUGGING_FACE` for `hugging-face`, as the Rust side names it. */
export function envName(provider: string): string {
  return `TOKENWARDEN_API_${provider.toUpperCase().replaceAll('-', '_')}`;
}

/** The host (and port, when not the scheme's own) of `url`; the text itself if it is no URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** The providers whose API address comes from the environment: the variable set, no vault setting. */
export function envOverrides(rows: ProviderApiUrl[]): ProviderApiUrl[] {
  return rows.filter(
    (row) => row.env_url !== null && row.env_url.trim() !== '' && row.url === null,
  );
}
