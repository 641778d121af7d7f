// The timeline's grouping: each live token lands in the local week it expires in (the week d3's
// timeWeek.floor gives), by provider, and the expired ones in their own column.
import { timeWeek } from 'd3-time';
import { describe, expect, it } from 'vitest';
import { timeMonth } from 'd3-time';
import type { TokenRow } from '../backend';
import { effectiveStatus } from './inventory';
import { buildTimeline } from './timeline';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;

function row(i: number, expires: number | null, status: TokenRow['status'] = 'active'): TokenRow {
  return {
    id: `t${i}`,
    name: `token ${i}`,
    provider: i % 2 ? 'github' : 'gitlab',
    provider_name: i % 2 ? 'GitHub' : 'GitLab',
    hint: '',
    account: null,
    environment: null,
    tags: [],
    notes: null,
    created_at: '2026-01-01T00:00:00Z',
    expires_at: expires === null ? null : new Date(expires).toISOString(),
    status,
  };
}

describe('buildTimeline', () => {
  it("puts every token in the week it expires in, across a year's daylight-saving changes", () => {
    // Every 7 hours for a year: all hours of the day, every weekday, both sides of each change.
    const rows = Array.from({ length: 1200 }, (_, i) => row(i, NOW + (i + 1) * 7 * HOUR));
    const timeline = buildTimeline(rows, NOW);
    let checked = 0;
    for (const group of timeline.groups) {
      for (const token of group.tokens) {
        const at = new Date(Date.parse(token.expires_at ?? ''));
        expect(group.week?.getTime(), token.expires_at ?? '').toBe(timeWeek.floor(at).getTime());
        expect(group.provider).toBe(token.provider);
        checked += 1;
      }
      const times = group.tokens.map((t) => Date.parse(t.expires_at ?? ''));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    expect(checked).toBe(timeline.placed);
    expect(timeline.placed + timeline.later).toBe(rows.length);
  });

  it('keeps expired tokens in their own column and leaves out inactive ones', () => {
    const rows = [
      row(1, NOW - 5 * 24 * HOUR),
      row(2, NOW + 24 * HOUR, 'revoked'),
      row(3, null),
      row(4, NOW + 48 * HOUR),
    ];
    const timeline = buildTimeline(rows, NOW);
    expect(timeline.groups.map((g) => [g.week === null, g.tokens.map((t) => t.id)])).toEqual([
      [true, ['t1']],
      [false, ['t4']],
    ]);
    expect(timeline.noExpiry).toBe(1);
  });

  it('groups, orders and stacks as the plain per-token reading does, whatever the statuses', () => {
    const statuses: TokenRow['status'][] = ['active', 'rotating', 'expired', 'revoked', 'archived'];
    const providers = ['github', 'gitlab', 'openai', 'aws', 'stripe'];
    // A fixed pseudo-random walk: expiries from a month ago to 14 months ahead, some with none.
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      ...row(i, next() < 0.1 ? null : NOW + Math.floor((next() * 450 - 30) * 24) * HOUR),
      provider: providers[Math.floor(next() * providers.length)] ?? 'github',
      status: statuses[Math.floor(next() * statuses.length)] ?? 'active',
    }));

    // The reference: each token read on its own, grouped under a key, sorted at the end.
    const end = timeMonth.offset(new Date(NOW), 12).getTime();
    const byKey = new Map<string, { week: number | null; provider: string; ids: string[] }>();
    const live = rows.filter((t) => t.status !== 'revoked' && t.status !== 'archived');
    const dated = live.filter((t) => t.expires_at !== null);
    for (const token of [...dated].sort(
      (a, b) => Date.parse(a.expires_at ?? '') - Date.parse(b.expires_at ?? ''),
    )) {
      const at = Date.parse(token.expires_at ?? '');
      const expired = effectiveStatus(token, NOW) === 'expired';
      if (!expired && at > end) continue;
      const week = expired ? null : timeWeek.floor(new Date(at)).getTime();
      const key = `${week}|${token.provider}`;
      const group = byKey.get(key) ?? { week, provider: token.provider, ids: [] };
      group.ids.push(token.id);
      byKey.set(key, group);
    }
    const expected = [...byKey.values()].sort(
      (a, b) =>
        (a.week ?? -Infinity) - (b.week ?? -Infinity) || a.provider.localeCompare(b.provider),
    );

    const timeline = buildTimeline(rows, NOW);
    expect(
      timeline.groups.map((g) => ({
        week: g.week?.getTime() ?? null,
        provider: g.provider,
        ids: g.tokens.map((t) => t.id),
      })),
    ).toEqual(expected);
    expect(timeline.noExpiry).toBe(live.length - dated.length);
    expect(timeline.placed + timeline.later).toBe(dated.length);
    // Stacks: each column's marks from the bottom, each knowing how many tokens lie below it.
    let below = 0;
    timeline.groups.forEach((group, i) => {
      const previous = timeline.groups[i - 1];
      const sameColumn =
        previous !== undefined && previous.week?.getTime() === group.week?.getTime();
      if (!sameColumn) below = 0;
      expect(group.stackIndex).toBe(sameColumn ? (previous?.stackIndex ?? 0) + 1 : 0);
      expect(group.below).toBe(below);
      below += group.tokens.length;
    });
    expect(timeline.tallest).toBeGreaterThan(0);
  });
});
