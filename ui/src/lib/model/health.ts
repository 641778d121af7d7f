// The Health view's words: titles for the kinds of finding, labels for their fixes, counts by
// severity, and findings grouped by kind (most severe group first, as the audit orders them).
import type { FindingKind, FindingView, Fix, Severity } from '../backend';

export const KIND_TITLE: Record<FindingKind, string> = {
  expired_but_active: 'Expired but still active',
  expires_soon: 'Expiring soon',
  no_expiry: 'No expiry date',
  rotation_overdue: 'Rotation overdue',
  over_privileged: 'Over-privileged',
  unused: 'Unused',
  orphaned: 'No usage recorded',
  never_checked: 'Never checked at the provider',
  check_stale: 'Last check is old',
  last_check_invalid: 'Refused at the last check',
  duplicate_secret: 'Same secret stored twice',
  review_due: 'Scope review due',
};

export const FIX_LABEL: Record<Fix, string> = {
  rotate: 'Rotate…',
  revoke: 'Revoke…',
  set_expiry: 'Set expiry…',
  verify_now: 'Verify now',
  add_usage: 'Add usage…',
  mark_reviewed: 'Mark reviewed',
};

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

export const SEVERITY_LABEL: Record<Severity, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** Shape as well as colour, for people who cannot tell the colours apart. */
export const SEVERITY_ICON: Record<Severity, string> = { high: '◆', medium: '▲', low: '○' };

export type SeverityCounts = Record<Severity, number>;

export function severityCounts(findings: readonly FindingView[]): SeverityCounts {
  const counts: SeverityCounts = { high: 0, medium: 0, low: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

export interface FindingGroup {
  kind: FindingKind;
  title: string;
  findings: FindingView[];
}

export function groupByKind(findings: readonly FindingView[]): FindingGroup[] {
  const groups = new Map<FindingKind, FindingGroup>();
  for (const finding of findings) {
    let group = groups.get(finding.kind);
    if (!group) {
      group = { kind: finding.kind, title: KIND_TITLE[finding.kind], findings: [] };
      groups.set(finding.kind, group);
    }
    group.findings.push(finding);
  }
  return [...groups.values()];
}
