// The shell's keyboard shortcuts: which key press gives which action, and when a key is left alone.
import { describe, expect, it } from 'vitest';
import { PREVENTS_DEFAULT, isEditable, shortcutFor, type KeyPress } from './shortcuts';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  inEditable: false,
  inSearch: false,
  ...extra,
});
const ctrl = (key: string, extra: Partial<KeyPress> = {}) =>
  press(key, { ctrlKey: true, ...extra });
const IDLE = { dialogOpen: false, searchHasText: false, detailOpen: false };
const DIALOG = { ...IDLE, dialogOpen: true };

describe('shortcutFor', () => {
  it.each([
    [ctrl('n'), 'new-token'],
    [ctrl('i'), 'import'],
    [ctrl('e'), 'export'],
    [ctrl('l'), 'lock'],
    [ctrl('R', { shiftKey: true }), 'panic'],
    [press('/'), 'focus-search'],
    [ctrl('1'), 'show-dashboard'],
    [ctrl('2'), 'show-inventory'],
    [ctrl('3'), 'show-health'],
  ] as const)('maps %o to %s', (key, action) => {
    expect(shortcutFor(key, IDLE)).toBe(action);
  });

  it('treats Cmd like Ctrl and ignores the letter case', () => {
    expect(shortcutFor(press('N', { metaKey: true }), IDLE)).toBe('new-token');
    expect(shortcutFor(press('L', { metaKey: true }), IDLE)).toBe('lock');
  });

  it('lock and panic revoke work with a dialog open; the other shortcuts do not', () => {
    expect(shortcutFor(ctrl('l'), DIALOG)).toBe('lock');
    expect(shortcutFor(ctrl('r', { shiftKey: true }), DIALOG)).toBe('panic');
    for (const key of [ctrl('n'), ctrl('i'), ctrl('e'), press('/'), press('Escape')]) {
      expect(shortcutFor(key, { ...DIALOG, searchHasText: true, detailOpen: true })).toBeNull();
    }
  });

  it('leaves plain letters, Ctrl+R without Shift and a typed slash alone', () => {
    expect(shortcutFor(press('n'), IDLE)).toBeNull();
    expect(shortcutFor(ctrl('r'), IDLE)).toBeNull();
    expect(shortcutFor(press('/', { inEditable: true }), IDLE)).toBeNull();
    expect(shortcutFor(ctrl('/'), IDLE)).toBeNull();
  });

  it('Escape clears a non-empty search first, then closes the open detail', () => {
    const both = { ...IDLE, searchHasText: true, detailOpen: true };
    expect(shortcutFor(press('Escape', { inSearch: true }), both)).toBe('clear-search');
    expect(shortcutFor(press('Escape'), both)).toBe('close-detail');
    expect(
      shortcutFor(press('Escape', { inSearch: true }), { ...both, searchHasText: false }),
    ).toBe('close-detail');
    expect(shortcutFor(press('Escape'), IDLE)).toBeNull();
  });

  it('keeps the browser default only for Escape', () => {
    expect(PREVENTS_DEFAULT.has('clear-search')).toBe(false);
    expect(PREVENTS_DEFAULT.has('close-detail')).toBe(false);
    expect(PREVENTS_DEFAULT.has('new-token')).toBe(true);
    expect(PREVENTS_DEFAULT.has('focus-search')).toBe(true);
  });
});

describe('isEditable', () => {
  // jsdom has no isContentEditable, so contenteditable is left to the end-to-end tests.
  it('is true for text fields, text areas and selects, not for buttons or nothing', () => {
    expect(isEditable(document.createElement('input'))).toBe(true);
    expect(isEditable(document.createElement('textarea'))).toBe(true);
    expect(isEditable(document.createElement('select'))).toBe(true);
    expect(isEditable(document.createElement('div'))).toBe(false);
    expect(isEditable(document.createElement('button'))).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});
