// Dates on screen are in the user's time zone: the same instant read in Kolkata and New York,
// and a day picked in a date field stays that day wherever the user is. TZ is switched per test
// (Node re-reads it for Date and Intl); the original zone is restored after each.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exactTime, fromLocalDateInput, localDate, localDateInput } from './countdown';

function inZone(zone: string): void {
  vi.stubEnv('TZ', zone);
}
afterEach(() => {
  vi.unstubAllEnvs();
});

const NOON_UTC = '2026-01-15T12:00:00Z';
const LATE_UTC = '2026-01-15T23:30:00Z';

describe('exactTime', () => {
  it('shows the wall-clock time of the zone, and names the zone', () => {
    inZone('Asia/Kolkata');
    expect(exactTime(NOON_UTC, 'en-GB')).toBe('15 Jan 2026, 17:30 GMT+5:30');
    inZone('America/New_York');
    expect(exactTime(NOON_UTC, 'en-GB')).toBe('15 Jan 2026, 07:00 GMT-5');
  });

  it('follows the locale for the order and the month name', () => {
    inZone('Europe/Berlin');
    expect(exactTime(NOON_UTC, 'de-DE')).toBe('15. Jan. 2026, 13:00 MEZ');
    expect(exactTime(NOON_UTC, 'en-US')).toBe('Jan 15, 2026, 01:00 PM GMT+1');
  });

  it('gives back what it cannot read rather than "Invalid Date"', () => {
    expect(exactTime('not a date')).toBe('not a date');
  });
});

describe('localDate', () => {
  it('is the local calendar day, which can differ from the UTC day', () => {
    inZone('Asia/Kolkata');
    expect(localDate(LATE_UTC, 'en-GB')).toBe('16 Jan 2026');
    inZone('America/New_York');
    expect(localDate(LATE_UTC, 'en-GB')).toBe('15 Jan 2026');
  });
});

describe('date fields', () => {
  it('a picked day starts at local midnight and reads back as the same day', () => {
    inZone('Asia/Kolkata');
    expect(fromLocalDateInput('2026-03-01')).toBe('2026-02-28T18:30:00.000Z');
    expect(localDateInput('2026-02-28T18:30:00.000Z')).toBe('2026-03-01');
    inZone('America/New_York');
    expect(fromLocalDateInput('2026-03-01')).toBe('2026-03-01T05:00:00.000Z');
    expect(localDateInput('2026-03-01T05:00:00.000Z')).toBe('2026-03-01');
  });

  it('refuses text that is not a day', () => {
    expect(fromLocalDateInput('')).toBeNull();
    expect(fromLocalDateInput('1 March')).toBeNull();
    expect(localDateInput('garbage')).toBe('');
  });
});
