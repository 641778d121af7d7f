// Entry point of the real app: mounts the UI with the Tauri backend in context.
// Tests mount components with the fake backend instead (see lib/backend/fake/).
import { mount } from 'svelte';
import App from './App.svelte';
import { backendContext } from './lib/backend';
import { TauriBackend } from './lib/backend/tauri';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// index.html drew the lock screen's frame before this ran; the app replaces it in the same task,
// before the next paint, so the window does not flicker.
target.replaceChildren();
export default mount(App, { target, context: backendContext(new TauriBackend()) });
