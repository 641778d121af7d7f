// The dashboard's expiry timeline as data: live tokens grouped by the week they expire in and by
// provider (one mark per group, so 10,000 tokens still make at most a few hundred marks), the
// expired ones in a column of their own, and the chart's scales (d3-scale over d3-time weeks).
// Pure: `now` comes in; nothing here touches the DOM.
import { scaleLinear, scaleTime, type ScaleLinear, type ScaleTime } from 'd3-scale';
import { timeMonth, timeWeek } from 'd3-time';
import type { TokenRow } from '../backend';
import { isInactive } from './countdown';
import { effectiveStatus } from './inventory';

/** Tokens of one provider that expire in one week (or have expired: `week` null). */
export interface TimelineGroup {
  key: string;
  /** The start of the week they expire in; null for the expired column. */
  week: Date | null;
  provider: string;
  /** Soonest first. */
  tokens: TokenRow[];
  /** Position in its column's stack, from the bottom. */
  stackIndex: number;
  /** How many tokens lie below it in its column. */
  below: number;
}

export interface Timeline {
  start: Date;
  end: Date;
  /** Ordered by column (expired first, then by week) and, in a column, from the bottom. */
  groups: TimelineGroup[];
  /** Tokens the chart places (expired + within the 12 months). */
  placed: number;
  /** Live tokens expiring after the chart's end. */
  later: number;
  noExpiry: number;
  /** The tallest column's token count. */
  tallest: number;
}

export const TIMELINE_MONTHS = 12;

/**
 * `timeWeek.floor` for many instants between `start` and `end`: the week starts in that span are
 * computed once and each instant finds its own by binary search (the same answer, without the
 * local-time arithmetic per token that took about 12 ms for 10,000).
 */
function weekFloor(start: Date, end: Date): (at: number) => Date {
  const weeks = timeWeek.range(timeWeek.floor(start), timeWeek.offset(end, 1));
  return (at) => {
    let lo = 0;
    let hi = weeks.length - 1;
    const first = weeks[0];
    if (!first || at < first.getTime()) return timeWeek.floor(new Date(at));
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((weeks[mid]?.getTime() ?? Infinity) <= at) lo = mid;
      else hi = mid - 1;
    }
    const week = weeks[lo];
    return week ? new Date(week.getTime()) : timeWeek.floor(new Date(at));
  };
}

export function buildTimeline(tokens: readonly TokenRow[], now: number): Timeline {
  const start = new Date(now);
  const end = timeMonth.offset(start, TIMELINE_MONTHS);
  const byKey = new Map<string, { week: Date | null; provider: string; tokens: TokenRow[] }>();
  let later = 0;
  let noExpiry = 0;
  const floorWeek = weekFloor(start, end);
  const expiry = new Map<TokenRow, number>();
  for (const token of tokens) {
    if (isInactive(token)) continue;
    if (token.expires_at === null) {
      noExpiry += 1;
      continue;
    }
    const at = Date.parse(token.expires_at);
    expiry.set(token, at);
    let week: Date | null;
    if (effectiveStatus(token, now) === 'expired') week = null;
    else if (at > end.getTime()) {
      later += 1;
      continue;
    } else week = floorWeek(at);
    const key = `${week === null ? 'expired' : week.getTime()}|${token.provider}`;
    let group = byKey.get(key);
    if (!group) {
      group = { week, provider: token.provider, tokens: [] };
      byKey.set(key, group);
    }
    group.tokens.push(token);
  }
  const column = (week: Date | null) => (week === null ? -Infinity : week.getTime());
  const sorted = [...byKey.entries()].sort(
    ([, a], [, b]) => column(a.week) - column(b.week) || a.provider.localeCompare(b.provider),
  );
  const groups: TimelineGroup[] = [];
  let tallest = 0;
  let placed = 0;
  let current: number | null = null;
  let stackIndex = 0;
  let below = 0;
  for (const [key, group] of sorted) {
    if (column(group.week) !== current) {
      current = column(group.week);
      stackIndex = 0;
      below = 0;
    }
    group.tokens.sort((a, b) => (expiry.get(a) ?? 0) - (expiry.get(b) ?? 0));
    groups.push({ key, ...group, stackIndex, below });
    stackIndex += 1;
    below += group.tokens.length;
    placed += group.tokens.length;
    tallest = Math.max(tallest, below);
  }
  return { start, end, groups, placed, later, noExpiry, tallest };
}

/** The chart's drawing box (SVG user units; the SVG scales to its container's width). */
export const CHART = {
  width: 960,
  height: 260,
  left: 64,
  right: 16,
  top: 16,
  bottom: 32,
  /** The expired column, left of today. */
  expiredWidth: 28,
  gap: 12,
} as const;

export interface TimelineScales {
  x: ScaleTime<number, number>;
  y: ScaleLinear<number, number>;
}

export function timelineScales(timeline: Timeline): TimelineScales {
  const x = scaleTime()
    .domain([timeline.start, timeline.end])
    .range([CHART.left + CHART.expiredWidth + CHART.gap, CHART.width - CHART.right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, timeline.tallest)])
    .range([CHART.height - CHART.bottom, CHART.top])
    .nice();
  return { x, y };
}

/** Where a group's mark goes. */
export function markBox(
  group: TimelineGroup,
  { x, y }: TimelineScales,
): { x: number; y: number; width: number; height: number } {
  const top = y(group.below + group.tokens.length);
  const height = Math.max(1, y(group.below) - top - 1);
  if (group.week === null) {
    return { x: CHART.left, y: top, width: CHART.expiredWidth, height };
  }
  const from = Math.max(x(group.week), x.range()[0] ?? 0);
  const to = x(timeWeek.offset(group.week, 1));
  return { x: from, y: top, width: Math.max(2, to - from - 1), height };
}
