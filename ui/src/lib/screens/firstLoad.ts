// What the unlocked screen shows first, asked for as soon as the vault is open (by App, before
// the screen mounts). App waits for the rows before it mounts the screen, so the screen's first
// frame already holds every token: mounting an empty screen and then filling it would lay out and
// paint the whole screen twice, and the second frame would wait for the first. Kept apart from
// Inventory.svelte so that the lock screen's chunk can use it without loading the unlocked screens.
import type { Backend, HealthSummary, TokenRow } from '../backend';

export interface FirstLoad {
  rows: Promise<TokenRow[]>;
  summary: Promise<HealthSummary>;
  /** The rows once they have come: the screen starts with them instead of awaiting `rows`. */
  rowsNow: TokenRow[] | undefined;
}

export function firstLoad(backend: Backend): FirstLoad {
  const load: FirstLoad = {
    rows: backend.listTokenRows(),
    summary: backend.healthSummary(),
    rowsNow: undefined,
  };
  // Their failures are handled where they are awaited; the screen may never mount to await them
  // (a lock at once), and that must not be reported as an unhandled rejection.
  load.rows.then(
    (rows) => (load.rowsNow = rows),
    () => undefined,
  );
  load.summary.catch(() => undefined);
  return load;
}

/** Settles when the rows have come or failed (the screen reports a failure itself). */
export function rowsSettled(load: FirstLoad): Promise<void> {
  return load.rows.then(
    () => undefined,
    () => undefined,
  );
}
