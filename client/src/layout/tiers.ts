/**
 * The breadth-first and concentric layouts, computed from each node's box (its shape and its label, as
 * the canvas measures them) so that no two boxes overlap and labels stay readable. Cytoscape's own
 * layouts put all of a level on one line (breadth-first: 107 members of a program on one row) or space
 * nodes by their shape alone (concentric: 32 px apart, labels on top of each other).
 *
 * - breadthFirst: levels by hops from a root (the best-connected node of each connected piece); a level of
 *   more than ROW_MAX nodes wraps into several rows; each row spaced by its nodes' box widths.
 * - concentric: rings by degree (a ring for each degree bucket, bucket = floor(log2(degree))), the
 *   best-connected node in the middle; rings are ellipses whose axes grow by STEP_X and STEP_Y (the
 *   largest box plus a gap, times sqrt 2) a ring, and the nodes of a ring are at least one ring step
 *   apart (in the ellipse's own scale): two boxes then always clear each other across or along.
 *
 * Pure (no DOM, no Cytoscape): GraphCanvas measures the boxes and applies the positions; a unit test and
 * the browser test check the promises.
 */

export interface Box {
  id: string;
  /** The box of the node and its label: size, and its centre's offset from the node's position. */
  w: number;
  h: number;
  ox: number;
  oy: number;
  /** Degree in the whole graph (concentric rings). */
  degree: number;
}

export interface TierInput {
  boxes: Box[];
  edges: { source: string; target: string }[];
}

export type Positions = Record<string, { x: number; y: number }>;

/** The most nodes in one row of the breadth-first layout. */
export const ROW_MAX = 20;
/** The most nodes on one ring of the concentric layout (a ring holds fewer when its ellipse is small). */
export const RING_MAX = 40;
/** Room between two boxes (model units: px at zoom 1). */
export const GAP = 12;

function neighbourMap(input: TierInput): Map<string, string[]> {
  const ids = new Set(input.boxes.map((b) => b.id));
  const out = new Map<string, string[]>(input.boxes.map((b) => [b.id, []]));
  for (const e of input.edges) {
    if (e.source === e.target || !ids.has(e.source) || !ids.has(e.target)) continue;
    out.get(e.source)!.push(e.target);
    out.get(e.target)!.push(e.source);
  }
  return out;
}

/** Levels by hops from the best-connected node of each connected piece (ties: input order), every piece's root on level 0. */
export function bfsLevels(input: TierInput): string[][] {
  const nb = neighbourMap(input);
  const order = new Map(input.boxes.map((b, i) => [b.id, i]));
  const byDegree = input.boxes
    .map((b) => b.id)
    .sort((a, b) => nb.get(b)!.length - nb.get(a)!.length || order.get(a)! - order.get(b)!);
  const level = new Map<string, number>();
  const levels: string[][] = [];
  for (const root of byDegree) {
    if (level.has(root)) continue;
    level.set(root, 0);
    let frontier = [root];
    for (let depth = 0; frontier.length; depth++) {
      (levels[depth] ??= []).push(...frontier);
      const next: string[] = [];
      // Children in the order of their parents, so a parent's children sit together under it.
      for (const id of frontier) {
        for (const o of nb.get(id)!) {
          if (level.has(o)) continue;
          level.set(o, depth + 1);
          next.push(o);
        }
      }
      frontier = next;
    }
  }
  return levels;
}

/** Splits a list into rows of at most `max`, as even as can be (107 by 20: 6 rows of 17 or 18). */
export function wrap<T>(xs: readonly T[], max: number): T[][] {
  if (!xs.length) return [];
  const rows = Math.ceil(xs.length / max);
  const per = Math.ceil(xs.length / rows);
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += per) out.push(xs.slice(i, i + per));
  return out;
}

/** Breadth-first levels, top to bottom, each wrapped into rows of at most ROW_MAX, rows centred. */
export function breadthFirst(input: TierInput): Positions {
  const box = new Map(input.boxes.map((b) => [b.id, b]));
  const out: Positions = {};
  let top = 0;
  for (const level of bfsLevels(input)) {
    for (const row of wrap(level, ROW_MAX)) {
      const boxes = row.map((id) => box.get(id)!);
      const width = boxes.reduce((a, b) => a + b.w, 0) + GAP * (boxes.length - 1);
      const height = Math.max(...boxes.map((b) => b.h));
      let left = -width / 2;
      for (const b of boxes) {
        // The box's centre at (left + w/2, top + height/2); the node sits off it by the box's offset.
        out[b.id] = { x: left + b.w / 2 - b.ox, y: top + height / 2 - b.oy };
        left += b.w + GAP;
      }
      top += height + GAP;
    }
    // A wider gap between levels than between the rows of one level.
    top += 3 * GAP;
  }
  return out;
}

/** The concentric layout's rings, innermost first: ring 0 holds the best-connected node alone. */
export function concentricRings(input: TierInput): string[][] {
  if (!input.boxes.length) return [];
  const order = new Map(input.boxes.map((b, i) => [b.id, i]));
  const sorted = input.boxes.slice().sort((a, b) => b.degree - a.degree || order.get(a.id)! - order.get(b.id)!);
  const bucket = (b: Box) => Math.floor(Math.log2(Math.max(1, b.degree)));
  const rings: string[][] = [[sorted[0].id]];
  let current: string[] = [];
  let currentBucket = -1;
  for (const b of sorted.slice(1)) {
    const k = bucket(b);
    // A new ring for each degree bucket, and whenever this one is full.
    if (current.length && (k !== currentBucket || current.length >= ringCapacity(rings.length))) {
      rings.push(current);
      current = [];
    }
    currentBucket = k;
    current.push(b.id);
  }
  if (current.length) rings.push(current);
  return rings;
}

/**
 * How many nodes ring k (k >= 1) holds: on a circle of radius k (in units of the ring step), nodes one
 * unit apart (chord 2k sin(a/2) >= 1), and at most RING_MAX.
 */
export function ringCapacity(k: number): number {
  if (k < 1) return 1;
  const angle = 2 * Math.asin(Math.min(1, 1 / (2 * k)));
  return Math.max(1, Math.min(RING_MAX, Math.floor((2 * Math.PI) / angle + 1e-9)));
}

/** The ring steps for these boxes: the largest box plus a gap, times sqrt 2 (see the file's comment). */
export function ringSteps(boxes: readonly Box[]): { x: number; y: number } {
  const w = Math.max(1, ...boxes.map((b) => b.w)) + GAP;
  const h = Math.max(1, ...boxes.map((b) => b.h)) + GAP;
  return { x: w * Math.SQRT2, y: h * Math.SQRT2 };
}

/** Concentric ellipses around the origin, the best-connected node in the middle, one ring a degree bucket. */
export function concentric(input: TierInput): Positions {
  const box = new Map(input.boxes.map((b) => [b.id, b]));
  const step = ringSteps(input.boxes);
  const out: Positions = {};
  concentricRings(input).forEach((ring, k) => {
    ring.forEach((id, i) => {
      const b = box.get(id)!;
      // Evenly round the ring, starting at the top.
      const a = -Math.PI / 2 + (2 * Math.PI * i) / ring.length;
      out[id] = { x: k * step.x * Math.cos(a) - b.ox, y: k * step.y * Math.sin(a) - b.oy };
    });
  });
  return out;
}

/** Pairs of boxes (placed at these positions) that overlap by more than `slack` both across and along: for the checks. */
export function overlappingBoxes(boxes: readonly Box[], positions: Positions, slack = 0.5): [string, string][] {
  const placed = boxes.filter((b) => positions[b.id]).map((b) => ({ b, cx: positions[b.id].x + b.ox, cy: positions[b.id].y + b.oy }));
  const out: [string, string][] = [];
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const p = placed[i];
      const q = placed[j];
      const overlapX = (p.b.w + q.b.w) / 2 - Math.abs(p.cx - q.cx);
      const overlapY = (p.b.h + q.b.h) / 2 - Math.abs(p.cy - q.cy);
      if (overlapX > slack && overlapY > slack) out.push([p.b.id, q.b.id]);
    }
  }
  return out;
}
