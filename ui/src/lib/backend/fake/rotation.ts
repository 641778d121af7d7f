// The fake's rotation state machine: start, step, resume, with the same steps and refusals as the
// Rust side. The new secret waits in the state until it is promoted.
import {
  BackendError,
  type Rotation,
  type RotationAction,
  type RotationMethod,
  type RotationStep,
} from '../types';
import { FAKE_ROTATE_INVALIDATES } from './catalog';
import { displayName, reach, remoteFor, setRemote } from './providers';
import { DAY_MS, maskHint, type FakeState } from './state';
import { markRevoked } from './tokens';

export function rotationStart(
  s: FakeState,
  tokenId: string,
  method: RotationMethod,
): Promise<Rotation> {
  return s.run('rotationStart', [tokenId, method], () => {
    const { view } = s.find(tokenId);
    const open = openRotation(s, tokenId);
    if (open) {
      throw new BackendError(
        'invalid_input',
        `'${view.name}' is already being rotated (step '${open.step}'): resume or abort that rotation`,
      );
    }
    if (view.status === 'revoked' || view.status === 'archived') {
      throw new BackendError(
        'invalid_input',
        `'${view.name}' is ${view.status}: only a live token can be rotated`,
      );
    }
    if (view.status === 'rotating') {
      throw new BackendError(
        'invalid_input',
        `'${view.name}' has already been replaced; rotate its replacement instead`,
      );
    }
    if (method === 'api' && !s.catalog.get(view.provider)?.api.rotate) {
      throw new BackendError(
        'invalid_input',
        `${displayName(s, view.provider)} has no rotation API: use the guided rotation`,
      );
    }
    const stamp = s.now.toISOString();
    const rotation: Rotation = {
      id: `rot-${s.nextRotation++}`,
      token_id: tokenId,
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
        .filter((u) => u.token_id === tokenId)
        .map((u) => ({ usage_id: u.id, kind: u.kind, location: u.location, done: false })),
      revoke_method: null,
      api_requested_at: null,
      started_at: stamp,
      updated_at: stamp,
      finished_at: null,
    };
    s.rotations.set(rotation.id, rotation);
    s.audit('rotation_started', tokenId, { rotation: rotation.id, method });
    return structuredClone(rotation);
  });
}

export function rotationFor(s: FakeState, tokenId: string): Promise<Rotation | null> {
  return s.run('rotationFor', [tokenId], () => {
    s.requireUnlocked();
    return structuredClone(openRotation(s, tokenId) ?? null);
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
    const rotation = s.rotations.get(rotationId);
    if (!rotation) throw new BackendError('not_found', 'That rotation no longer exists.');
    advance(s, rotation, action);
    return structuredClone(rotation);
  });
}

/** The rotation state machine: each action at the steps it fits, refused everywhere else. */
export function advance(s: FakeState, rotation: Rotation, action: RotationAction): void {
  const at = (what: string, ...steps: RotationStep[]) => {
    if (!steps.includes(rotation.step)) {
      throw new BackendError(
        'invalid_input',
        `cannot ${what}: the rotation of '${rotation.token_name}' is at step '${rotation.step}' (this needs '${steps.join("' or '")}')`,
      );
    }
  };
  const move = (step: RotationStep) => {
    rotation.step = step;
    rotation.updated_at = s.now.toISOString();
    s.audit('rotation_step', rotation.token_id, { rotation: rotation.id, step });
  };
  const old = s.find(rotation.token_id);
  switch (action.action) {
    case 'store_secret': {
      at('store the new token', 'started');
      const secret = action.secret.trim();
      if (!secret) throw new BackendError('invalid_input', 'Paste the new token.');
      if (secret === old.secret) {
        throw new BackendError(
          'invalid_input',
          'this is the token being replaced: paste the NEW token the provider just made',
        );
      }
      checkDate(action.expires_at);
      storeNew(s, rotation, secret, action.expires_at, false);
      move('new_stored');
      return;
    }
    case 'api_rotate': {
      at('ask the provider for a new token', 'started');
      if (rotation.method !== 'api') {
        throw new BackendError(
          'invalid_input',
          'this is a guided rotation: paste the new token instead',
        );
      }
      checkDate(action.expires_at);
      const info = s.catalog.get(rotation.provider);
      if (!info?.api.rotate) {
        throw new BackendError(
          'invalid_input',
          `${displayName(s, rotation.provider)} has no rotation API: use the guided rotation`,
        );
      }
      reach(s, info);
      const lifetime = info.kinds[0]?.default_lifetime_days ?? null;
      const expires =
        action.expires_at ??
        (lifetime === null ? null : new Date(s.now.getTime() + lifetime * DAY_MS).toISOString());
      const prefix = /^[A-Za-z]{2,8}[_-]/.exec(old.secret)?.[0] ?? '';
      const issued = `${prefix}issued${s.nextRotation}by${info.id}NEW${rotation.id.length}`;
      const invalidates = FAKE_ROTATE_INVALIDATES.has(rotation.provider);
      storeNew(s, rotation, issued, expires, invalidates);
      if (invalidates) setRemote(s, old.secret, { valid: false });
      move('new_stored');
      return;
    }
    case 'verify': {
      at('verify the new token', 'new_stored');
      const info = s.catalog.get(rotation.provider);
      if (!info?.api.verify) {
        throw new BackendError(
          'invalid_input',
          `${displayName(s, rotation.provider)} has no check API: try the new token yourself, then confirm it works`,
        );
      }
      reach(s, info);
      const secret = s.pendingSecrets.get(rotation.id) ?? '';
      const answer = remoteFor(s, secret, { ...old.view, expires_at: rotation.new_expires_at });
      if (!answer.valid) {
        throw new BackendError(
          'invalid_input',
          `${info.name} does not accept the new token: paste the right one or abort the rotation`,
        );
      }
      rotation.verified_by = 'provider';
      rotation.new_expires_at = answer.expires_at;
      move('verified');
      return;
    }
    case 'confirm_works': {
      at('mark the new token verified', 'new_stored');
      rotation.verified_by = 'user';
      move('verified');
      return;
    }
    case 'tick': {
      at('tick a consumer', 'verified');
      const consumer = rotation.consumers.find((c) => c.usage_id === action.usage_id);
      if (!consumer) {
        throw new BackendError(
          'invalid_input',
          `'${action.usage_id}' is not on this rotation's checklist`,
        );
      }
      consumer.done = action.done;
      rotation.updated_at = s.now.toISOString();
      return;
    }
    case 'consumers_done': {
      at('finish the consumer checklist', 'verified');
      const left = rotation.consumers.filter((c) => !c.done).map((c) => c.location);
      if (left.length) {
        throw new BackendError(
          'invalid_input',
          `${left.length} still use the old token: update and tick ${left.join(', ')}`,
        );
      }
      move('consumers_updated');
      return;
    }
    case 'promote': {
      at('promote the new token', 'consumers_updated');
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
      move('promoted');
      return;
    }
    case 'revoke_old': {
      at('revoke the old token', 'promoted');
      if (action.how === 'later') {
        rotation.revoke_method = 'later';
        move('old_manual');
      } else if (action.how === 'confirmed') {
        recordOldRevoked(s, rotation, 'confirmed');
      } else if (rotation.old_invalidated) {
        recordOldRevoked(s, rotation, 'provider_rotation');
      } else {
        const info = s.catalog.get(rotation.provider);
        if (!info?.api.revoke) {
          throw new BackendError(
            'invalid_input',
            `${displayName(s, rotation.provider)} has no revoke API: revoke the old token at its site, then confirm`,
          );
        }
        reach(s, info);
        setRemote(s, old.secret, { valid: false });
        recordOldRevoked(s, rotation, 'api');
      }
      return;
    }
    case 'finish': {
      at('finish the rotation', 'old_revoked', 'old_manual');
      move('done');
      return;
    }
    case 'abort': {
      if (!ABORTABLE.includes(rotation.step)) {
        throw new BackendError(
          'invalid_input',
          `the new token of '${rotation.token_name}' is already active (step '${rotation.step}'): finish the rotation instead of aborting it`,
        );
      }
      s.pendingSecrets.delete(rotation.id);
      move('aborted');
      return;
    }
  }
}

/** The new secret waits in the rotation (not as a token) until it is promoted. */
export function storeNew(
  s: FakeState,
  rotation: Rotation,
  secret: string,
  expires: string | null,
  oldInvalidated: boolean,
): void {
  s.pendingSecrets.set(rotation.id, secret);
  rotation.new_hint = maskHint(secret);
  rotation.new_expires_at = expires;
  rotation.old_invalidated = oldInvalidated;
}

export function recordOldRevoked(s: FakeState, rotation: Rotation, method: string): void {
  markRevoked(s, s.find(rotation.token_id), method);
  rotation.revoke_method = method;
  rotation.step = 'old_revoked';
  rotation.updated_at = s.now.toISOString();
}

export function openRotation(s: FakeState, tokenId: string): Rotation | undefined {
  return [...s.rotations.values()].find((r) => r.token_id === tokenId && isOpen(r));
}

/** The steps before `promoted`: the only ones a rotation can be aborted at. */
export const ABORTABLE: readonly RotationStep[] = [
  'started',
  'new_stored',
  'verified',
  'consumers_updated',
];

export function isOpen(rotation: Rotation): boolean {
  return rotation.step !== 'done' && rotation.step !== 'aborted';
}

function checkDate(iso: string | null): void {
  if (iso !== null && Number.isNaN(Date.parse(iso))) {
    throw new BackendError('invalid_input', 'The expiry date is not a valid date.');
  }
}
