// Entry point of the real app. The window's first frame is index.html's copy of the lock screen,
// styled by app.css: it is painted before the app's code is fetched and run, and the app
// (boot.ts, a chunk of its own) replaces it a frame later. Tests mount components with the fake
// backend instead (see lib/backend/fake/).
import './app.css';

let started = false;

function start(): void {
  if (started) return;
  started = true;
  import('./boot').catch((error: unknown) => {
    const status = document.querySelector('.gate-status');
    if (status) {
      status.removeAttribute('aria-busy');
      status.textContent = `Tokenwarden could not start: ${String(error)}`;
    }
  });
}

// After the next paint: a frame callback runs just before it, a task queued from there just after.
requestAnimationFrame(() => setTimeout(start));
// A window that paints nothing yet (hidden when it starts) gets no frame callback: start anyway.
setTimeout(start, 100);
