// Calls `onIdle` once after `timeoutMs` without keyboard, mouse or touch input on `target` (or
// without the `events` given). Returns the function that stops watching (an $effect's teardown).

export const INPUT_EVENTS = [
  'keydown',
  'pointerdown',
  'pointermove',
  'mousedown',
  'mousemove',
  'wheel',
  'touchstart',
];

/** The input that makes the page work (type, click, scroll), without mere pointer movement. */
export const WORK_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'];

export function watchIdle(
  target: EventTarget,
  timeoutMs: number,
  onIdle: () => void,
  events: readonly string[] = INPUT_EVENTS,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, timeoutMs);
  };
  for (const name of events) target.addEventListener(name, reset, { passive: true });
  reset();
  return () => {
    clearTimeout(timer);
    for (const name of events) target.removeEventListener(name, reset);
  };
}
