// Time left in words and how urgent it is. Pure: every function takes `now` (ms since the epoch)
// so the rules can be tested to the minute; only the clock store reads the real time.
import type { Settings, TokenView } from '../backend';

export type Urgency = 'calm' | 'warning' | 'urgent' | 'expired' | 'inactive';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** A duration rounded to the nearest sensible unit: "3 h", "6 days", "5 weeks", "8 months". */
export function durationWords(ms: number): string {
  const d = Math.abs(ms);
  if (d < HOUR) return `${Math.max(1, Math.round(d / MINUTE))} min`;
  if (d < 23.5 * HOUR) return `${Math.round(d / HOUR)} h`;
  const days = Math.round(d / DAY);
  if (days < 14) return plural(days, 'day');
  if (days < 60) return plural(Math.round(days / 7), 'week');
  if (days < 730) return plural(Math.round(days / 30), 'month');
  return plural(Math.round(days / 365), 'year');
}

/** "in 6 days", "expired 2 days ago" or "no expiry". */
export function timeLeft(expiresAt: string | null, now: number): string {
  if (expiresAt === null) return 'no expiry';
  const left = Date.parse(expiresAt) - now;
  return left > 0 ? `in ${durationWords(left)}` : `expired ${durationWords(left)} ago`;
}

/** The list's display form: "expires in 6 days" / "expired 2 days ago" / "no expiry". */
export function countdownText(expiresAt: string | null, now: number): string {
  const words = timeLeft(expiresAt, now);
  return words.startsWith('in ') ? `expires ${words}` : words;
}

/** "3 days ago", for when something happened. */
export function ago(iso: string, now: number): string {
  return `${durationWords(now - Date.parse(iso))} ago`;
}

export function isInactive(token: Pick<TokenView, 'status'>): boolean {
  return token.status === 'revoked' || token.status === 'archived';
}

export function urgency(
  token: Pick<TokenView, 'status' | 'expires_at'>,
  now: number,
  thresholds: Pick<Settings, 'warn_days' | 'urgent_days'>,
): Urgency {
  if (isInactive(token)) return 'inactive';
  if (token.status === 'expired') return 'expired';
  if (token.expires_at === null) return 'calm';
  const left = Date.parse(token.expires_at) - now;
  if (left <= 0) return 'expired';
  if (left <= thresholds.urgent_days * DAY) return 'urgent';
  if (left <= thresholds.warn_days * DAY) return 'warning';
  return 'calm';
}

/** The word that carries the urgency for people who cannot tell the colours apart. */
export const URGENCY_LABEL: Record<Urgency, string> = {
  calm: 'OK',
  warning: 'Expiring soon',
  urgent: 'Urgent',
  expired: 'Expired',
  inactive: 'Inactive',
};

export const URGENCY_ICON: Record<Urgency, string> = {
  calm: '○',
  warning: '▲',
  urgent: '◆',
  expired: '✕',
  inactive: '–',
};

/** The exact moment, for tooltips and the detail pane: "15 Jan 2026, 12:00 UTC". */
export function exactTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  })
    .format(date)
    .concat(' UTC');
}
