// The fake's revocation: one token the way asked, or many at once (panic), with the Rust side's
// refusals, provider failures and reverify outcomes.
import { BackendError, type RevokeHow, type RevokeOutcome, type TokenView } from '../types';
import { displayName, reach, remoteFor, setRemote } from './providers';
import { ABORTABLE, openRotation, recordOldRevoked } from './rotation';
import type { FakeState } from './state';
import { markRevoked } from './tokens';
import type { Stored } from './types';

export function revokeToken(
  s: FakeState,
  id: string,
  how: RevokeHow,
  reverify: boolean,
): Promise<RevokeOutcome> {
  return s.run('revokeToken', [id, how, reverify], () => revokeOne(s, s.find(id), how, reverify));
}

export function panicRevoke(s: FakeState, ids: string[]): Promise<RevokeOutcome[]> {
  return s.run('panicRevoke', [ids], () => {
    s.requireUnlocked();
    return ids.map((id): RevokeOutcome => {
      const stored = s.find(id);
      const { view } = stored;
      if (view.status === 'revoked') {
        return { ...outcomeBase(view), outcome: 'revoked', method: view.revoke_method ?? null };
      }
      if (!s.catalog.get(view.provider)?.api.revoke) {
        return { ...outcomeBase(view), outcome: 'needs_manual' };
      }
      try {
        return revokeOne(s, stored, view.provider === 'github' ? 'report_leak' : 'api', false);
      } catch (error) {
        const failure =
          error instanceof BackendError ? error : new BackendError('internal', String(error));
        return {
          ...outcomeBase(view),
          outcome: 'failed',
          error: { code: failure.code, message: failure.message },
        };
      }
    });
  });
}

/**
 * Revokes one token the way asked, as the Rust side does: refusals and provider failures
 * throw; a "confirmed" revocation the provider still accepts on reverify is a `failed`
 * outcome and records nothing.
 */
export function revokeOne(
  s: FakeState,
  stored: Stored,
  how: RevokeHow,
  reverify: boolean,
): RevokeOutcome {
  const { view } = stored;
  if (view.status === 'revoked') {
    return { ...outcomeBase(view), outcome: 'revoked', method: view.revoke_method ?? null };
  }
  const rotation = openRotation(s, view.id);
  if (rotation && ABORTABLE.includes(rotation.step)) {
    throw new BackendError(
      'invalid_input',
      `'${view.name}' is being rotated (step '${rotation.step}'): abort or finish that rotation before revoking it`,
    );
  }
  const info = s.catalog.get(view.provider);
  if (how === 'later') {
    throw new BackendError('invalid_input', "'later' only applies to the old token of a rotation");
  }
  if (how === 'report_leak' && view.provider !== 'github') {
    throw new BackendError(
      'invalid_input',
      "reporting a leak is GitHub's credential-revocation API: this is not a GitHub token",
    );
  }
  if (how === 'api' || how === 'report_leak') {
    if (!info?.api.revoke) {
      throw new BackendError(
        'invalid_input',
        `${displayName(s, view.provider)} has no revoke API: revoke '${view.name}' at the provider's site, then confirm`,
      );
    }
    reach(s, info);
    setRemote(s, stored.secret, { valid: false });
  } else if (s.remote.get(stored.secret)?.valid === undefined) {
    // 'confirmed': the person did revoke it at the provider, unless a test says otherwise.
    setRemote(s, stored.secret, { valid: false });
  }
  let reverified: boolean | null = null;
  if (reverify && info?.api.verify) {
    try {
      reach(s, info);
      const checkFailure = s.checkErrors.get(info.id);
      if (checkFailure) throw checkFailure;
    } catch (failure) {
      // After an API revocation the provider has acted: record it, unproven. A confirmed
      // one needs the check's proof.
      if (how === 'confirmed') throw failure;
      if (rotation?.step === 'promoted') recordOldRevoked(s, rotation, how);
      else markRevoked(s, stored, how);
      return { ...outcomeBase(view), outcome: 'revoked', method: how, reverified: null };
    }
    const stillValid = remoteFor(s, stored.secret, view).valid;
    reverified = !stillValid;
    if (stillValid && how === 'confirmed') {
      return {
        ...outcomeBase(view),
        outcome: 'failed',
        reverified: false,
        error: {
          code: 'invalid_input',
          message: `${info.name} still accepts '${view.name}': it is not revoked yet (nothing was recorded)`,
        },
      };
    }
  }
  if (rotation?.step === 'promoted') recordOldRevoked(s, rotation, how);
  else markRevoked(s, stored, how);
  return { ...outcomeBase(view), outcome: 'revoked', method: how, reverified };
}

export function outcomeBase(view: TokenView): Omit<RevokeOutcome, 'outcome'> {
  return {
    token_id: view.id,
    name: view.name,
    provider: view.provider,
    method: null,
    error: null,
    reverified: null,
  };
}
