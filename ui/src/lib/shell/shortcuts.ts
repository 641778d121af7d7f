/*
 * The unlocked app's keyboard shortcuts as a pure function: a key press and what is on screen in,
 * the name of the action out. It never touches the DOM or state; the shell performs the action.
 */

/** What the shell does for a shortcut; `null` means the key is not a shortcut here. */
export type ShortcutAction =
  | 'lock'
  | 'panic'
  | 'new-token'
  | 'import'
  | 'export'
  | 'focus-search'
  | 'clear-search'
  | 'close-detail'
  | 'show-dashboard'
  | 'show-inventory'
  | 'show-health';

/** The parts of a keydown event that decide the shortcut. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** The key went to a text field, text area, select or contenteditable element. */
  inEditable: boolean;
  /** The key went to the search field. */
  inSearch: boolean;
}

/** What is on screen when the key is pressed. */
export interface ShortcutContext {
  dialogOpen: boolean;
  searchHasText: boolean;
  detailOpen: boolean;
}

/** Actions whose key press the shell must keep from the browser (preventDefault). */
export const PREVENTS_DEFAULT: ReadonlySet<ShortcutAction> = new Set<ShortcutAction>([
  'lock',
  'panic',
  'new-token',
  'import',
  'export',
  'focus-search',
  'show-dashboard',
  'show-inventory',
  'show-health',
]);

export function shortcutFor(press: KeyPress, context: ShortcutContext): ShortcutAction | null {
  const mod = press.ctrlKey || press.metaKey;
  const key = press.key.toLowerCase();
  // Locking always works, even with a dialog open.
  if (mod && key === 'l') return 'lock';
  // Like Lock, panic revoke is reachable from anywhere; it replaces an open dialog.
  if (mod && press.shiftKey && key === 'r') return 'panic';
  if (context.dialogOpen) return null; // the dialog handles its own keys
  if (mod && key === 'n') return 'new-token';
  if (mod && key === 'i') return 'import';
  if (mod && key === 'e') return 'export';
  // Ctrl+1/2/3: the dashboard, the inventory (All tokens) and Health, from anywhere.
  if (mod && press.key === '1') return 'show-dashboard';
  if (mod && press.key === '2') return 'show-inventory';
  if (mod && press.key === '3') return 'show-health';
  if (press.key === '/' && !mod && !press.inEditable) return 'focus-search';
  if (press.key === 'Escape') {
    if (press.inSearch && context.searchHasText) return 'clear-search';
    if (context.detailOpen) return 'close-detail';
  }
  return null;
}

/** Whether an event target takes typed text, so plain keys like `/` belong to it. */
export function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}
