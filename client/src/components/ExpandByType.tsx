/**
 * Expand by relationship type: for the selected node or nodes, follow only one type of relationship (only
 * the addresses, only "owns"), so that a hub does not pour every kind of neighbour onto the canvas at once.
 * Offered are the types the relationship filter shows; for addresses, identifiers and programs only the
 * type that attaches them to their parties (nothing else reaches them).
 */
import { FACT_KINDS, FactKind, REL_TYPE_NAMES, REL_TYPES, RelType } from '../../../server/core/model';
import type { GraphNode } from '../api';

interface Props {
  nodes: GraphNode[];
  /** Relationship types shown; empty = all. */
  types: string[];
  busy: boolean;
  onExpand(only: RelType): void;
}

/** The relationship types worth offering for these nodes. */
export function expandTypesFor(nodes: GraphNode[], types: string[]): RelType[] {
  const shown = REL_TYPE_NAMES.filter((t) => !types.length || types.includes(t));
  const facts = nodes.every((n) => Object.hasOwn(FACT_KINDS, n.kind));
  if (!facts) return shown;
  const reach = new Set<string>(nodes.map((n) => FACT_KINDS[n.kind as FactKind].relType));
  return shown.filter((t) => reach.has(t));
}

export function ExpandByType({ nodes, types, busy, onExpand }: Props) {
  const offered = expandTypesFor(nodes, types);
  if (!nodes.length || !offered.length) return null;
  const what = nodes.length === 1 ? nodes[0].label : `the ${nodes.length} selected nodes`;
  return (
    <section className="panel expand-by-type" aria-label="Expand by relationship type" data-testid="expand-by-type">
      <h3>Expand only</h3>
      <p className="muted small">Add the neighbours of {what} linked by one type of relationship:</p>
      <div className="type-buttons">
        {offered.map((t) => (
          <button key={t} onClick={() => onExpand(t)} disabled={busy} data-type={t} title={REL_TYPES[t].description}>
            <span className="swatch" style={{ borderColor: REL_TYPES[t].color, borderStyle: REL_TYPES[t].line }} /> {REL_TYPES[t].name}
          </button>
        ))}
      </div>
    </section>
  );
}
