/**
 * How many pairs of nodes a layout puts on top of each other: centres nearer than the sum of their radii.
 * For the checks of a layout (the benchmark, the large-canvas e2e test); a grid of cells keeps it linear.
 */
export function overlappingPairs(positions: Record<string, { x: number; y: number }>, sizes: Record<string, number>): number {
  const cell = Math.max(1, ...Object.values(sizes));
  const key = (x: number, y: number) => `${Math.floor(x / cell)},${Math.floor(y / cell)}`;
  const grid = new Map<string, string[]>();
  for (const [id, p] of Object.entries(positions)) {
    const k = key(p.x, p.y);
    (grid.get(k) ?? grid.set(k, []).get(k)!).push(id);
  }
  let pairs = 0;
  for (const [id, p] of Object.entries(positions)) {
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const o of grid.get(key(p.x + dx * cell, p.y + dy * cell)) ?? []) {
          if (o <= id) continue;
          const q = positions[o];
          if (Math.hypot(p.x - q.x, p.y - q.y) < (sizes[id] + sizes[o]) / 2) pairs++;
        }
      }
    }
  }
  return pairs;
}

/** A box to keep clear of the others: its centre, size, and whether it may move (a fixed node does not). */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
  fixed: boolean;
}

/** A grid of cells as large as the largest box (plus the gap): two boxes that overlap are in neighbouring cells. */
class Grid {
  readonly cw: number;
  readonly ch: number;
  private readonly cells = new Map<number, number[]>();
  constructor(rects: readonly Rect[], gap: number) {
    let cw = 1;
    let ch = 1;
    for (const r of rects) {
      cw = Math.max(cw, r.w + gap);
      ch = Math.max(ch, r.h + gap);
    }
    this.cw = cw;
    this.ch = ch;
  }
  // Numeric keys: this runs every step of the simulation, strings would cost more than the pushes.
  private key(ix: number, iy: number): number {
    return (ix + 1_048_576) * 2_097_152 + (iy + 1_048_576);
  }
  add(i: number, r: Rect): void {
    const k = this.key(Math.floor(r.x / this.cw), Math.floor(r.y / this.ch));
    const cell = this.cells.get(k);
    if (cell) cell.push(i);
    else this.cells.set(k, [i]);
  }
  /** Calls f with the index of every box in the cells around (x, y); stops when f returns true. */
  near(x: number, y: number, f: (j: number) => boolean | void): boolean {
    const ix = Math.floor(x / this.cw);
    const iy = Math.floor(y / this.ch);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const cell = this.cells.get(this.key(ix + dx, iy + dy));
        if (cell) for (const j of cell) if (f(j)) return true;
      }
    }
    return false;
  }
}

/** How far two boxes overlap across and along, the gap counted as part of each. */
function overlap(a: Rect, b: Rect, gap: number): [number, number] {
  return [(a.w + b.w) / 2 + gap - Math.abs(a.x - b.x), (a.h + b.h) / 2 + gap - Math.abs(a.y - b.y)];
}

/**
 * One pass of pushing apart the boxes that overlap (or come nearer than `gap`), each pair along the axis
 * it overlaps least on (the shortest move that parts them). A fixed box stays and the other takes the
 * whole push; `share` (0..1) takes only part of it (the simulation's gentle step). Moves the rects' x and
 * y; returns how many pairs overlapped by more than half a unit (the gap not counted).
 */
export function separate(rects: Rect[], gap: number, share = 1): number {
  if (rects.length < 2) return 0;
  const grid = new Grid(rects, gap);
  rects.forEach((r, i) => grid.add(i, r));
  let overlapping = 0;
  rects.forEach((a, i) => {
    grid.near(a.x, a.y, (j) => {
      if (j <= i) return;
      const b = rects[j];
      if (a.fixed && b.fixed) return;
      const [ox, oy] = overlap(a, b, gap);
      if (ox <= 0 || oy <= 0) return;
      if (ox - gap > 0.5 && oy - gap > 0.5) overlapping++;
      // Away from each other; two boxes on one spot part by their order (deterministic).
      const alongX = ox < oy;
      const d = alongX ? a.x - b.x : a.y - b.y;
      const sign = d > 0 || (d === 0 && i < j) ? 1 : -1;
      const push = (alongX ? ox : oy) * share;
      const [pa, pb] = a.fixed ? [0, push] : b.fixed ? [push, 0] : [push / 2, push / 2];
      if (alongX) {
        a.x += sign * pa;
        b.x -= sign * pb;
      } else {
        a.y += sign * pa;
        b.y -= sign * pb;
      }
    });
  });
  return overlapping;
}

/**
 * The last cleanup after a layout: a few passes of `separate` (small moves part boxes that just touch),
 * then each box still on another (in a crowd, pushing one onto the next) goes to the nearest free place,
 * looked for on rings around where it is. Fixed boxes stay (two fixed boxes on each other stay so).
 * Afterwards no two boxes overlap, unless both are fixed.
 */
export function removeOverlaps(rects: Rect[], gap: number, passes = 8): void {
  for (let i = 0; i < passes; i++) if (separate(rects, gap) === 0) return;
  const grid = new Grid(rects, gap);
  // Called for every place tried on every ring: no object made per check.
  const clear = (r: Rect, x: number, y: number, self: number) =>
    !grid.near(x, y, (j) => {
      if (j === self) return false;
      const o = rects[j];
      return (r.w + o.w) / 2 - Math.abs(x - o.x) > 0.5 && (r.h + o.h) / 2 - Math.abs(y - o.y) > 0.5;
    });
  // The fixed first (they do not move), then the others in order, each clear of those placed before it.
  const order = rects.map((_, i) => i).sort((a, b) => Number(rects[b].fixed) - Number(rects[a].fixed) || a - b);
  for (const i of order) {
    const r = rects[i];
    if (!r.fixed && !clear(r, r.x, r.y, i)) {
      const step = Math.max(4, Math.min(r.w, r.h) / 2);
      search: for (let ring = 1; ring < 10_000; ring++) {
        const radius = ring * step;
        const n = Math.max(6, Math.ceil((2 * Math.PI * radius) / step));
        for (let k = 0; k < n; k++) {
          const a = (2 * Math.PI * k) / n;
          // Boxes are wider than tall: the rings are ellipses of the box's proportions.
          const x = r.x + radius * Math.cos(a) * Math.max(1, r.w / r.h);
          const y = r.y + radius * Math.sin(a);
          if (clear(r, x, y, i)) {
            r.x = x;
            r.y = y;
            break search;
          }
        }
      }
    }
    grid.add(i, r);
  }
}
