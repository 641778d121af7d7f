// What the unlocked screen shows first, asked for as soon as the vault is open (by App, before
// the screen mounts). Mounting holds the page's one thread for a while; requests sent before it
// are answered meanwhile instead of after it. Kept apart from Inventory.svelte so that the lock
// screen's chunk can use it without loading the unlocked screens.
import type { Backend, HealthSummary, TokenRow } from '../backend';

export interface FirstLoad {
  rows: Promise<TokenRow[]>;
  summary: Promise<HealthSummary>;
}

export function firstLoad(backend: Backend): FirstLoad {
  const rows = backend.listTokenRows();
  const summary = backend.healthSummary();
  // Their failures are handled where they are awaited; the screen may never mount to await them
  // (a lock at once), and that must not be reported as an unhandled rejection.
  rows.catch(() => undefined);
  summary.catch(() => undefined);
  return { rows, summary };
}
