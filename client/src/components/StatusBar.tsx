/** The status bar under the canvas: counts of what is on it, and the last notice (dismissable). */
import type { Notice } from '../hooks/useInvestigation';

interface Props {
  nodes: number;
  /** Nodes the canvas filter keeps out of view (still in the investigation). */
  filtered?: number;
  edges: number;
  hidden: number;
  notice: Notice | null;
  onDismiss(): void;
}

export function StatusBar({ nodes, edges, hidden, filtered = 0, notice, onDismiss }: Props) {
  return (
    <footer className="statusbar">
      <span data-testid="counts">
        {nodes} nodes · {edges} relationships{hidden ? ` · ${hidden} hidden` : ''}
        {filtered ? ` · ${filtered} filtered from view` : ''}
      </span>
      {notice && (
        <span className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          {notice.text}{' '}
          <button className="icon" aria-label="Dismiss" onClick={onDismiss}>
            ×
          </button>
        </span>
      )}
    </footer>
  );
}
