/** The legend (derived from the model), which folds away for more canvas, and the small kind icons used in lists. */
import { useEffect, useState } from 'react';
import { legendEntries } from '../style';
import { NODE_KINDS } from '../../../server/core/model';

const SHAPES: Record<string, string> = {
  ellipse: 'M8 1a7 7 0 1 0 0.01 0Z',
  'round-rectangle': 'M3 2h10a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2Z',
  diamond: 'M8 1L15 8L8 15L1 8Z',
  triangle: 'M8 1L15 14H1Z',
  'round-tag': 'M2 3h8l5 5-5 5H2Z',
  hexagon: 'M4 1.5h8L15.5 8L12 14.5H4L0.5 8Z',
  star: 'M8 1l2 5h5l-4 3 1.6 5L8 11l-4.6 3L5 9 1 6h5Z',
};

/** Where the legend's folded state is kept (the theme is kept beside it as sg-theme). */
const FOLD_KEY = 'sg-legend-folded';

export function KindIcon({ kind, hollow }: { kind: string; hollow?: boolean }) {
  const l = (NODE_KINDS as Record<string, { shape: string; color: string }>)[kind] ?? NODE_KINDS.LegalEntity;
  return (
    <svg className="kind-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      <path d={SHAPES[l.shape] ?? SHAPES.ellipse} fill={hollow ? 'none' : l.color} stroke={hollow ? l.color : 'rgba(0,0,0,.35)'} strokeDasharray={hollow ? '2 1.5' : undefined} strokeWidth={hollow ? 1.6 : 0.8} />
    </svg>
  );
}

/** The legend, or only its fold button when folded; the choice is remembered in this browser. */
export function Legend() {
  const [folded, setFolded] = useState(() => localStorage.getItem(FOLD_KEY) === '1');
  useEffect(() => localStorage.setItem(FOLD_KEY, folded ? '1' : '0'), [folded]);
  return (
    <div className={folded ? 'legend-box folded' : 'legend-box'}>
      <button
        className="icon fold-legend"
        onClick={() => setFolded(!folded)}
        aria-expanded={!folded}
        aria-controls="legend"
        aria-label={folded ? 'Show the legend' : 'Hide the legend'}
        title={folded ? 'Show the legend' : 'Hide the legend (more room for the graph)'}
        data-testid="fold-legend"
      >
        {folded ? '▸ Legend' : '▾'}
      </button>
      {!folded && <LegendBody />}
    </div>
  );
}

function LegendBody() {
  const { nodes, edges } = legendEntries();
  return (
    <div className="legend" id="legend" aria-label="Legend">
      <div className="legend-group">
        {nodes.map((n) => (
          <span key={n.kind} className="legend-item" title={n.description} data-kind={n.kind}>
            <KindIcon kind={n.kind} /> {n.kind}
          </span>
        ))}
        <span className="legend-item" title="Referenced by a listed party, not listed itself">
          <KindIcon kind="LegalEntity" hollow /> referenced only
        </span>
        <span className="legend-item" title="The programs a party is listed under, on the line under its name (Filters: “Programs as hubs” draws them as nodes instead)" data-testid="legend-badges">
          <span className="tag">[DPRK2]</span> programs of a party
        </span>
      </div>
      <div className="legend-group">
        {edges.map((e) => (
          <span key={e.type} className="legend-item" title={`${e.type}: ${e.description}`}>
            <svg width="22" height="8" aria-hidden="true">
              <line x1="1" y1="4" x2="21" y2="4" stroke={e.color} strokeWidth="2" strokeDasharray={e.line === 'dashed' ? '5 3' : e.line === 'dotted' ? '1.5 2.5' : undefined} />
            </svg>{' '}
            {e.name}
          </span>
        ))}
      </div>
    </div>
  );
}
