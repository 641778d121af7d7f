// The timeline's grouping: each live token lands in the local week it expires in (the week d3's
// timeWeek.floor gives), by provider, and the expired ones in their own column.
import { timeWeek } from 'd3-time';
import { describe, expect, it } from 'vitest';
import type { TokenRow } from '../backend';
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
});
