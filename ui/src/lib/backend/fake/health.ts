// The fake's health area: scripted findings (see FakeFinding), not a re-implementation of the Rust
// audit. A finding shows while its token is live and until it is dismissed, marked reviewed
// (`review_due`) or its script's `resolvedWhen` sees the change that fixes it.
import { BackendError, type FindingKind, type FindingView, type HealthSummary } from '../types';
import type { FakeState } from './state';
import type { FakeFinding, Stored } from './types';

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

function tokenOf(s: FakeState, finding: FakeFinding): Stored | undefined {
  return (
    s.tokens.get(finding.token) ?? [...s.tokens.values()].find((t) => t.view.name === finding.token)
  );
}

function open(s: FakeState): FindingView[] {
  const shown: FindingView[] = [];
  for (const finding of s.findings) {
    const stored = tokenOf(s, finding);
    if (!stored) continue;
    const { view } = stored;
    if (view.status !== 'active' && view.status !== 'rotating') continue;
    if (s.dismissed.has(`${finding.kind}:${view.id}`)) continue;
    if (finding.kind === 'review_due' && s.reviewed.has(view.id)) continue;
    if (finding.resolvedWhen?.(view)) continue;
    shown.push({
      kind: finding.kind,
      severity: finding.severity,
      token_id: view.id,
      token_name: view.name,
      provider: view.provider,
      evidence: finding.evidence,
      fix: finding.fix,
    });
  }
  return shown.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

export function healthFindings(s: FakeState): Promise<FindingView[]> {
  return s.run('healthFindings', [], () => {
    s.requireUnlocked();
    return open(s);
  });
}

export function healthSummary(s: FakeState): Promise<HealthSummary> {
  return s.run('healthSummary', [], () => {
    s.requireUnlocked();
    const summary: HealthSummary = { high: 0, medium: 0, low: 0 };
    for (const finding of open(s)) summary[finding.severity] += 1;
    return summary;
  });
}

export function dismissFinding(
  s: FakeState,
  tokenId: string,
  kind: FindingKind,
  reason: string,
): Promise<void> {
  return s.run('dismissFinding', [tokenId, kind, reason], () => {
    s.requireUnlocked();
    const trimmed = reason.trim();
    if (trimmed === '' || trimmed.length > 1000) {
      throw new BackendError('invalid_input', 'reason: say why (1 to 1000 characters)');
    }
    if (!open(s).some((f) => f.token_id === tokenId && f.kind === kind)) {
      throw new BackendError('invalid_input', `finding: the token has no open '${kind}' finding`);
    }
    s.dismissed.set(`${kind}:${tokenId}`, trimmed);
    s.audit('finding_dismissed', tokenId, { finding: kind, reason: trimmed });
  });
}

export function markScopesReviewed(s: FakeState, tokenId: string): Promise<void> {
  return s.run('markScopesReviewed', [tokenId], () => {
    const stored = s.find(tokenId);
    s.reviewed.add(tokenId);
    s.audit('scopes_reviewed', tokenId, { scopes: stored.view.scopes });
  });
}
