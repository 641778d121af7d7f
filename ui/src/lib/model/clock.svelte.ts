// The UI's notion of "now": a reactive value that ticks every 30 s so countdowns re-render live.
// Components read it from context, so tests hand them a clock frozen at a chosen instant.
import { getContext } from 'svelte';

export class Clock {
  now = $state(0);
  private readonly read: () => number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(read: () => number = Date.now, tickMs = 30_000) {
    this.read = read;
    this.now = read();
    if (tickMs > 0) this.timer = setInterval(() => this.tick(), tickMs);
  }

  tick(): void {
    this.now = this.read();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

type Instant = string | number | Date;

function toMs(at: Instant): number {
  if (typeof at === 'number') return at;
  return typeof at === 'string' ? Date.parse(at) : at.getTime();
}

/** A clock that stays at `at` until `set` moves it: for tests. */
export class FixedClock extends Clock {
  constructor(at: Instant) {
    super(() => toMs(at), 0);
  }

  set(at: Instant): void {
    this.now = toMs(at);
  }
}

const KEY = Symbol('tokenwarden-clock');
let shared: Clock | undefined;

export function clockContext(clock: Clock): Map<symbol, Clock> {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a context entry, never mutated
  return new Map([[KEY, clock]]);
}

/** The clock in context, or one shared real clock when none was provided. */
export function getClock(): Clock {
  const clock = getContext<Clock | undefined>(KEY);
  if (clock) return clock;
  shared ??= new Clock();
  return shared;
}
