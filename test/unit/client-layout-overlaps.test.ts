/**
 * The last cleanup of the force-directed layout (client/src/layout/overlaps.ts), without a browser: boxes
 * of the sizes the canvas measures for a node with its label, piled as a crowded hub leaves them.
 */
import { overlappingBoxes } from '../../client/src/layout/tiers';
import { removeOverlaps, Rect, separate } from '../../client/src/layout/overlaps';

/** A fixed sequence in [0, 1) (a sine hash), so every run piles the same boxes. */
function fixedRandom(): () => number {
  let i = 0;
  return () => {
    const x = Math.sin(++i * 12.9898) * 43758.5453;
    return x - Math.floor(x);
  };
}

/** `n` label boxes (32-222 wide, 36-123 high, as measured on the 2,000-node canvas) on a ring far too short for them. */
function crowd(n: number, fixedEvery = 0): Rect[] {
  const random = fixedRandom();
  return Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    return { x: 150 * Math.cos(a) + random(), y: 150 * Math.sin(a) + random(), w: 32 + random() * 190, h: 36 + random() * 87, fixed: fixedEvery > 0 && i % fixedEvery === 0 };
  });
}

const asBoxes = (rects: Rect[]) => rects.map((r, i) => ({ id: String(i), w: r.w, h: r.h, ox: 0, oy: 0, degree: 1 }));
const asPositions = (rects: Rect[]) => Object.fromEntries(rects.map((r, i) => [String(i), { x: r.x, y: r.y }]));

test('a crowd of label boxes on a short ring: afterwards no two overlap, and each box is still near where it was', () => {
  const rects = crowd(300);
  expect(overlappingBoxes(asBoxes(rects), asPositions(rects)).length).toBeGreaterThan(1000);
  const before = rects.map((r) => ({ ...r }));
  removeOverlaps(rects, 4);
  expect(overlappingBoxes(asBoxes(rects), asPositions(rects))).toEqual([]);
  // The nearest free place: within the area the 300 boxes need round the ring, not thrown far out.
  const area = before.reduce((a, r) => a + (r.w + 8) * (r.h + 8), 0);
  const far = Math.sqrt(area / Math.PI) * 3;
  expect(rects.filter((r) => Math.hypot(r.x, r.y) > far)).toEqual([]);
});

test('fixed boxes stay where they are; the others move off them (two fixed boxes on each other stay so)', () => {
  const rects = crowd(200, 10);
  const fixed = rects.filter((r) => r.fixed).map((r) => ({ ...r }));
  removeOverlaps(rects, 4);
  expect(rects.filter((r) => r.fixed)).toEqual(fixed);
  const left = overlappingBoxes(asBoxes(rects), asPositions(rects)).filter(([a, b]) => !rects[Number(a)].fixed || !rects[Number(b)].fixed);
  expect(left).toEqual([]);
});

test('one pass of separate parts two boxes on one spot along the axis they overlap least on, each by half', () => {
  const rects: Rect[] = [
    { x: 0, y: 0, w: 100, h: 40, fixed: false },
    { x: 0, y: 0, w: 100, h: 40, fixed: false },
  ];
  expect(separate(rects, 0)).toBe(1);
  expect(rects.map((r) => [r.x, r.y])).toEqual([
    [0, 20],
    [0, -20],
  ]);
  expect(separate(rects, 0)).toBe(0);
});
