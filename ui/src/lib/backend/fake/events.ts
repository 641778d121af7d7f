// The fake's events: lock, import progress, reminders due and open-token requests, each with the
// test hooks that fire them. Listeners live in the state; nothing here touches tokens.
import type { DueNotice, ImportProgress, OpenToken } from '../types';
import type { FakeState } from './state';

/** Simulates Rust locking the vault by itself and emitting `vault-locked`. */
export function emitLocked(s: FakeState): void {
  s.lockNow();
  for (const listener of [...s.lockListeners]) listener();
}

/** Simulates Rust sending reminders no notification server took (`reminders-due`). */
export function emitRemindersDue(s: FakeState, due: DueNotice[]): void {
  for (const listener of [...s.reminderListeners]) listener(structuredClone(due));
}

/** Simulates the tray or a notification asking to show a token (`open-token`). */
export function requestOpen(s: FakeState, id: string, rotate = false): void {
  s.openRequest = { id, rotate };
  for (const listener of [...s.openListeners]) listener();
}

export function onImportProgress(
  s: FakeState,
  callback: (progress: ImportProgress) => void,
): Promise<() => void> {
  s.log.push({ method: 'onImportProgress', args: [] });
  s.progressListeners.add(callback);
  return Promise.resolve(() => {
    s.progressListeners.delete(callback);
  });
}

export function onLocked(s: FakeState, callback: () => void): Promise<() => void> {
  s.log.push({ method: 'onLocked', args: [] });
  s.lockListeners.add(callback);
  return Promise.resolve(() => {
    s.lockListeners.delete(callback);
  });
}

export function takeOpenRequest(s: FakeState): Promise<OpenToken | null> {
  return s.run('takeOpenRequest', [], () => {
    const request = s.openRequest;
    s.openRequest = null;
    return request;
  });
}

export function onOpenRequest(s: FakeState, callback: () => void): Promise<() => void> {
  s.log.push({ method: 'onOpenRequest', args: [] });
  s.openListeners.add(callback);
  return Promise.resolve(() => {
    s.openListeners.delete(callback);
  });
}

export function onRemindersDue(
  s: FakeState,
  callback: (due: DueNotice[]) => void,
): Promise<() => void> {
  s.log.push({ method: 'onRemindersDue', args: [] });
  s.reminderListeners.add(callback);
  return Promise.resolve(() => {
    s.reminderListeners.delete(callback);
  });
}
