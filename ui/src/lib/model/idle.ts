// Calls `onIdle` once after `timeoutMs` without keyboard, mouse or touch input on `target`.
// Returns the function that stops watching (an $effect's teardown).

const INPUT_EVENTS = [
  'keydown',
  'pointerdown',
  'pointermove',
  'mousedown',
  'mousemove',
  'wheel',
  'touchstart',
];

export function watchIdle(target: EventTarget, timeoutMs: number, onIdle: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, timeoutMs);
  };
  for (const name of INPUT_EVENTS) target.addEventListener(name, reset, { passive: true });
  reset();
  return () => {
    clearTimeout(timer);
    for (const name of INPUT_EVENTS) target.removeEventListener(name, reset);
  };
}
