/** The explorer's keyboard shortcuts (shortcuts.ts), on the whole window but not while typing in a field. */
import { useEffect, useRef } from 'react';
import { shortcutFor, ShortcutActions } from '../shortcuts';

export type { ShortcutActions };

/** Actions that take the key away from the browser (its own undo, its quick find, its select-all of the page's text). */
const PREVENT: ReadonlySet<keyof ShortcutActions> = new Set(['undo', 'redo', 'focusSearch', 'selectAll']);

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
