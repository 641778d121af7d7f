// The one interface the UI talks to, and how components get it (Svelte context).
// Implementations: tauri.ts (the real app, over IPC) and fake.ts (in memory, for tests).
import { getContext, setContext } from 'svelte';
import type { VaultStatus } from './types';

export * from './types';

export interface Backend {
  /** The vault's state without unlocking it. Rejects with a BackendError. */
  vaultStatus(): Promise<VaultStatus>;
}

const KEY = Symbol('tokenwarden-backend');

/** The context entry `mount` or a parent component provides. */
export function backendContext(backend: Backend): Map<symbol, Backend> {
  return new Map([[KEY, backend]]);
}

export function setBackend(backend: Backend): void {
  setContext(KEY, backend);
}

export function getBackend(): Backend {
  const backend = getContext<Backend | undefined>(KEY);
  if (!backend) throw new Error('no backend in context: mount the app with backendContext(...)');
  return backend;
}
