// The real app, imported by main.ts once index.html's lock-screen frame is painted: mounts the UI
// with the Tauri backend in context.
import { mount } from 'svelte';
import App from './App.svelte';
import { backendContext } from './lib/backend';
import { TauriBackend } from './lib/backend/tauri';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// index.html's lock-screen frame is on screen; the app replaces it in the same task, before the
// next paint, so the window does not flicker.
target.replaceChildren();
export default mount(App, { target, context: backendContext(new TauriBackend()) });
