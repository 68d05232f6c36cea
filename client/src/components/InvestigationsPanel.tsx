/**
 * Saved investigations in the explorer: save the canvas (its nodes, where they are drawn, notes on nodes
 * and links) under a name, list the saved ones, open one. Opened after newer releases were loaded, the
 * canvas marks what changed since it was saved (investigation-marks.ts: parties added, removed, modified
 * and links added; the stylesheet draws the marks) and the panel lists every change in words, links
 * removed too (they are no longer in the data, so not drawn). Saving needs a key with the reviewer role:
 * without one the server's refusal opens the API key dialog. Report and PDF give the saved case as one
 * file (server/api/report.ts).
 */
import { useEffect, useState } from 'react';
import * as api from '../api';
import { download } from '../download';
import * as gs from '../graph-state';
import { applyChangeMarks, ChangeMarks, linkKey, marksOf, NO_MARKS } from '../investigation-marks';
import type { Point } from '../url-state';
import type { CanvasHandle } from './GraphCanvas';

/** The server's bounds (server/core/investigations.ts INVESTIGATION_LIMITS), said before a save is refused. */
const MAX_NODES = 500;
const MAX_NAME = 200;
const MAX_NOTE = 2000;

interface Props {
  canvas: React.RefObject<CanvasHandle | null>;
  state: gs.Investigation;
  setHistory: React.Dispatch<React.SetStateAction<gs.History>>;
  positions: Record<string, Point>;
  setPositions(p: Record<string, Point>): void;
  /** What is selected on the canvas: a note goes on it. */
  selection: { nodes: string[]; edge: string | null };
  notify(n: { text: string; kind: 'info' | 'warn' | 'error' } | null): void;
}

type Notes = Record<string, { node: string | null; edge: string | null; text: string }>;

/** The note's key: a node's id, or a link's key. */
const noteTarget = (n: { node?: string | null; edge?: string | null }) => n.node ?? `edge:${n.edge}`;

export function InvestigationsPanel({ canvas, state, setHistory, positions, setPositions, selection, notify }: Props) {
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<api.InvestigationSummary[] | null>(null);
  const [current, setCurrent] = useState<{ id: string; name: string } | null>(null);
  const [name, setName] = useState('');
  const [notes, setNotes] = useState<Notes>({});
  const [changes, setChanges] = useState<api.SavedInvestigation['changes'] | null>(null);
  const [marks, setMarks] = useState<ChangeMarks>(NO_MARKS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = () =>
    api
      .investigations()
      .then(setList)
      .catch((e) => setError(api.describeError(e)));
  useEffect(() => {
    if (open) void refresh();
  }, [open]);

  // The canvas draws a new state in its own effect (a sibling after this one): mark once it has.
  useEffect(() => {
    const t = setTimeout(() => {
      const cy = canvas.current?.cy();
      if (cy) applyChangeMarks(cy, marks);
    }, 0);
    return () => clearTimeout(t);
  }, [state, marks, canvas]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(api.describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const save = (asNew: boolean) =>
    run(async () => {
      const ids = state.order;
      if (ids.length > MAX_NODES) throw new Error(`A saved investigation holds at most ${MAX_NODES} nodes; the canvas has ${ids.length}. Remove some first.`);
      const onCanvas = new Set(ids);
      const saved = await api.saveInvestigation({
        id: asNew ? null : (current?.id ?? null),
        name: name.trim(),
        nodeIds: ids,
        positions: ids.filter((id) => positions[id]).map((id) => ({ id, x: positions[id].x, y: positions[id].y })),
        // Notes on what is still on the canvas.
        notes: Object.values(notes).filter((n) => (n.node ? onCanvas.has(n.node) : n.edge!.split('|').every((x, i) => (i !== 0 && i !== 2) || onCanvas.has(x)))),
      });
      setCurrent({ id: saved.id, name: saved.name });
      // Saved now: the releases of now are its baseline, nothing has changed since.
      setChanges(null);
      setMarks(NO_MARKS);
      notify({ text: `Saved “${saved.name}” (${saved.nodeIds.length} nodes, on ${saved.releases.map((r) => `${r.dataset} ${r.release}`).join(', ')}).`, kind: 'info' });
      await refresh();
    });

  const openOne = (id: string) =>
    run(async () => {
      const inv = await api.investigation(id);
      if (!inv) throw new Error('That investigation has been deleted.');
      const c = inv.changes;
      // The saved nodes and the parties newly linked to them, with every relationship among them.
      const ids = [...inv.nodeIds, ...c.added.map((a) => a.id).filter((x) => !inv.nodeIds.includes(x))];
      const places = Object.fromEntries(inv.positions.map((p) => [p.id, { x: p.x, y: p.y }]));
      setPositions(places);
      const g = await api.subgraph(ids);
      let s = gs.addGraph(gs.EMPTY, g);
      s = { ...s, order: ids.filter((x) => s.nodes[x]) };
      setHistory((h) => gs.commit(h, s));
      setTimeout(() => canvas.current?.place(places), 0);
      setCurrent({ id: inv.id, name: inv.name });
      setName(inv.name);
      setNotes(Object.fromEntries(inv.notes.map((n) => [noteTarget(n), n])));
      setChanges(c);
      setMarks(marksOf(c));
      const count = c.added.length + c.removed.length + c.modified.length + c.linksAdded.length + c.linksRemoved.length;
      notify({
        text: `Opened “${inv.name}”: ${count ? `${count} ${count === 1 ? 'change' : 'changes'} since it was saved, marked on the canvas and listed under Cases` : 'nothing changed since it was saved'}.`,
        kind: count ? 'warn' : 'info',
      });
    });

  // The case report: the HTML in a new tab (opened at the click, so no popup blocker stops it, and
  // pointed at the file once fetched with the tab's key), the PDF downloaded.
  const report = (inv: api.InvestigationSummary, format: 'html' | 'pdf') => {
    const tab = format === 'html' ? window.open('', '_blank') : null;
    return run(async () => {
      try {
        const { blob, name } = await api.caseReport(inv.id, format);
        const url = URL.createObjectURL(blob);
        if (tab) tab.location.href = url;
        else download(name, url);
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      } catch (e) {
        tab?.close();
        throw e;
      }
    });
  };

  const remove = (inv: api.InvestigationSummary) =>
    run(async () => {
      if (!window.confirm(`Delete the saved investigation “${inv.name}”?`)) return;
      await api.deleteInvestigation(inv.id);
      if (current?.id === inv.id) setCurrent(null);
      await refresh();
    });

  // The note of the selection: one node, or one link.
  const edge = selection.edge ? state.edges[selection.edge] : undefined;
  const target = edge
    ? { node: null, edge: linkKey(edge), label: `${state.nodes[edge.source]?.label ?? edge.source} → ${state.nodes[edge.target]?.label ?? edge.target}` }
    : selection.nodes.length === 1 && state.nodes[selection.nodes[0]]
      ? { node: selection.nodes[0], edge: null, label: state.nodes[selection.nodes[0]].label }
      : null;
  const noteKey = target ? noteTarget(target) : null;
  const setNote = (text: string) => {
    if (!target || !noteKey) return;
    const next = { ...notes };
    if (text.trim()) next[noteKey] = { node: target.node, edge: target.edge, text: text.slice(0, MAX_NOTE) };
    else delete next[noteKey];
    setNotes(next);
  };
  const nameOf = (n: { node: string | null; edge: string | null }) => {
    if (n.node) return state.nodes[n.node]?.label ?? n.node;
    const [s, , t] = n.edge!.split('|');
    return `${state.nodes[s]?.label ?? s} → ${state.nodes[t]?.label ?? t}`;
  };

  return (
    <div className="menu" data-testid="investigations">
      <button aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="investigations-button" title="Save, list and open investigations">
        Cases{marks.edges.length || Object.keys(marks.nodes).length ? ' •' : ''} ▾
      </button>
      {open && (
        <div className="menu-list panel" role="dialog" aria-label="Saved investigations" style={{ width: 380, maxHeight: '70vh', overflowY: 'auto' }} data-testid="investigations-panel">
          <h2>{current ? `Open: ${current.name}` : 'This canvas'}</h2>
          <label>
            Name
            <input value={name} maxLength={MAX_NAME} onChange={(e) => setName(e.target.value)} placeholder="e.g. Emperor Aviation fleet" data-testid="investigation-name" />
          </label>
          <div className="actions">
            <button onClick={() => void save(!current)} disabled={busy || !name.trim() || !state.order.length} data-testid="investigation-save">
              {current ? 'Save' : 'Save as new'}
            </button>
            {current && (
              <button onClick={() => void save(true)} disabled={busy || !name.trim() || !state.order.length}>
                Save as new
              </button>
            )}
          </div>
          {target && (
            <label>
              Note on {target.label}
              <textarea rows={3} maxLength={MAX_NOTE} value={noteKey ? (notes[noteKey]?.text ?? '') : ''} onChange={(e) => setNote(e.target.value)} data-testid="investigation-note" />
            </label>
          )}
          {Object.keys(notes).length > 0 && (
            <>
              <h2>Notes (saved with the investigation)</h2>
              <ul className="muted" data-testid="investigation-notes">
                {Object.entries(notes).map(([k, n]) => (
                  <li key={k}>
                    <strong>{nameOf(n)}</strong>: {n.text}
                  </li>
                ))}
              </ul>
            </>
          )}
          {changes && (
            <>
              <h2>Changes since it was saved</h2>
              <ul data-testid="investigation-changes">
                {changes.summary.map((line, i) => (
                  <li key={i} className={line.startsWith('Added') ? 'inv-added' : line.startsWith('Removed') ? 'inv-removed' : line.startsWith('Modified') ? 'inv-modified' : undefined}>
                    {line}
                  </li>
                ))}
              </ul>
            </>
          )}
          {error && (
            <p role="alert" data-testid="investigations-error">
              {error}
            </p>
          )}
          <h2>Saved investigations</h2>
          {list === null ? (
            <p className="muted">Loading…</p>
          ) : list.length === 0 ? (
            <p className="muted">None saved yet.</p>
          ) : (
            <ul data-testid="investigations-list">
              {list.map((inv) => (
                <li key={inv.id} data-id={inv.id}>
                  <strong>{inv.name}</strong>{' '}
                  <span className="muted">
                    {inv.nodeIds.length} nodes · {inv.owner} · {inv.updatedAt.slice(0, 16).replace('T', ' ')} · on {inv.releases.map((r) => `${r.dataset} ${r.release}`).join(', ')}
                  </span>{' '}
                  <button onClick={() => void openOne(inv.id)} disabled={busy} data-testid="investigation-open">
                    Open
                  </button>{' '}
                  <button onClick={() => void report(inv, 'html')} disabled={busy} title="The case report: one HTML file that opens offline" data-testid="investigation-report">
                    Report
                  </button>{' '}
                  <button onClick={() => void report(inv, 'pdf')} disabled={busy} title="The case report as PDF (where the server has Chromium)" data-testid="investigation-report-pdf">
                    PDF
                  </button>{' '}
                  <button onClick={() => void remove(inv)} disabled={busy} aria-label={`Delete ${inv.name}`}>
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
