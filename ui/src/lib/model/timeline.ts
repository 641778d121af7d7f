// The dashboard's expiry timeline as data: live tokens grouped by the week they expire in and by
// provider (one mark per group, so 10,000 tokens still make at most a few hundred marks), the
// expired ones in a column of their own, and the chart's scales (d3-scale over d3-time weeks).
// Pure: `now` comes in; nothing here touches the DOM.
import { scaleLinear, scaleTime, type ScaleLinear, type ScaleTime } from 'd3-scale';
import { timeMonth, timeWeek } from 'd3-time';
import type { TokenRow } from '../backend';
import { isInactive } from './countdown';

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
 * `timeWeek.floor` for many instants between `start` and `end`, as epoch milliseconds: the week
 * starts in that span are computed once and each instant finds its own by binary search (the same
 * answer, without the local-time arithmetic per token that took about 12 ms for 10,000).
 */
function weekFloor(start: Date, end: Date): (at: number) => number {
  const weeks = timeWeek
    .range(timeWeek.floor(start), timeWeek.offset(end, 1))
    .map((w) => w.getTime());
  const first = weeks[0];
  return (at) => {
    if (first === undefined || at < first) return timeWeek.floor(new Date(at)).getTime();
    let lo = 0;
    let hi = weeks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((weeks[mid] ?? Infinity) <= at) lo = mid;
      else hi = mid - 1;
    }
    return weeks[lo] ?? timeWeek.floor(new Date(at)).getTime();
  };
}

/** The expired column's place among the weeks: before them all. */
const EXPIRED = -Infinity;

interface Gathering {
  /** The week's start (epoch ms), or EXPIRED. */
  column: number;
  provider: string;
  /** Each token with its expiry (epoch ms), to sort by without parsing again. */
  tokens: { at: number; token: TokenRow }[];
}

export function buildTimeline(tokens: readonly TokenRow[], now: number): Timeline {
  const start = new Date(now);
  const end = timeMonth.offset(start, TIMELINE_MONTHS);
  const endAt = end.getTime();
  // Column → provider → its tokens: no key string built per token.
  const byColumn = new Map<number, Map<string, Gathering>>();
  let later = 0;
  let noExpiry = 0;
  const floorWeek = weekFloor(start, end);
  for (const token of tokens) {
    if (isInactive(token)) continue;
    if (token.expires_at === null) {
      noExpiry += 1;
      continue;
    }
    const at = Date.parse(token.expires_at);
    // `effectiveStatus(token, now) === 'expired'`, with the expiry parsed once.
    const expired =
      token.status === 'expired' ||
      ((token.status === 'active' || token.status === 'rotating') && at <= now);
    let column: number;
    if (expired) column = EXPIRED;
    else if (at > endAt) {
      later += 1;
      continue;
    } else column = floorWeek(at);
    let providers = byColumn.get(column);
    if (!providers) {
      providers = new Map();
      byColumn.set(column, providers);
    }
    let group = providers.get(token.provider);
    if (!group) {
      group = { column, provider: token.provider, tokens: [] };
      providers.set(token.provider, group);
    }
    group.tokens.push({ at, token });
  }
  const gathered = [...byColumn.values()].flatMap((providers) => [...providers.values()]);
  gathered.sort((a, b) => a.column - b.column || a.provider.localeCompare(b.provider));
  const groups: TimelineGroup[] = [];
  let tallest = 0;
  let placed = 0;
  let current: number | null = null;
  let stackIndex = 0;
  let below = 0;
  for (const group of gathered) {
    if (group.column !== current) {
      current = group.column;
      stackIndex = 0;
      below = 0;
    }
    group.tokens.sort((a, b) => a.at - b.at);
    const week = group.column === EXPIRED ? null : new Date(group.column);
    const key = `${week === null ? 'expired' : group.column}|${group.provider}`;
    const members = group.tokens.map((t) => t.token);
    groups.push({ key, week, provider: group.provider, tokens: members, stackIndex, below });
    stackIndex += 1;
    below += members.length;
    placed += members.length;
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
