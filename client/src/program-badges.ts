/**
 * Programs as badges on their parties (the default) rather than as hub nodes: a program of 2,000 members
 * drawn as a node pulls every member it reaches into one star, and says nothing a party's own label could
 * not ("[DPRK2]"). A program's node comes on the canvas only when asked ("Show co-listed parties"), or
 * with every expansion when the user turns "Programs as hubs" on (the old behaviour). Pure functions,
 * unit-tested without a browser (test/unit/client-badges.test.ts).
 */
import { FACT_KINDS, REL_TYPE_NAMES, RelType } from '../../server/core/model';
import { Investigation, remaining } from './graph-state';

/** The relationship type from a party to its program (SANCTION). */
export const PROGRAM_REL: RelType = FACT_KINDS.Program.relType;

/** Programs named on a party's badge line before the rest are counted ("+2"): a label stays one line. */
export const BADGES_SHOWN = 3;

/**
 * The relationship types an expansion follows: the types shown (`types`, empty = all), less program
 * membership unless programs are hubs. When program membership is all that is shown, it is followed:
 * the user asked for it.
 */
export function expansionTypes(types: string[], hubs: boolean): string[] {
  if (hubs) return types;
  const followed = (types.length ? types : REL_TYPE_NAMES).filter((t) => t !== PROGRAM_REL);
  return followed.length ? followed : types;
}

/** A party's badge line, e.g. "[DPRK2] [DPRK3] +2"; empty for a node without programs. */
export function badgeLine(programs: readonly string[]): string {
  if (!programs.length) return '';
  const shown = programs.slice(0, BADGES_SHOWN).map((p) => `[${p}]`);
  const rest = programs.length - BADGES_SHOWN;
  return rest > 0 ? `${shown.join(' ')} +${rest}` : shown.join(' ');
}

/**
 * For each party, how many of its program relationships are not on the canvas: with programs as badges
 * they are shown on the party itself, so its "(+N)" and "+N more" leave them out (else every listed party
 * would offer "(+1)" that an expansion never brings). A party has one program relationship per program
 * (cypher/ingest-programs.cypher: the program's node is keyed by its code, which `programs` lists).
 */
export function programLinksOff(s: Investigation): Record<string, number> {
  const linked = new Set<string>();
  for (const e of Object.values(s.edges)) if (e.type === PROGRAM_REL) linked.add(`${e.source}\u0000${e.target}`);
  const out: Record<string, number> = {};
  for (const id of s.order) {
    const n = s.nodes[id];
    // A list may name a program twice; its relationship is one (MERGE).
    const off = [...new Set(n.programs)].filter((p) => !linked.has(`${id}\u0000${p}`)).length;
    if (off) out[id] = off;
  }
  return out;
}

/** What expanding the node would add (graph-state.ts remaining), less its programs when they are badges. */
export function remainingOf(s: Investigation, id: string, hubs: boolean): number {
  return Math.max(0, remaining(s, id) - (hubs ? 0 : (programLinksOff(s)[id] ?? 0)));
}
