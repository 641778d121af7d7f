// The fake's providers: detection, catalog entries, checks against the in-memory `remote`, pages
// opened, and the helpers rotation and revocation use to "reach" a provider (failing as set up).
import {
  BackendError,
  type Detection,
  type ProviderInfo,
  type ProviderPage,
  type ProviderView,
  type TokenView,
  type VerifyReport,
} from '../types';
import type { FakeState } from './state';
import type { FakeRemote } from './types';

export function detectSecret(s: FakeState, secret: string): Promise<Detection | null> {
  return s.run('detectSecret', [secret], () =>
    structuredClone(s.detections.get(secret.trim()) ?? null),
  );
}

export function providerInfo(s: FakeState, provider: string): Promise<ProviderView | null> {
  return s.run('providerInfo', [provider], () => {
    const info = s.catalog.get(provider);
    if (!info) return null;
    return structuredClone({
      info,
      checked_before: s.checked.has(provider),
      // As the Rust side: the vault's setting, then the environment, then the real address.
      api_base:
        info.api_base && (s.apiUrls.get(provider) ?? s.apiEnv.get(provider) ?? info.api_base),
    });
  });
}

export function verifyToken(s: FakeState, id: string): Promise<VerifyReport> {
  return s.run('verifyToken', [id], () => {
    const stored = s.find(id);
    const info = providerFor(s, stored.view.provider, 'verify');
    reach(s, info);
    const remote = remoteFor(s, stored.secret, stored.view);
    const checkedAt = s.now.toISOString();
    let differs: VerifyReport['expiry_differs'] = null;
    if (remote.valid && !sameInstant(remote.expires_at, stored.view.expires_at)) {
      differs = { ours: stored.view.expires_at, provider: remote.expires_at };
    }
    stored.view = {
      ...stored.view,
      expires_at: differs ? remote.expires_at : stored.view.expires_at,
      last_verified_at: checkedAt,
      last_verified_result: remote.valid ? 'valid' : 'invalid',
      last_used_at: remote.last_used_at ?? stored.view.last_used_at ?? null,
      updated_at: checkedAt,
    };
    s.audit('token_verified', id, { valid: remote.valid });
    const scopes = remote.valid ? remote.scopes : null;
    return structuredClone({
      token: stored.view,
      valid: remote.valid,
      owner: remote.valid ? remote.owner : null,
      scopes,
      dangerous_scopes: (scopes ?? []).filter((s) => info.dangerous_scopes.includes(s)),
      expires_at: remote.valid ? remote.expires_at : null,
      last_used_at: remote.last_used_at,
      detail: remote.valid
        ? null
        : `${info.name} does not accept this token: it was revoked, has expired or is mistyped.`,
      expiry_differs: differs,
      checked_at: checkedAt,
    });
  });
}

export function openProviderPage(
  s: FakeState,
  provider: string,
  page: ProviderPage,
): Promise<void> {
  return s.run('openProviderPage', [provider, page], () => {
    const info = s.catalog.get(provider);
    if (!info) throw new BackendError('invalid_input', `'${provider}' is not in the catalog`);
    const { urls } = info;
    const fallback = page === 'rotate' ? urls.create : page === 'revoke' ? urls.manage : null;
    if (!(urls[page] ?? fallback ?? urls.manage)) {
      throw new BackendError('invalid_input', `${info.name} lists no such page`);
    }
    s.opened.push({ provider, page });
  });
}

export function displayName(s: FakeState, provider: string): string {
  return s.providerName(provider);
}

/** The catalog entry, refusing (`unsupported`) when the provider or its API cannot do `op`. */
export function providerFor(
  s: FakeState,
  provider: string,
  op: 'verify' | 'rotate' | 'revoke',
): ProviderInfo {
  const info = s.catalog.get(provider);
  if (!info) {
    throw new BackendError('unsupported', `Tokenwarden cannot talk to ${provider} (yet).`);
  }
  if (!info.api[op]) {
    throw new BackendError('unsupported', `${info.name} has no API to ${op} tokens.`);
  }
  return info;
}

/** A request to the provider: fails as the test set it up, and counts as a check there. */
export function reach(s: FakeState, info: ProviderInfo): void {
  const failure = s.providerErrors.get(info.id);
  if (failure) throw failure;
  s.checked.add(info.id);
}

export function remoteFor(s: FakeState, secret: string, view: TokenView): FakeRemote {
  return {
    valid: true,
    owner: 'acme-ci',
    scopes: view.scopes,
    expires_at: view.expires_at,
    last_used_at: null,
    ...s.remote.get(secret),
  };
}

export function setRemote(s: FakeState, secret: string, change: Partial<FakeRemote>): void {
  s.remote.set(secret, { ...s.remote.get(secret), ...change });
}

function sameInstant(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));
}
