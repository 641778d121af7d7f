// The fake's rotations: the records (so a rotation can be resumed) and what each call answers, which
// a test scripts (s.answers) or, by default, is the step the action leads to. Which actions fit which
// step and what a provider says are Rust's rules, tested there: the fake refuses nothing by itself.
import {
  BackendError,
  type Rotation,
  type RotationAction,
  type RotationMethod,
  type TokenView,
} from '../types';
import { maskHint, type FakeState } from './state';
import { markRevoked } from './tokens';

export function rotationStart(
  s: FakeState,
  tokenId: string,
  method: RotationMethod,
): Promise<Rotation> {
  return s.run('rotationStart', [tokenId, method], () => {
    const { view } = s.find(tokenId);
    const rotation: Rotation = {
      ...started(s, view, method),
      ...s.answers.rotationStart.take(structuredClone(view), method),
    };
    s.rotations.set(rotation.id, rotation);
    s.audit('rotation_started', tokenId, { rotation: rotation.id, method });
    return structuredClone(rotation);
  });
}

export function rotationFor(s: FakeState, tokenId: string): Promise<Rotation | null> {
  return s.run('rotationFor', [tokenId], () => {
    s.requireUnlocked();
    const open = [...s.rotations.values()].find((r) => r.token_id === tokenId && isOpen(r));
    return structuredClone(open ?? null);
  });
}

export function rotationsOpen(s: FakeState): Promise<Rotation[]> {
  return s.run('rotationsOpen', [], () => {
    s.requireUnlocked();
    return structuredClone([...s.rotations.values()].filter(isOpen));
  });
}

export function rotationStep(
  s: FakeState,
  rotationId: string,
  action: RotationAction,
): Promise<Rotation> {
  return s.run('rotationStep', [rotationId, action], () => {
    s.requireUnlocked();
    const before = s.rotations.get(rotationId);
    if (!before) throw new BackendError('not_found', 'That rotation no longer exists.');
    const after: Rotation = {
      ...before,
      ...usualAnswer(s, before, action),
      updated_at: s.now.toISOString(),
      ...s.answers.rotationStep.take(structuredClone(before), action),
    };
    record(s, before, after, action);
    s.rotations.set(after.id, after);
    return structuredClone(after);
  });
}

/** A new rotation of `view`, at `started`, with the token's recorded places as its checklist. */
function started(s: FakeState, view: TokenView, method: RotationMethod): Rotation {
  const stamp = s.now.toISOString();
  return {
    id: `rot-${s.nextRotation++}`,
    token_id: view.id,
    token_name: view.name,
    provider: view.provider,
    method,
    step: 'started',
    new_token_id: null,
    new_hint: null,
    new_expires_at: null,
    verified_by: null,
    old_invalidated: false,
    consumers: s.usages
      .filter((u) => u.token_id === view.id)
      .map((u) => ({ usage_id: u.id, kind: u.kind, location: u.location, done: false })),
    revoke_method: null,
    api_requested_at: null,
    started_at: stamp,
    updated_at: stamp,
    finished_at: null,
  };
}

/** The default answer: the step the action leads to, as if the provider agreed to everything. */
function usualAnswer(s: FakeState, rotation: Rotation, action: RotationAction): Partial<Rotation> {
  const now = s.now.toISOString();
  switch (action.action) {
    case 'store_secret':
      return {
        step: 'new_stored',
        new_hint: maskHint(action.secret.trim()),
        new_expires_at: action.expires_at,
      };
    case 'api_rotate':
      return {
        step: 'new_stored',
        new_hint: maskHint(issuedSecret(rotation)),
        new_expires_at: action.expires_at,
        api_requested_at: now,
      };
    case 'verify':
      return { step: 'verified', verified_by: 'provider' };
    case 'confirm_works':
      return { step: 'verified', verified_by: 'user' };
    case 'tick':
      return {
        consumers: rotation.consumers.map((c) =>
          c.usage_id === action.usage_id ? { ...c, done: action.done } : c,
        ),
      };
    case 'consumers_done':
      return { step: 'consumers_updated' };
    case 'promote':
      return { step: 'promoted' };
    case 'revoke_old':
      return action.how === 'later'
        ? { step: 'old_manual', revoke_method: 'later' }
        : { step: 'old_revoked', revoke_method: action.how };
    case 'finish':
      return { step: 'done', finished_at: now };
    case 'abort':
      return { step: 'aborted', finished_at: now };
  }
}

/** What the provider "issues" in a default API rotation; a test never needs its value. */
function issuedSecret(rotation: Rotation): string {
  return `fake-issued-for-${rotation.id}`;
}

/**
 * Keeps the records in step with the answer: the new secret waits until promotion, which adds it
 * as a token replacing the old one; an old token revoked is marked so; an abort drops the secret.
 */
function record(s: FakeState, before: Rotation, after: Rotation, action: RotationAction): void {
  if (action.action === 'store_secret') s.pendingSecrets.set(after.id, action.secret.trim());
  if (action.action === 'api_rotate') s.pendingSecrets.set(after.id, issuedSecret(after));
  if (after.step === before.step) return;
  if (after.step === 'promoted') promote(s, after);
  if (after.step === 'old_revoked') {
    markRevoked(s, s.find(after.token_id), after.revoke_method ?? 'confirmed');
  }
  if (after.step === 'aborted') s.pendingSecrets.delete(after.id);
  s.audit('rotation_step', after.token_id, { rotation: after.id, step: after.step });
}

/** The new secret becomes a token with the old one's metadata; the old one is replaced. */
function promote(s: FakeState, rotation: Rotation): void {
  const old = s.find(rotation.token_id);
  const { view } = old;
  const fresh = s.seed({
    name: view.name,
    provider: view.provider,
    kind: view.kind,
    account: view.account,
    environment: view.environment,
    scopes: [...view.scopes],
    tags: [...view.tags],
    notes: view.notes,
    url: view.url,
    rotation_max_age_days: view.rotation_max_age_days,
    expires_at: rotation.new_expires_at,
    replaces: view.id,
    secret: s.pendingSecrets.get(rotation.id) ?? '',
  });
  s.pendingSecrets.delete(rotation.id);
  old.view = {
    ...view,
    status: 'rotating',
    replaced_by: fresh.id,
    updated_at: s.now.toISOString(),
  };
  for (const usage of s.usages) if (usage.token_id === view.id) usage.token_id = fresh.id;
  rotation.new_token_id = fresh.id;
  s.audit('token_added', fresh.id, { rotated_from: view.id });
}

function isOpen(rotation: Rotation): boolean {
  return rotation.step !== 'done' && rotation.step !== 'aborted';
}
