// Time left in words and how urgent it is. Pure: every function takes `now` (ms since the epoch)
// so the rules can be tested to the minute; only the clock store reads the real time.
import type { Settings, TokenRow } from '../backend';

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

export function isInactive(token: Pick<TokenRow, 'status'>): boolean {
  return token.status === 'revoked' || token.status === 'archived';
}

export function urgency(
  token: Pick<TokenRow, 'status' | 'expires_at'>,
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

/**
 * The exact moment in the user's own time zone and locale, for tooltips and the detail pane:
 * "15 Jan 2026, 17:30 GMT+5:30" in en-GB in Kolkata. The zone is always named, so a time read
 * aloud or pasted elsewhere is never ambiguous. Exports and JSON keep UTC; only the screen is local.
 */
export function exactTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(date);
}

/** The calendar day in the user's time zone and locale, for tables: "15 Jan 2026". */
export function localDate(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day of a moment, as a date field holds it: "2026-03-01". */
export function localDateInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The start of a day picked in a date field, in the user's time zone, as UTC for the backend:
 * "2026-03-01" picked in Kolkata is 2026-02-28T18:30:00.000Z. Null when the text is not a date.
 */
export function fromLocalDateInput(day: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
