/**
 * The force-directed layout of large canvases: d3-force (Barnes-Hut many-body repulsion, springs along
 * edges, collision of each node's box with its label, then any overlap left pushed apart), which costs O(n log n) a step where fcose's CoSE costs far more: fcose took 20-27 s
 * for 2,000 nodes in the layout worker on a 2-core machine (bench/results/explorer.jsonl), this a few
 * hundred milliseconds to a second or two. Pure (no DOM, no Cytoscape): the layout worker and the
 * benchmark call it, a unit test checks its promises.
 *
 * Incremental: nodes named in `fixed` do not move (d3's fx/fy), and a new node starts beside a fixed
 * neighbour rather than at a random place, so an expansion settles in few steps and the picture the user
 * has been reading stays where it was.
 */
import { forceLink, forceManyBody, forceSimulation, forceX, forceY, SimulationLinkDatum, SimulationNodeDatum } from 'd3-force';
import { removeOverlaps, separate } from './overlaps';

export interface ForceInput {
  nodes: LayoutNode[];
  edges: { source: string; target: string }[];
  /** Ids of nodes that keep their given position. */
  fixed: string[];
}

/**
 * A node to place: its position, its drawn size, and the box of the node with its label (w, h, and the
 * box's centre off the node's position by ox, oy; the label hangs under the node). Without a box the node
 * is its shape alone (size by size).
 */
export interface LayoutNode {
  id: string;
  x: number;
  y: number;
  size: number;
  w?: number;
  h?: number;
  ox?: number;
  oy?: number;
}

interface Body extends SimulationNodeDatum {
  id: string;
  size: number;
  degree: number;
  w: number;
  h: number;
  ox: number;
  oy: number;
  /** Half the box's mean side: how far the box reaches from its centre, on average. */
  reach: number;
}

/** The box of a node (its shape alone when not measured). */
export function boxOf(n: LayoutNode): { w: number; h: number; ox: number; oy: number } {
  return { w: n.w ?? n.size, h: n.h ?? n.size, ox: n.ox ?? 0, oy: n.oy ?? 0 };
}

/** Distance between the centres of two linked nodes, beyond their radii. */
const LINK_GAP = 50;
/** Room kept between two nodes' boxes (shape and label). */
export const BOX_GAP = 8;
/** A node with at least this many links is a hub: its neighbours fill a disc around it (hubSpokes). */
const HUB_DEGREE = 12;
/** The disc round a hub is this many times the area of its neighbours' boxes (with the gap). */
const HUB_ROOM = 3;

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
    const box = boxOf(n);
    const b: Body = { id: n.id, size: n.size, degree: degree.get(n.id) ?? 0, ...box, reach: (box.w + box.h) / 4 };
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
  // As wide as the boxes: a canvas of labelled nodes needs more room than one of bare shapes.
  const meanReach = bodies.reduce((a, b) => a + b.reach, 0) / Math.max(1, bodies.length);
  const spread = 12 * Math.sqrt(bodies.length) * Math.max(1, meanReach / 20);
  let k = 0;
  for (const b of bodies) {
    if (b.fx !== undefined) continue;
    const anchor = (neighbours.get(b.id) ?? []).map((id) => byId.get(id)!).find((o) => o.fx !== undefined);
    if (anchor) {
      const a = random() * 2 * Math.PI;
      const r = LINK_GAP + anchor.reach + b.reach;
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

  const spokes = hubSpokes(links, byId);
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
        .distance((l) => spokes.get(l) ?? LINK_GAP + (l.source as Body).reach + (l.target as Body).reach)
        // d3's default, 1/min(degree): the members of a hub spread around it instead of being pulled onto it.
        .strength((l) => 1 / Math.max(1, Math.min((l.source as Body).degree, (l.target as Body).degree))),
    )
    .force('charge', forceManyBody<Body>().strength((b) => -150 * Math.max(1, (b.reach / 20) ** 2)).theta(1.2))
    // A weak pull to the centre keeps unconnected pieces from drifting apart.
    .force('x', forceX<Body>(cx).strength(0.02))
    .force('y', forceY<Body>(cy).strength(0.02))
    .stop();
  // Collision of the boxes (as costly a step as repulsion) only once the picture has its shape: it parts
  // nodes and labels that sit on each other, which only matters for the final places. Boxes, not circles:
  // a label is much wider than tall, and a circle round it would leave rows of labels far apart.
  const collideFrom = Math.floor(steps * 0.7);
  for (let i = 0; i < steps; i++) {
    if (i === collideFrom) sim.force('collide', boxCollide(bodies));
    sim.tick();
  }
  // What the simulation left overlapping (a crowded hub's ring) is pushed apart directly, the fixed nodes staying.
  const rects = bodies.map((b) => ({ x: (b.fx ?? b.x!) + b.ox, y: (b.fy ?? b.y!) + b.oy, w: b.w, h: b.h, fixed: b.fx !== undefined }));
  removeOverlaps(rects, BOX_GAP / 2);
  bodies.forEach((b, i) => {
    if (b.fx !== undefined) return;
    b.x = rects[i].x - b.ox;
    b.y = rects[i].y - b.oy;
  });
  return positionsOf(bodies);
}

/**
 * The length of each link of a hub (HUB_DEGREE links or more) to its neighbours. One length for all
 * (LINK_GAP beyond both boxes) put the 983 members of a program on one ring round it, far too short to
 * hold their boxes: the collision could not part them against the links, and the final cleanup had to
 * move a thousand boxes far from their places (2,000-node canvas: 1,234 pairs still overlapping after the
 * simulation, a third of the layout's time spent in removeOverlaps). Here the k-th of a hub's n links is as long
 * as the radius that encloses k + 1/2 of n parts of a disc (an annulus from the hub's own box outward)
 * HUB_ROOM times the area of those neighbours' boxes: the neighbours spread evenly over a disc with room for
 * them (224 pairs left, 28 boxes moved by the cleanup). A link between two hubs belongs to the larger one.
 */
function hubSpokes(links: SimulationLinkDatum<Body>[], byId: Map<string, Body>): Map<SimulationLinkDatum<Body>, number> {
  const byHub = new Map<Body, { link: SimulationLinkDatum<Body>; other: Body }[]>();
  for (const link of links) {
    const [s, t] = [byId.get(link.source as string)!, byId.get(link.target as string)!];
    const [hub, other] = s.degree >= t.degree ? [s, t] : [t, s];
    if (hub.degree < HUB_DEGREE) continue;
    (byHub.get(hub) ?? byHub.set(hub, []).get(hub)!).push({ link, other });
  }
  const out = new Map<SimulationLinkDatum<Body>, number>();
  for (const [hub, spokes] of byHub) {
    const area = HUB_ROOM * spokes.reduce((a, { other }) => a + (other.w + BOX_GAP) * (other.h + BOX_GAP), 0);
    const r0 = LINK_GAP + hub.reach;
    spokes.forEach(({ link }, k) => out.set(link, Math.sqrt(r0 * r0 + (area / Math.PI) * ((k + 0.5) / spokes.length))));
  }
  return out;
}

/** d3 force: boxes that would overlap after this step are pushed apart (half the overlap a step, two passes). */
function boxCollide(bodies: Body[]) {
  return () => {
    const rects = bodies.map((b) => ({ x: b.x! + b.vx! + b.ox, y: b.y! + b.vy! + b.oy, w: b.w, h: b.h, fixed: b.fx !== undefined }));
    const before = rects.map((r) => [r.x, r.y]);
    for (let pass = 0; pass < 2; pass++) separate(rects, BOX_GAP, 0.5);
    bodies.forEach((b, i) => {
      b.vx! += rects[i].x - before[i][0];
      b.vy! += rects[i].y - before[i][1];
    });
  };
}

function positionsOf(bodies: Body[]): Record<string, { x: number; y: number }> {
  const out: Record<string, { x: number; y: number }> = {};
  for (const b of bodies) out[b.id] = { x: b.fx ?? b.x!, y: b.fy ?? b.y! };
  return out;
}
