/**
 * Which key does what: Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl/Cmd+Y redo, Ctrl/Cmd+A select all nodes,
 * Esc clear the selection, / search, E expand, H hide, P pin, Delete (or Backspace) remove, F fit, S the
 * Screen panel, G group the selection, Shift+G ungroup it, ? the sheet of shortcuts. Plain
 * data, no DOM: hooks/useShortcuts.ts listens.
 */
export interface ShortcutActions {
  undo(): void;
  redo(): void;
  focusSearch(): void;
  expand(): void;
  remove(): void;
  hide(): void;
  pin(): void;
  fit(): void;
  selectAll(): void;
  clearSelection(): void;
  help(): void;
  screen(): void;
  group(): void;
  ungroup(): void;
}

/** The shortcut sheet (`?`): every key above, in words. */
export const SHORTCUT_HELP: readonly { keys: string; what: string }[] = [
  { keys: '/', what: 'Search box' },
  { keys: 'Enter (in the search box)', what: 'Put the highlighted hit on the canvas' },
  { keys: 'E (or double-click)', what: 'Expand the selected nodes' },
  { keys: 'H', what: 'Hide the selection' },
  { keys: 'P', what: 'Pin / unpin the selection' },
  { keys: 'Delete, Backspace', what: 'Remove the selection' },
  { keys: 'F', what: 'Fit the graph to the screen' },
  { keys: 'G', what: 'Group the selected nodes into one (double-click the group to open or collapse it)' },
  { keys: 'Shift+G', what: 'Ungroup: the members come back where they were' },
  { keys: 'S', what: 'Open / close the Screen panel (one party or a file against the lists)' },
  { keys: 'Click / Shift+click / Shift-drag', what: 'Select one node / add one / select a box' },
  { keys: 'Ctrl+A', what: 'Select every node' },
  { keys: 'Esc', what: 'Clear the selection (or close this sheet)' },
  { keys: 'Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y', what: 'Undo / redo' },
  { keys: '?', what: 'This sheet' },
];

/** The parts of a KeyboardEvent that choose the action. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** Which action a key press asks for, if any. */
export function shortcutFor(e: KeyPress): keyof ShortcutActions | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
  if (mod && key === 'a') return 'selectAll';
  if (mod) return null;
  switch (e.key) {
    case '/':
      return 'focusSearch';
    case 'e':
      return 'expand';
    case 'Delete':
    case 'Backspace':
      return 'remove';
    case 'h':
      return 'hide';
    case 'p':
      return 'pin';
    case 'f':
      return 'fit';
    case 's':
      return 'screen';
    // Shift decides, not the letter's case (Caps Lock gives 'G' without Shift).
    case 'g':
    case 'G':
      return e.shiftKey ? 'ungroup' : 'group';
    case 'Escape':
      return 'clearSelection';
    case '?':
      return 'help';
    default:
      return null;
  }
}

