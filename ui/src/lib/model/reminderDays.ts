// The days-before-expiry reminders as a person types them: "30, 7, 1". Pure; the same limits as
// Rust (each a whole number of days from 1 to 365, at most 10), so a mistake is shown at the field
// before any call, and Rust checks again.

export const MAX_REMINDER_DAYS = 10;

export type ParsedDays = { days: number[] } | { error: string };

/**
 * "30, 7 1" → [30, 7, 1]: separated by commas or spaces, duplicates dropped, largest first.
 * Empty is "no reminder before expiry" where `allowNone` says so (the vault's default may be
 * just the reminder at expiry), and a mistake otherwise.
 */
export function parseReminderDays(text: string, allowNone = false): ParsedDays {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) {
    return allowNone ? { days: [] } : { error: 'Give at least one day, like "30, 7, 1".' };
  }
  const days = new Set<number>();
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return { error: `"${part}" is not a whole number of days.` };
    const day = Number(part);
    if (day < 1 || day > 365) return { error: `${day} is not between 1 and 365 days.` };
    days.add(day);
  }
  if (days.size > MAX_REMINDER_DAYS) {
    return { error: `At most ${MAX_REMINDER_DAYS} reminders before expiry.` };
  }
  return { days: [...days].sort((a, b) => b - a) };
}

/** [30, 7, 1] → "30, 7, 1". */
export function formatReminderDays(days: readonly number[]): string {
  return days.join(', ');
}
