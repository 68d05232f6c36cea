/**
 * The explorer's keyboard shortcuts, on the whole window but not while typing in a field:
 * Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl/Cmd+Y redo, / search, E expand, H hide, P pin,
 * Delete (or Backspace) remove, F fit.
 */
import { useEffect, useRef } from 'react';

export interface ShortcutActions {
  undo(): void;
  redo(): void;
  focusSearch(): void;
  expand(): void;
  remove(): void;
  hide(): void;
  pin(): void;
  fit(): void;
}

/** Which action a key press asks for, if any (exported for tests). */
export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey'>): keyof ShortcutActions | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
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
    default:
      return null;
  }
}

/** Actions that take the key away from the browser (its own undo, its quick find). */
const PREVENT: ReadonlySet<keyof ShortcutActions> = new Set(['undo', 'redo', 'focusSearch']);

export function useShortcuts(actions: ShortcutActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest?.('input, textarea, select')) return;
      const action = shortcutFor(e);
      if (!action) return;
      ref.current[action]();
      if (PREVENT.has(action)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
