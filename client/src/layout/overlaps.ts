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
