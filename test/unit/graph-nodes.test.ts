/**
 * Subgraph rows to GraphNodes (server/api/graph.ts): a row with no label (a node a load's cleanup deleted
 * while the read ran) is left out instead of failing the request; a node with labels of no known kind is
 * still an error (a model that does not know its own graph).
 */
import { NodeRow, toGraphNodes } from '../../server/api/graph';

const row = (id: string, labels: string[], extra: Partial<NodeRow> = {}): NodeRow => ({
  eid: `4:db:${id}`,
  id,
  labels,
  kind: null,
  label: id,
  degree: 1,
  placeholder: false,
  delistedOn: null,
  listedOn: null,
  programs: [],
  datasets: [],
  ...extra,
});

test('a label-less row (deleted while read) is skipped; the others keep their order and kinds', () => {
  const rows = [
    row('ofac-43379', ['Party', 'Organization', 'LegalEntity'], { kind: 'Organization', programs: ['DPRK2'], datasets: ['ofac-sdn'] }),
    row('gone', []),
    row('DPRK2', ['Program']),
  ];
  expect(toGraphNodes(rows).map((n) => [n.id, n.kind, n.datasets])).toEqual([
    ['ofac-43379', 'Organization', ['ofac-sdn']],
    ['DPRK2', 'Program', []],
  ]);
});

test('a node with labels of no known kind is still an error', () => {
  expect(() => toGraphNodes([row('odd', ['Draft'])])).toThrow(/odd.*Draft/);
});
