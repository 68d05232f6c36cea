/**
 * The alerts badge: how many alerts (changes a load made around a watched party, server/core/alerts.ts)
 * are newer than the last one seen in this browser, and their list on click. "Seen" is the newest alert's
 * id kept in localStorage: alert ids sort newest last, so the unseen are those with a greater id.
 */
import { useEffect, useState } from 'react';
import * as api from '../api';
import type { AlertItem } from '../api';

const SEEN_KEY = 'sanctions-graph.alerts-seen';
const LIST_STYLE: React.CSSProperties = {
  position: 'absolute',
  top: '100%',
  right: 0,
  zIndex: 20,
  width: '32rem',
  maxHeight: '24rem',
  overflowY: 'auto',
  margin: 0,
  padding: '0.5rem 0.5rem 0.5rem 1.5rem',
  // The theme's colours (app.css): a fixed white stayed white under the dark theme's light text.
  background: 'var(--panel)',
  color: 'var(--text)',
  border: '1px solid var(--border)',
  borderRadius: 8,
  boxShadow: 'var(--shadow)',
};

export function AlertsBadge() {
  const [items, setItems] = useState<AlertItem[]>([]);
  // Why they could not be read: said in the list rather than "No alerts", which would read as none.
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState<string>(() => localStorage.getItem(SEEN_KEY) ?? '');
  useEffect(() => {
    // Alerts come only with loads: read once when the explorer opens (a reload shows newer ones).
    api
      .alerts(50)
      .then((page) => setItems(page.alerts))
      .catch((e: unknown) => setError(api.describeError(e)));
  }, []);
  const unseen = items.filter((a) => a.id > seen).length;
  const toggle = () => {
    if (!open && items.length > 0) {
      localStorage.setItem(SEEN_KEY, items[0].id);
      setSeen(items[0].id);
    }
    setOpen(!open);
  };
  return (
    // Styled here (app.css is not this component's): the list drops below the toolbar over the canvas.
    <span className="alerts-badge" style={{ position: 'relative' }}>
      <button onClick={toggle} aria-expanded={open} title="Changes around watched parties, recorded after each load" data-testid="alerts-button">
        Alerts{unseen ? ` (${unseen} new)` : ''}
      </button>
      {open && (
        <ul className="alerts-list" role="list" aria-label="Alerts" style={LIST_STYLE}>
          {error && <li className="error">Alerts could not be read: {error}</li>}
          {!error && items.length === 0 && <li>No alerts. Watch a party (Watch in its details) to be told of changes around it after each load.</li>}
          {items.map((a) => (
            <li key={a.id} title={`${a.kind}, load ${a.load} (${a.release}), ${a.createdAt}`}>
              {a.message}
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}

/** "Watch" in a party's details: alerts of the changes within 2 hops of it after each load (reviewer role). */
export function WatchButton({ id }: { id: string }) {
  const [state, setState] = useState<string | null>(null);
  useEffect(() => setState(null), [id]);
  const watch = () => {
    setState('Watching...');
    api
      .watch(id, 2)
      .then((w) => setState(`Watched (radius ${w.radius})`))
      .catch((e: unknown) => setState(api.describeError(e)));
  };
  return (
    <button onClick={watch} title="Be alerted of changes within 2 hops of this party after each load (reviewer role)" data-testid="watch-button">
      {state ?? 'Watch'}
    </button>
  );
}
