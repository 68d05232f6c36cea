/**
 * Paths ranked by evidence (`paths(rank: EVIDENCE)`): the strength of a path, the order of candidate
 * paths, and the path in words ("why connected"), each hop with its source (dataset, release, record).
 *
 * A path is read as steps: a link between two parties is one step; a shared address or identifier
 * (party - fact node - party, two relationships) is one step too, weighed once. A path's strength is
 * the product of its steps' weights (model.ts EVIDENCE_WEIGHTS): 1 would be certainty, each step can
 * only weaken it, so a longer chain of strong links can outrank a short weak one (two ownership steps,
 * 0.81, outrank one shared address, 0.3) but not without limit (five ownership steps, 0.59, rank below
 * one family link, 0.7).
 *
 * Pure functions, no database: the API (server/api/paths.ts) collects the candidates and reads the
 * nodes and relationships.
 */
import { EVIDENCE_WEIGHTS, type FactRelType, isAllowedRelType, isFactRelType, REL_TYPES, type RelType } from '../model';

/** Relationship types ranking by evidence never follows (weight 0: no connection). */
export const NO_EVIDENCE_TYPES = (Object.keys(EVIDENCE_WEIGHTS) as RelType[]).filter((t) => EVIDENCE_WEIGHTS[t] <= 0);

function weightOf(type: string): number {
  return isAllowedRelType(type) ? EVIDENCE_WEIGHTS[type] : 0;
}

/**
 * The steps of a path given its relationship types in order: indexes of the relationships of each
 * step. Consecutive relationships of one fact type are one step (a path between parties enters a fact
 * node and leaves it by the same type: an Address has only HAS_ADDRESS relationships). `entersFact(i)`
 * says whether relationship i leads into a fact node: always so on a path between parties; a path that
 * starts at a fact node (an exposure from an address) first leaves it, half a shared fact.
 */
export function stepsOf(types: readonly string[], entersFact: (i: number) => boolean = () => true): number[][] {
  const steps: number[][] = [];
  for (let i = 0; i < types.length; i++) {
    if (isFactRelType(types[i]) && types[i + 1] === types[i] && entersFact(i)) {
      steps.push([i, i + 1]);
      i++;
    } else steps.push([i]);
  }
  return steps;
}

/** The product of the weights of a path's steps, in [0, 1]. */
export function pathStrength(types: readonly string[], entersFact?: (i: number) => boolean): number {
  return stepsOf(types, entersFact).reduce((s, step) => s * weightOf(types[step[0]]), 1);
}

export interface Candidate {
  /** Element ids of its nodes, in order. */
  nodes: readonly string[];
  /** Relationship types of the path, in order. */
  types: readonly string[];
  /** Element ids of its relationships, in order: identify the path. */
  rels: readonly string[];
}

/** Two strengths this close are equal (products of the same weights in another order differ in the last bits). */
const EPSILON = 1e-9;

/**
 * Candidates strongest first; among equally strong, fewer steps, then fewer relationships, then by
 * relationship ids (a stable order for the same graph). Duplicates (one path found by two searches)
 * are kept once. A path that passes through a node twice is left out: it says nothing its simple
 * part does not (on the ZALA data, ZAKHAROV - CST - ZAKHAROV over two records of his stakes in CST
 * would otherwise rank a four-step "chain" above the address two companies share).
 */
export function rankByEvidence<C extends Candidate>(candidates: readonly C[]): (C & { strength: number })[] {
  const seen = new Set<string>();
  const unique: (C & { strength: number; key: string; steps: number })[] = [];
  for (const c of candidates) {
    const key = c.rels.join(',');
    if (seen.has(key) || new Set(c.nodes).size !== c.nodes.length) continue;
    seen.add(key);
    unique.push({ ...c, strength: pathStrength(c.types), key, steps: stepsOf(c.types).length });
  }
  unique.sort((a, b) => {
    if (Math.abs(a.strength - b.strength) > EPSILON) return b.strength - a.strength;
    return a.steps - b.steps || a.rels.length - b.rels.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  });
  return unique.map(({ key: _k, steps: _s, ...c }) => c as unknown as C & { strength: number });
}

/**
 * The searches that collect candidates for allowed `types`: one per distinct weight, each following
 * the types at least that strong (strongest first). Why not one search over all types: the k shortest
 * paths over everything can all run through shared addresses (a hub joins hundreds in two steps) and
 * leave out a longer ownership chain; searching the ownership-and-directorship graph on its own finds
 * that chain whatever the addresses around it. Why not a weighted search (apoc.algo.dijkstra): it
 * returns one path, cannot bound the hops or apply the reader's view of the loads (`{{visible:r}}`)
 * to each relationship, and needs the weight stored on every relationship. Bounded: at most one
 * search per weight class (six with every type), each the k shortest within maxHops.
 */
export function evidenceTiers(types: readonly RelType[]): RelType[][] {
  const weights = [...new Set(types.map((t) => EVIDENCE_WEIGHTS[t]).filter((w) => w > 0))].sort((a, b) => b - a);
  return weights.map((w) => types.filter((t) => EVIDENCE_WEIGHTS[t] >= w));
}

/** What the why line needs of a node and of a relationship (the API's GraphNode and GraphEdge have more). */
export interface NodeOf {
  id: string;
  label: string;
}
export interface EdgeOf {
  source: string;
  target: string;
  type: string;
  label?: string | null;
  dataset?: string | null;
  release?: string | null;
  record?: string | null;
  percentage?: string | null;
}

export interface Hop<E extends EdgeOf = EdgeOf> {
  /** The step in words, e.g. "ZAKHAROV owns 100% of Aeroscan". */
  text: string;
  weight: number;
  /** Its relationships (two for a shared address or identifier), each with its dataset, release and record. */
  edges: E[];
  /** Where it comes from, e.g. "ofac-sdn 2024-05-03, record sdn.csv:1234 (ent_num 43379)". */
  citation: string;
}

/** How each link reads from its source to its target. */
const VERB: Record<Exclude<RelType, FactRelType>, string> = {
  OWNERSHIP: 'owns',
  DIRECTORSHIP: 'directs',
  FAMILY: 'is family of',
  ASSOCIATE: 'is an associate of',
  UNKNOWN_LINK: 'is linked to',
  POSSIBLY_SAME_AS: 'may be the same as',
};
const FACT_NOUN: Record<FactRelType, string> = { HAS_ADDRESS: 'address', HAS_IDENTIFIER: 'identifier', SANCTION: 'program' };

/** Whether the source's wording says no more than the type: its name, the FtM schema's ("Ownership") or the verb. */
function sameWords(label: string, type: string, verb: string): boolean {
  const l = label.trim().toLowerCase();
  const d = isAllowedRelType(type) ? (REL_TYPES[type] as { name: string; ftm?: { schema: string } }) : null;
  return [verb, type, d?.name, d?.ftm?.schema].some((w) => w?.toLowerCase().replace(/_/g, ' ') === l.replace(/_/g, ' '));
}

/** "51" or "51%" as the source wrote it -> "51%". */
function share(percentage: string | null | undefined): string | null {
  const p = percentage?.trim();
  if (!p) return null;
  return p.endsWith('%') ? p : `${p}%`;
}

/** One citation of relationships: "ds release, record r" or, from one release, "ds release, records r1; r2". */
export function citationOf(edges: readonly EdgeOf[]): string {
  const groups = new Map<string, string[]>();
  for (const e of edges) {
    const where = [e.dataset, e.release].filter(Boolean).join(' ') || 'source not recorded';
    const records = groups.get(where) ?? groups.set(where, []).get(where)!;
    if (e.record && !records.includes(e.record)) records.push(e.record);
  }
  return [...groups]
    .map(([where, records]) => (records.length === 0 ? where : `${where}, ${records.length === 1 ? 'record' : 'records'} ${records.join('; ')}`))
    .join('; ');
}

/** The hops of a path (nodes[i] - edges[i] - nodes[i + 1]), each in words with its weight and citation. */
export function hopsOf<E extends EdgeOf>(nodes: readonly NodeOf[], edges: readonly E[]): Hop<E>[] {
  const name = new Map(nodes.map((n) => [n.id, n.label]));
  const label = (id: string) => name.get(id) ?? id;
  return stepsOf(
    edges.map((e) => e.type),
    entersFactOf(nodes, edges),
  ).map((step) => {
    const es = step.map((i) => edges[i]);
    const e = es[0];
    const weight = weightOf(e.type);
    let text: string;
    if (es.length === 2) {
      // A shared fact: nodes[i] and nodes[i + 2] meet at nodes[i + 1].
      const i = step[0];
      const noun = FACT_NOUN[e.type as FactRelType] ?? e.type;
      text = `${nodes[i].label} and ${nodes[i + 2].label} share the ${noun} ${nodes[i + 1].label}`;
    } else if (isFactRelType(e.type)) {
      // A path that starts or ends at a fact node (an exposure from an address): half a shared fact.
      text = `${label(e.source)} has the ${FACT_NOUN[e.type]} ${label(e.target)}`;
    } else {
      const verb = VERB[e.type as keyof typeof VERB] ?? e.type;
      const pct = e.type === 'OWNERSHIP' ? share(e.percentage) : null;
      // The source's own wording when it says more than the verb ("Leader or official of").
      const said = e.label && !pct && !sameWords(e.label, e.type, verb) ? ` ("${e.label}")` : '';
      text = `${label(e.source)} ${verb} ${pct ? `${pct} of ` : ''}${label(e.target)}${said}`;
    }
    return { text, weight, edges: es, citation: citationOf(es) };
  });
}

/** Whether relationship i of a path leads into a fact node: fact relationships run party -> fact. */
function entersFactOf(nodes: readonly NodeOf[], edges: readonly EdgeOf[]): (i: number) => boolean {
  return (i) => edges[i].target === nodes[i + 1]?.id;
}

/** The strength of a path read in full (a path from a fact node too). */
export function strengthOf(nodes: readonly NodeOf[], edges: readonly EdgeOf[]): number {
  return pathStrength(
    edges.map((e) => e.type),
    entersFactOf(nodes, edges),
  );
}

/** The one-line "why connected": every hop in words with its citation, in path order. */
export function whyOf(nodes: readonly NodeOf[], edges: readonly EdgeOf[]): string {
  if (edges.length === 0) return 'the same party';
  return hopsOf(nodes, edges)
    .map((h) => `${h.text} (${h.citation})`)
    .join('; ');
}
