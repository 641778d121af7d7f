// Reminder days as typed: what is accepted, how it is tidied, and the words for each mistake.
import { describe, expect, it } from 'vitest';
import { formatReminderDays, parseReminderDays } from './reminderDays';

describe('parseReminderDays', () => {
  it('takes commas or spaces, drops duplicates and puts the largest first', () => {
    expect(parseReminderDays('7, 30 1,7')).toEqual({ days: [30, 7, 1] });
    expect(parseReminderDays(' 365 ')).toEqual({ days: [365] });
  });

  it.each([
    ['', 'Give at least one day, like "30, 7, 1".'],
    ['7, soon', '"soon" is not a whole number of days.'],
    ['1.5', '"1.5" is not a whole number of days.'],
    ['-3', '"-3" is not a whole number of days.'],
    ['0', '0 is not between 1 and 365 days.'],
    ['366', '366 is not between 1 and 365 days.'],
    ['1 2 3 4 5 6 7 8 9 10 11', 'At most 10 reminders before expiry.'],
  ])('refuses %j', (text, error) => {
    expect(parseReminderDays(text)).toEqual({ error });
  });

  it('takes an empty field as "none before expiry" only where that is allowed', () => {
    expect(parseReminderDays('  ', true)).toEqual({ days: [] });
    expect(parseReminderDays('  ')).toEqual({ error: 'Give at least one day, like "30, 7, 1".' });
  });

  it('round-trips what it formats', () => {
    expect(parseReminderDays(formatReminderDays([60, 14, 2]))).toEqual({ days: [60, 14, 2] });
  });
});
