/** The sheet of keyboard shortcuts (`?`), from shortcuts.ts: a modal dialog that Esc or its button closes. */
import { useEffect, useRef } from 'react';
import { SHORTCUT_HELP } from '../shortcuts';

export function ShortcutSheet({ open, onClose }: { open: boolean; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="shortcut-sheet" aria-label="Keyboard shortcuts" data-testid="shortcut-sheet" onClose={onClose}>
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUT_HELP.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button onClick={onClose} autoFocus>
        Close
      </button>
    </dialog>
  );
}
