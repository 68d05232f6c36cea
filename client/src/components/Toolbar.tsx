/**
 * The canvas tools: expand, hide, show all, pin, remove, undo/redo, fit and zoom, the layout menu and
 * re-layout; the export menu (children), then the Screen panel's toggle.
 */
import type { CanvasHandle } from './GraphCanvas';
import { layoutLabel, LAYOUTS } from './GraphCanvas';
import { AsOfControl } from './AsOfControl';
import { AlertsBadge } from './AlertsBadge';

interface Props {
  canvas: React.RefObject<CanvasHandle | null>;
  /** Nodes selected (Hide, Pin and Remove apply to all); Expand needs exactly one. */
  selected: number;
  canExpand: boolean;
  hidden: number;
  canUndo: boolean;
  canRedo: boolean;
  layout: string;
  /** Nodes on the canvas: the force-directed layout's algorithm depends on it. */
  nodes: number;
  setLayout(name: string): void;
  onExpand(): void;
  onHide(): void;
  onShowAll(): void;
  onPin(): void;
  onRemove(): void;
  onUndo(): void;
  onRedo(): void;
  /** The Screen panel: open or not, and its toggle. */
  screenOpen: boolean;
  onScreen(): void;
  children?: React.ReactNode;
}

export function Toolbar(p: Props) {
  return (
    <div className="toolbar" role="toolbar" aria-label="Canvas tools">
      <button onClick={p.onExpand} disabled={!p.canExpand} title="Expand the selected node (E or double-click)">
        Expand
      </button>
      <button onClick={p.onHide} disabled={!p.selected} title="Hide the selection (H)">
        Hide
      </button>
      <button onClick={p.onShowAll} disabled={!p.hidden} title="Show hidden nodes">
        Show all{p.hidden ? ` (${p.hidden})` : ''}
      </button>
      <button onClick={p.onPin} disabled={!p.selected} title="Pin / unpin: pinned nodes keep their place (P)">
        Pin
      </button>
      <button onClick={p.onRemove} disabled={!p.selected} title="Remove the selection (Delete)">
        Remove
      </button>
      <span className="sep" />
      <button onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">
        ↶ Undo
      </button>
      <button onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
        ↷ Redo
      </button>
      <span className="sep" />
      <button onClick={() => p.canvas.current?.fit()} title="Fit to screen (F)">
        Fit
      </button>
      <button onClick={() => p.canvas.current?.zoom(1.25)} aria-label="Zoom in">
        +
      </button>
      <button onClick={() => p.canvas.current?.zoom(0.8)} aria-label="Zoom out">
        −
      </button>
      <label className="layout-select">
        <span className="visually-hidden">Layout</span>
        <select value={p.layout} onChange={(e) => p.setLayout(e.target.value)} aria-label="Layout">
          {LAYOUTS.map((l) => (
            <option key={l.name} value={l.name}>
              {layoutLabel(l.name, p.nodes)}
            </option>
          ))}
        </select>
      </label>
      <button onClick={() => p.canvas.current?.relayout(true)} title="Lay out again">
        Re-layout
      </button>
      <span className="sep" />
      <AsOfControl />
      <AlertsBadge />
      {p.children}
      <button onClick={p.onScreen} aria-pressed={p.screenOpen} title="Screen a party or a file against the lists (S)" data-testid="screen-button">
        Screen
      </button>
    </div>
  );
}
