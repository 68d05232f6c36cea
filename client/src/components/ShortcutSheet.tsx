/**
 * The help sheet (`?`): the keyboard shortcuts, from shortcuts.ts, and where the investigation tools are.
 * A modal dialog that Esc or its button closes.
 */
import { useEffect, useRef } from 'react';
import { SHORTCUT_HELP } from '../shortcuts';

/** Where each investigation tool is (README "Investigations" says what each does). */
const TOOLS: { where: string; what: string }[] = [
  { where: 'Paths tab', what: 'paths between two parties, by fewest hops or strongest evidence, each hop citing its list, release and record' },
  { where: 'Details: Ownership', what: "a company's share held by sanctioned parties under OFAC's or the EU's 50% rule, with the arithmetic; draws the chains" },
  { where: 'Details: Exposure', what: 'the nearest sanctioned parties within N hops, with the evidence path' },
  { where: 'As of (toolbar)', what: 'read the network as the loaded releases stood on a date (empty: today)' },
  { where: 'Cases ▾ (toolbar)', what: 'save the canvas under a name with notes; reopened later, it marks what changed since; Report: the case as one HTML file (or PDF)' },
  { where: 'Watch / Alerts', what: 'watch a party (details panel); each load records the changes within 2 hops as alerts (toolbar badge)' },
  { where: 'Details: Group the parties linked to it', what: "an address's, identifier's or program's parties drawn as one node (G groups any selection; double-click opens it; Shift+G ungroups)" },
  { where: 'Screen (toolbar)', what: 'screen a name, identifier or a whole CSV file against the lists, with exposure' },
];

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
      <h2>Investigating</h2>
      <table>
        <tbody>
          {TOOLS.map((t) => (
            <tr key={t.where}>
              <th scope="row">{t.where}</th>
              <td>{t.what}</td>
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
