/**
 * The canvas of a saved investigation as an inline SVG, drawn from the positions saved with it: each node
 * in its kind's shape and colour (model.ts NODE_KINDS, the explorer's legend), its label beneath, each
 * relationship a line with its type. A node saved without a position is placed on a circle around the
 * others. Every text is escaped (esc): labels come from the data.
 */
import { NODE_KINDS, type NodeKind } from '../model';

export interface SvgNode {
  id: string;
  kind: string;
  label: string;
  x: number | null;
  y: number | null;
  delisted: boolean;
}

export interface SvgEdge {
  source: string;
  target: string;
  type: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]);
const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const r1 = (n: number) => Math.round(n * 10) / 10;

const R = 14;

function shape(kind: string, x: number, y: number): string {
  const style = (NODE_KINDS as Record<string, { shape: string; color: string } | undefined>)[kind as NodeKind];
  const fill = style?.color ?? '#999999';
  const a = `fill="${fill}" stroke="#333" stroke-width="1"`;
  const pts = (ps: [number, number][]) => `<polygon points="${ps.map(([px, py]) => `${r1(x + px)},${r1(y + py)}`).join(' ')}" ${a}/>`;
  switch (style?.shape) {
    case 'round-rectangle':
    case 'round-tag':
      return `<rect x="${r1(x - R * 1.3)}" y="${r1(y - R)}" width="${r1(R * 2.6)}" height="${R * 2}" rx="5" ${a}/>`;
    case 'diamond':
      return pts([[0, -R * 1.2], [R * 1.2, 0], [0, R * 1.2], [-R * 1.2, 0]]);
    case 'triangle':
      return pts([[0, -R * 1.2], [R * 1.2, R], [-R * 1.2, R]]);
    case 'hexagon':
      return pts([0, 1, 2, 3, 4, 5].map((i) => [R * 1.15 * Math.cos((Math.PI / 3) * i), R * 1.15 * Math.sin((Math.PI / 3) * i)]));
    case 'star':
      return pts([...Array(10).keys()].map((i) => [(i % 2 ? R * 0.5 : R * 1.2) * Math.sin((Math.PI / 5) * i), -(i % 2 ? R * 0.5 : R * 1.2) * Math.cos((Math.PI / 5) * i)]));
    default:
      return `<ellipse cx="${r1(x)}" cy="${r1(y)}" rx="${R * 1.3}" ry="${R}" ${a}/>`;
  }
}

/** The picture: a viewBox around the saved positions, scaled by the browser to the page's width. */
export function canvasSvg(nodes: readonly SvgNode[], edges: readonly SvgEdge[]): string {
  const placed = nodes.filter((n) => n.x !== null && n.y !== null);
  const xs = placed.map((n) => n.x!);
  const ys = placed.map((n) => n.y!);
  const cx = xs.length ? (Math.min(...xs) + Math.max(...xs)) / 2 : 0;
  const cy = ys.length ? (Math.min(...ys) + Math.max(...ys)) / 2 : 0;
  const unplaced = nodes.filter((n) => n.x === null || n.y === null);
  const span = Math.max(200, ...xs.map((x) => Math.abs(x - cx)), ...ys.map((y) => Math.abs(y - cy)));
  const at = new Map(placed.map((n) => [n.id, { x: n.x!, y: n.y! }]));
  unplaced.forEach((n, i) => {
    const t = (2 * Math.PI * i) / unplaced.length;
    at.set(n.id, { x: cx + (span + 80) * Math.cos(t) * (placed.length ? 1 : 0.6), y: cy + (span + 80) * Math.sin(t) * (placed.length ? 1 : 0.6) });
  });
  const all = [...at.values()];
  // Room for the labels (up to 40 characters, centred under their node) beside the outermost nodes.
  const padX = 30 + 3.4 * Math.max(0, ...nodes.map((n) => Math.min(41, n.label.length + (n.delisted ? 11 : 0))));
  const padY = 60;
  const minX = Math.min(...all.map((p) => p.x)) - padX;
  const minY = Math.min(...all.map((p) => p.y)) - padY;
  const w = Math.max(...all.map((p) => p.x)) - minX + padX;
  const h = Math.max(...all.map((p) => p.y)) - minY + padY;
  const lines = edges
    .filter((e) => at.has(e.source) && at.has(e.target))
    .map((e) => {
      const s = at.get(e.source)!;
      const t = at.get(e.target)!;
      return `<g class="edge"><line x1="${r1(s.x)}" y1="${r1(s.y)}" x2="${r1(t.x)}" y2="${r1(t.y)}" stroke="#888" stroke-width="1.5"/><text x="${r1((s.x + t.x) / 2)}" y="${r1(
        (s.y + t.y) / 2 - 3,
      )}" font-size="9" fill="#555" text-anchor="middle">${esc(e.type.toLowerCase().replace(/_/g, ' '))}</text></g>`;
    });
  const marks = nodes.map((n) => {
    const p = at.get(n.id)!;
    return `<g class="node">${shape(n.kind, p.x, p.y)}<text x="${r1(p.x)}" y="${r1(p.y + R + 13)}" font-size="11" text-anchor="middle" fill="${n.delisted ? '#b00020' : '#222'}">${esc(short(n.label, 40))}${
      n.delisted ? ' (delisted)' : ''
    }</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="The investigation's canvas" width="${r1(Math.min(w, 1060))}" viewBox="${r1(minX)} ${r1(minY)} ${r1(w)} ${r1(
    h,
  )}" font-family="system-ui,sans-serif">${lines.join('')}${marks.join('')}</svg>`;
}
