/**
 * The force-directed layout of large canvases: d3-force (Barnes-Hut many-body repulsion, springs along
 * edges, collision), which costs O(n log n) a step where fcose's CoSE costs far more: fcose took 20-27 s
 * for 2,000 nodes in the layout worker on a 2-core machine (bench/results/explorer.jsonl), this a few
 * hundred milliseconds to a second or two. Pure (no DOM, no Cytoscape): the layout worker and the
 * benchmark call it, a unit test checks its promises.
 *
 * Incremental: nodes named in `fixed` do not move (d3's fx/fy), and a new node starts beside a fixed
 * neighbour rather than at a random place, so an expansion settles in few steps and the picture the user
 * has been reading stays where it was.
 */
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, SimulationLinkDatum, SimulationNodeDatum } from 'd3-force';

export interface ForceInput {
  nodes: { id: string; x: number; y: number; size: number }[];
  edges: { source: string; target: string }[];
  /** Ids of nodes that keep their given position. */
  fixed: string[];
}

interface Body extends SimulationNodeDatum {
  id: string;
  size: number;
  degree: number;
}

/** Distance between the centres of two linked nodes, beyond their radii. */
const LINK_GAP = 50;
/** Room kept around each node's shape for its label. */
const COLLIDE_MARGIN = 10;

/** A small seeded generator (mulberry32): the same canvas lays out the same way every time. */
export function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many simulation steps: enough for a small canvas to settle nicely, bounded for big ones (cost is ~n log n a step). */
export function stepsFor(moving: number): number {
  if (moving <= 300) return 300;
  if (moving <= 1500) return 200;
  if (moving <= 5000) return 80;
  return 60;
}

/** Canvases with more nodes than this are laid out by forceLayout; smaller ones by fcose, which draws them a little tidier. */
export const FORCE_LAYOUT_ABOVE = 400;

export function forceLayout(input: ForceInput): Record<string, { x: number; y: number }> {
  const random = seeded(20240503);
  const fixed = new Set(input.fixed);
  const byId = new Map<string, Body>();
  const degree = new Map<string, number>();
  for (const e of input.edges) {
    degree.set(e.source, (degree.get(e.source) ?? 0) + 1);
    degree.set(e.target, (degree.get(e.target) ?? 0) + 1);
  }
  const bodies: Body[] = input.nodes.map((n) => {
    const b: Body = { id: n.id, size: n.size, degree: degree.get(n.id) ?? 0 };
    if (fixed.has(n.id)) {
      b.x = b.fx = n.x;
      b.y = b.fy = n.y;
    }
    byId.set(n.id, b);
    return b;
  });
  const links: SimulationLinkDatum<Body>[] = input.edges.filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target).map((e) => ({ source: e.source, target: e.target }));

  // Starting places. A new node beside a fixed neighbour starts next to it (an expansion grows out of the
  // node expanded); the rest start on a spiral around the centre of the fixed ones (or the origin).
  const neighbours = new Map<string, string[]>();
  for (const l of links) {
    const [s, t] = [l.source as string, l.target as string];
    (neighbours.get(s) ?? neighbours.set(s, []).get(s)!).push(t);
    (neighbours.get(t) ?? neighbours.set(t, []).get(t)!).push(s);
  }
  let cx = 0;
  let cy = 0;
  const anchored = bodies.filter((b) => b.fx !== undefined);
  for (const b of anchored) {
    cx += b.x! / anchored.length;
    cy += b.y! / anchored.length;
  }
  const spread = 12 * Math.sqrt(bodies.length);
  let k = 0;
  for (const b of bodies) {
    if (b.fx !== undefined) continue;
    const anchor = (neighbours.get(b.id) ?? []).map((id) => byId.get(id)!).find((o) => o.fx !== undefined);
    if (anchor) {
      const a = random() * 2 * Math.PI;
      const r = LINK_GAP + anchor.size / 2 + b.size / 2;
      b.x = anchor.x! + r * Math.cos(a);
      b.y = anchor.y! + r * Math.sin(a);
    } else {
      // Vogel's spiral (golden angle), jittered: evenly spread, no two nodes on one spot.
      k++;
      const a = k * 2.399963;
      const r = spread * Math.sqrt(k / bodies.length) * 4;
      b.x = cx + r * Math.cos(a) + random();
      b.y = cy + r * Math.sin(a) + random();
    }
  }

  const moving = bodies.length - anchored.length;
  if (moving === 0) return positionsOf(bodies);
  const steps = stepsFor(moving);
  // An incremental layout starts cooler: the new nodes start near their place already.
  const alpha = anchored.length ? 0.5 : 1;
  const sim = forceSimulation<Body>(bodies)
    .randomSource(random)
    .alpha(alpha)
    // Cool from alpha to alphaMin in exactly `steps` steps.
    .alphaDecay(1 - Math.pow(0.001 / alpha, 1 / steps))
    .force(
      'link',
      forceLink<Body, SimulationLinkDatum<Body>>(links)
        .id((b) => b.id)
        .distance((l) => LINK_GAP + ((l.source as Body).size + (l.target as Body).size) / 2)
        // d3's default, 1/min(degree): the members of a hub spread around it instead of being pulled onto it.
        .strength((l) => 1 / Math.max(1, Math.min((l.source as Body).degree, (l.target as Body).degree))),
    )
    .force('charge', forceManyBody<Body>().strength(-150).theta(1.2))
    // A weak pull to the centre keeps unconnected pieces from drifting apart.
    .force('x', forceX<Body>(cx).strength(0.02))
    .force('y', forceY<Body>(cy).strength(0.02))
    .stop();
  // Collision (as costly a step as repulsion) only once the picture has its shape: it parts nodes that
  // sit on each other, which only matters for the final places.
  const collideFrom = Math.floor(steps * 0.7);
  for (let i = 0; i < steps; i++) {
    if (i === collideFrom) sim.force('collide', forceCollide<Body>((b) => b.size / 2 + COLLIDE_MARGIN).iterations(2));
    sim.tick();
  }
  return positionsOf(bodies);
}

function positionsOf(bodies: Body[]): Record<string, { x: number; y: number }> {
  const out: Record<string, { x: number; y: number }> = {};
  for (const b of bodies) out[b.id] = { x: b.fx ?? b.x!, y: b.fy ?? b.y! };
  return out;
}
