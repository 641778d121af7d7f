// The fake's revocation: one token or many at once (panic). What each answers is scripted by the test
// (s.answers) or, by default, a revocation done the way asked; the token's record follows the
// outcome. Refusals, provider failures and rechecks are Rust's rules, tested there.
import type { RevokeHow, RevokeOutcome, TokenView } from '../types';
import type { FakeState } from './state';
import { markRevoked } from './tokens';
import type { Stored } from './types';

export function revokeToken(
  s: FakeState,
  id: string,
  how: RevokeHow,
  reverify: boolean,
): Promise<RevokeOutcome> {
  return s.run('revokeToken', [id, how, reverify], () => {
    const stored = s.find(id);
    return recorded(s, stored, {
      ...outcomeBase(stored.view),
      outcome: 'revoked',
      method: how,
      reverified: reverify ? true : null,
      ...s.answers.revokeToken.take(structuredClone(stored.view), how, reverify),
    });
  });
}

export function panicRevoke(s: FakeState, ids: string[]): Promise<RevokeOutcome[]> {
  return s.run('panicRevoke', [ids], () => {
    s.requireUnlocked();
    const scripted = s.answers.panicRevoke.take([...ids]) ?? {};
    return ids.map((id) => {
      const stored = s.find(id);
      return recorded(s, stored, {
        ...outcomeBase(stored.view),
        outcome: 'revoked',
        method: 'api',
        ...scripted[id],
      });
    });
  });
}

/** Marks the token revoked when the outcome says it is (and it was not already). */
function recorded(s: FakeState, stored: Stored, outcome: RevokeOutcome): RevokeOutcome {
  if (outcome.outcome === 'revoked' && stored.view.status !== 'revoked') {
    markRevoked(s, stored, outcome.method ?? 'confirmed');
  }
  return structuredClone(outcome);
}

function outcomeBase(view: TokenView): RevokeOutcome {
  return {
    token_id: view.id,
    name: view.name,
    provider: view.provider,
    outcome: 'revoked',
    method: null,
    error: null,
    reverified: null,
  };
}
