// Countdown words and urgency at fixed instants: the rounding rules and the thresholds.
import { describe, expect, it } from 'vitest';
import { countdownText, durationWords, timeLeft, urgency } from './countdown';

const NOW = Date.parse('2026-01-15T12:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const THRESHOLDS = { warn_days: 30, urgent_days: 7 };

describe('durationWords', () => {
  it.each([
    [20 * MIN, '20 min'],
    [59 * MIN, '59 min'],
    [3 * HOUR + 10 * MIN, '3 h'],
    [23 * HOUR, '23 h'],
    [23.6 * HOUR, '1 day'],
    [6 * DAY + 2 * HOUR, '6 days'],
    [13 * DAY, '13 days'],
    [14 * DAY, '2 weeks'],
    [35 * DAY, '5 weeks'],
    [59 * DAY, '8 weeks'],
    [60 * DAY, '2 months'],
    [240 * DAY, '8 months'],
    [729 * DAY, '24 months'],
    [730 * DAY, '2 years'],
  ])('%d ms reads "%s"', (ms, words) => {
    expect(durationWords(ms)).toBe(words);
  });
});

describe('timeLeft and countdownText', () => {
  it('says how long until a future expiry', () => {
    expect(timeLeft(at(3 * HOUR), NOW)).toBe('in 3 h');
    expect(countdownText(at(6 * DAY), NOW)).toBe('expires in 6 days');
    expect(countdownText(at(35 * DAY), NOW)).toBe('expires in 5 weeks');
    expect(countdownText(at(240 * DAY), NOW)).toBe('expires in 8 months');
  });

  it('says how long ago a past expiry was', () => {
    expect(countdownText(at(-2 * DAY), NOW)).toBe('expired 2 days ago');
  });

  it('says plainly when there is no expiry', () => {
    expect(countdownText(null, NOW)).toBe('no expiry');
  });
});

describe('urgency', () => {
  const active = (offset: number | null) => ({
    status: 'active' as const,
    expires_at: offset === null ? null : at(offset),
  });

  it('is calm beyond the warning threshold and for no expiry', () => {
    expect(urgency(active(31 * DAY), NOW, THRESHOLDS)).toBe('calm');
    expect(urgency(active(null), NOW, THRESHOLDS)).toBe('calm');
  });

  it('warns within warn_days and is urgent within urgent_days', () => {
    expect(urgency(active(30 * DAY), NOW, THRESHOLDS)).toBe('warning');
    expect(urgency(active(8 * DAY), NOW, THRESHOLDS)).toBe('warning');
    expect(urgency(active(7 * DAY), NOW, THRESHOLDS)).toBe('urgent');
    expect(urgency(active(1 * HOUR), NOW, THRESHOLDS)).toBe('urgent');
  });

  it('is expired once the moment has passed', () => {
    expect(urgency(active(0), NOW, THRESHOLDS)).toBe('expired');
    expect(urgency(active(-DAY), NOW, THRESHOLDS)).toBe('expired');
  });

  it('is inactive for revoked and archived tokens whatever their expiry', () => {
    expect(urgency({ status: 'revoked', expires_at: at(DAY) }, NOW, THRESHOLDS)).toBe('inactive');
    expect(urgency({ status: 'archived', expires_at: at(-DAY) }, NOW, THRESHOLDS)).toBe('inactive');
  });

  it('follows the thresholds from settings', () => {
    const strict = { warn_days: 60, urgent_days: 40 };
    expect(urgency(active(45 * DAY), NOW, strict)).toBe('warning');
    expect(urgency(active(35 * DAY), NOW, strict)).toBe('urgent');
  });
});
