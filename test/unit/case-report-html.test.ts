/**
 * The case report's writer without a database: every text escaped wherever it lands (body, attribute,
 * SVG), each node kind in its legend shape and colour, and nodes saved without a position still drawn.
 */
import { NODE_KINDS } from '../../server/core/model';
import { esc, reportHtml, type ReportData } from '../../server/core/report/html';
import { canvasSvg } from '../../server/core/report/svg';

const HOSTILE = `<script>alert(1)</script>"'&<img src=x onerror=alert(2)>`;

test('esc leaves none of the five characters that open markup or close an attribute', () => {
  const out = esc(HOSTILE);
  expect(out).not.toMatch(/[<>"']/);
  expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
});

test('the canvas: one shape per node in its kind colour, unplaced nodes drawn too, labels escaped', () => {
  const kinds = Object.keys(NODE_KINDS);
  const nodes = kinds.map((kind, i) => ({ id: `n${i}`, kind, label: `${kind} ${HOSTILE}`, x: i % 2 ? null : i * 100, y: i % 2 ? null : 50, delisted: i === 0 }));
  const svg = canvasSvg(nodes, [{ source: 'n0', target: 'n1', type: 'OWNERSHIP' }]);
  expect(svg.match(/<g class="node">/g)).toHaveLength(kinds.length);
  for (const k of kinds) expect(svg).toContain(`fill="${NODE_KINDS[k as keyof typeof NODE_KINDS].color}"`);
  expect(svg).not.toMatch(/<script|<img/);
  expect(svg).toContain('(delisted)');
  expect(svg).toContain('>ownership</text>');
  // Every coordinate a number: the unplaced nodes got places.
  expect(svg).not.toMatch(/NaN|undefined|null/);
});

test('the whole report has no markup from its data and no script, link or image', () => {
  const cited = { dataset: HOSTILE, release: HOSTILE, record: HOSTILE };
  const d: ReportData = {
    id: 'inv-1',
    name: HOSTILE,
    owner: HOSTILE,
    createdAt: '2024-05-03T00:00:00Z',
    updatedAt: '2024-05-03T00:00:00Z',
    madeAt: '2024-05-04T00:00:00Z',
    releasesUsed: [{ dataset: HOSTILE, release: HOSTILE }],
    releasesNow: [{ dataset: HOSTILE, release: HOSTILE }],
    nodes: [{ id: 'a', kind: 'Person', label: HOSTILE, x: 0, y: 0, delisted: false }],
    edges: [],
    parties: [
      {
        id: 'a',
        name: HOSTILE,
        kind: 'Person',
        placeholder: false,
        datasets: [HOSTILE],
        programs: [{ program: HOSTILE, ...cited }],
        aliases: [HOSTILE],
        identifiers: [{ type: HOSTILE, value: HOSTILE, country: HOSTILE, label: HOSTILE, ...cited }],
        addresses: [{ full: HOSTILE, ...cited }],
        birthDates: [HOSTILE],
        nationalities: [HOSTILE],
        listedOn: HOSTILE,
        firstSeen: null,
        delistedOn: HOSTILE,
        source: cited,
      },
    ],
    facts: [{ id: HOSTILE, kind: HOSTILE, label: HOSTILE }],
    links: [{ source: 'a', target: 'a', sourceName: HOSTILE, targetName: HOSTILE, type: HOSTILE, label: HOSTILE, percentage: HOSTILE, startDate: HOSTILE, endDate: null, why: HOSTILE, ...cited }],
    paths: [{ from: 'a', to: 'a', fromName: HOSTILE, toName: HOSTILE, hops: [{ text: HOSTILE, citation: HOSTILE }] }],
    pathsNote: HOSTILE,
    ownership: [{ id: 'a', name: HOSTILE, verdict: HOSTILE, total: 1, totalHigh: 2, arithmetic: [HOSTILE], chains: [{ arithmetic: HOSTILE, why: HOSTILE }] }, { id: 'b', name: HOSTILE, error: HOSTILE }],
    ownershipNote: HOSTILE,
    notes: [{ on: HOSTILE, text: HOSTILE }],
    changes: [HOSTILE],
    missing: [HOSTILE],
  };
  const html = reportHtml(d);
  expect(html).not.toMatch(/<script|<img|<link|<iframe/i);
  expect(html).not.toMatch(/<[^>]*\s(src|href|onerror)\s*=/i);
  // Each escaped copy is there: nothing was dropped instead of escaped.
  expect(html.split(esc(HOSTILE)).length - 1).toBeGreaterThan(30);
});
