// Test helpers: the context a component needs (fake backend + frozen clock) and fixed instants.
// Imported only by tests; the app never bundles it.
import { backendContext, type Backend } from './backend';
import { FAKE_NOW } from './backend/fake';
import { clockContext, FixedClock } from './model/clock.svelte';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** An ISO instant `days` after FAKE_NOW (negative for the past). */
export function daysFromNow(days: number, hours = 0): string {
  return new Date(Date.parse(FAKE_NOW) + days * DAY_MS + hours * HOUR_MS).toISOString();
}

export function testContext(
  backend: Backend,
  clock = new FixedClock(FAKE_NOW),
): Map<symbol, unknown> {
  return new Map<symbol, unknown>([...backendContext(backend), ...clockContext(clock)]);
}
