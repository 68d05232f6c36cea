/**
 * The explorer's keyboard shortcuts (client/src/shortcuts.ts), as the README lists them:
 * E expand, H hide, P pin, Delete remove, Ctrl+Z / Ctrl+Shift+Z undo/redo, Ctrl+A select all, Esc
 * clear the selection, F fit, / search. In the browser they are exercised by test/e2e/explorer.e2e.test.ts
 * and test/e2e/explorer-workbench.e2e.test.ts.
 */
import { SHORTCUT_HELP, shortcutFor } from '../../client/src/shortcuts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => shortcutFor({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

test('each key of the README does what it says', () => {
  expect(key('e')).toBe('expand');
  expect(key('h')).toBe('hide');
  expect(key('p')).toBe('pin');
  expect(key('Delete')).toBe('remove');
  expect(key('Backspace')).toBe('remove');
  expect(key('f')).toBe('fit');
  expect(key('/')).toBe('focusSearch');
  expect(key('Escape')).toBe('clearSelection');
  expect(key('?', { shiftKey: true })).toBe('help');
  expect(key('s')).toBe('screen');
});

test('the sheet of shortcuts names every key that does something', () => {
  const sheet = SHORTCUT_HELP.map((s) => s.keys).join(' ');
  for (const k of ['/', 'E', 'H', 'P', 'Delete', 'Backspace', 'F', 'Ctrl+A', 'Esc', 'Ctrl+Z', 'Ctrl+Shift+Z', 'Ctrl+Y', '?', 'S']) expect([k, sheet.includes(k)]).toEqual([k, true]);
});

test('Ctrl or Cmd + A selects all nodes', () => {
  expect(key('a', { ctrlKey: true })).toBe('selectAll');
  expect(key('a', { metaKey: true })).toBe('selectAll');
  expect(key('a')).toBeNull();
});

test('undo and redo with Ctrl or Cmd, whatever the case Shift gives the key', () => {
  expect(key('z', { ctrlKey: true })).toBe('undo');
  expect(key('z', { metaKey: true })).toBe('undo');
  expect(key('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
  expect(key('Z', { metaKey: true, shiftKey: true })).toBe('redo');
  expect(key('y', { ctrlKey: true })).toBe('redo');
});

test('other keys, and the letters with Ctrl or Cmd (the browser\'s own shortcuts), do nothing', () => {
  for (const k of ['a', 'E', 'H', 'x', 'Enter', ' ']) expect([k, key(k)]).toEqual([k, null]);
  for (const k of ['e', 'h', 'p', 'f', '/']) expect([k, key(k, { ctrlKey: true })]).toEqual([k, null]);
});
