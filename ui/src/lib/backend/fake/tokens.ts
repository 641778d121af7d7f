// The fake's token records: list, read, add, edit, archive, delete, reveal and copy, and the
// revoked status change the revocation and rotation areas share. Secrets stay in the state's map.
import {
  BackendError,
  rowOf,
  type CopyResult,
  type TokenDetail,
  type TokenInput,
  type TokenRow,
  type TokenView,
} from '../types';
import { maskHint, type FakeState } from './state';
import type { Stored } from './types';

export function listTokens(s: FakeState): Promise<TokenView[]> {
  return s.run('listTokens', [], () => {
    s.requireUnlocked();
    return [...s.tokens.values()].map((t) => structuredClone(t.view));
  });
}

export function listTokenRows(s: FakeState): Promise<TokenRow[]> {
  return s.run('listTokenRows', [], () => {
    s.requireUnlocked();
    return [...s.tokens.values()].map((t) => rowOf(structuredClone(t.view)));
  });
}

export function getToken(s: FakeState, id: string): Promise<TokenDetail> {
  return s.run('getToken', [id], () => {
    const stored = s.find(id);
    return structuredClone({
      token: stored.view,
      usages: s.usages.filter((u) => u.token_id === id),
      history: s.history.filter((e) => e.token_id === id),
      reminder_days: stored.reminderDays ?? null,
      monitored: !stored.unmonitored,
    });
  });
}

/** Stores what it is given: the range and tidying rules are Rust's (tested in inventory_ipc). */
export function setTokenReminderDays(
  s: FakeState,
  id: string,
  days: number[] | null,
): Promise<number[] | null> {
  return s.run('setTokenReminderDays', [id, days], () => {
    const stored = s.find(id);
    stored.reminderDays = days ? [...days] : null;
    s.audit('token_updated', id, { reminder_days: days });
    return stored.reminderDays;
  });
}

export function addToken(s: FakeState, input: TokenInput): Promise<TokenView> {
  return s.run('addToken', [input], () => {
    s.requireUnlocked();
    validate(input);
    if (!input.secret) throw new BackendError('invalid_input', 'Paste the token’s secret.');
    const { secret, ...meta } = input;
    const view = s.seed({ ...meta, secret, status: 'active' });
    s.audit('token_added', view.id, { name: view.name });
    return view;
  });
}

export function updateToken(s: FakeState, id: string, input: TokenInput): Promise<TokenView> {
  return s.run('updateToken', [id, input], () => {
    const stored = s.find(id);
    validate(input);
    const { secret, ...meta } = input;
    if (secret) {
      stored.secret = secret;
      stored.view.hint = maskHint(secret);
    }
    stored.view = { ...stored.view, ...meta, updated_at: s.now.toISOString() };
    stored.view.provider_name = s.providerName(stored.view.provider);
    s.audit('token_updated', id, { secret_changed: Boolean(secret) });
    return structuredClone(stored.view);
  });
}

export function archiveToken(s: FakeState, id: string): Promise<void> {
  return s.run('archiveToken', [id], () => {
    s.setStatus(s.find(id), 'archived');
    s.audit('token_archived', id, {});
  });
}

export function deleteToken(s: FakeState, id: string): Promise<void> {
  return s.run('deleteToken', [id], () => {
    s.find(id);
    s.tokens.delete(id);
    s.audit('token_deleted', id, {});
  });
}

export function revealSecret(s: FakeState, id: string): Promise<string> {
  return s.run('revealSecret', [id], () => {
    const stored = s.find(id);
    s.audit('secret_revealed', id, {});
    return stored.secret;
  });
}

export function copySecret(s: FakeState, id: string): Promise<CopyResult> {
  return s.run('copySecret', [id], () => {
    s.clipboard = s.find(id).secret;
    s.audit('secret_copied', id, {});
    return { clear_after_secs: s.settings.clipboard_clear_secs };
  });
}

export function markRevoked(s: FakeState, stored: Stored, method: string): void {
  const stamp = s.now.toISOString();
  stored.view = {
    ...stored.view,
    status: 'revoked',
    revoked_at: stamp,
    revoke_method: method,
    updated_at: stamp,
  };
  s.audit('token_revoked', stored.view.id, { method });
}

function validate(input: TokenInput): void {
  if (!input.name.trim()) throw new BackendError('invalid_input', 'Give the token a name.');
  if (input.url !== null && !/^https?:\/\//i.test(input.url)) {
    throw new BackendError('invalid_input', 'The URL must start with http:// or https://.');
  }
  if (input.expires_at !== null && Number.isNaN(Date.parse(input.expires_at))) {
    throw new BackendError('invalid_input', 'The expiry date is not a valid date.');
  }
}
