/**
 * The marks a reopened investigation puts on the canvas (client/src/investigation-marks.ts), in a headless
 * Cytoscape: parties added, removed and modified by id, links added by their key (ends, type, wording),
 * since a load gives relationships new element ids; marks of an earlier opening are taken off.
 */
import cytoscape, { Core } from 'cytoscape';
import { applyChangeMarks, linkKey, marksOf, NO_MARKS } from '../../client/src/investigation-marks';
import { linkKey as serverLinkKey } from '../../server/core/investigations';

let cy: Core;
beforeEach(() => {
  cy = cytoscape({ headless: true });
  cy.add([
    { group: 'nodes', data: { id: 'ofac-40536' } },
    { group: 'nodes', data: { id: 'ofac-48321' } },
    { group: 'nodes', data: { id: 'ofac-38556' } },
    { group: 'nodes', data: { id: 'ofac-38279' } },
    // Element ids as a load makes them (Neo4j element ids), not the links' keys.
    { group: 'edges', data: { id: '5:abc:1', source: 'ofac-48321', target: 'ofac-40536', type: 'UNKNOWN_LINK', label: 'Linked To' } },
    { group: 'edges', data: { id: '5:abc:2', source: 'ofac-38556', target: 'ofac-38279', type: 'UNKNOWN_LINK', label: 'Linked To' } },
  ]);
});
afterEach(() => cy.destroy());

const classesOf = (id: string) => ['inv-added', 'inv-removed', 'inv-modified'].filter((c) => cy.getElementById(id).hasClass(c));

test('the client writes a link key as the server does', () => {
  const l = { source: 'ofac-48321', target: 'ofac-40536', type: 'UNKNOWN_LINK', label: 'Linked To' };
  expect(linkKey(l)).toBe(serverLinkKey(l));
  expect(linkKey({ ...l, label: null })).toBe(serverLinkKey({ ...l, label: null }));
});

test('parties and links are marked by what changed; opening another investigation takes the marks off', () => {
  const key = 'ofac-48321|UNKNOWN_LINK|ofac-40536|Linked To';
  const marks = marksOf({
    now: [],
    added: [{ id: 'ofac-48321', name: 'YOUSSEF, Adnan Mahmoud', reason: '', fields: [] }],
    removed: [{ id: 'ofac-38556', name: 'EMPEROR AVIATION LTD', reason: '', fields: [] }],
    modified: [{ id: 'ofac-40536', name: 'MOUKALLED, Hassan Ahmed', reason: '', fields: ['links'] }],
    linksAdded: [{ key, source: 'ofac-48321', target: 'ofac-40536', type: 'UNKNOWN_LINK', label: 'Linked To' }],
    linksRemoved: [],
    summary: [],
  });
  applyChangeMarks(cy, marks);
  expect(classesOf('ofac-48321')).toEqual(['inv-added']);
  expect(classesOf('ofac-38556')).toEqual(['inv-removed']);
  expect(classesOf('ofac-40536')).toEqual(['inv-modified']);
  expect(classesOf('ofac-38279')).toEqual([]);
  expect(classesOf('5:abc:1')).toEqual(['inv-added']);
  expect(classesOf('5:abc:2')).toEqual([]);
  applyChangeMarks(cy, NO_MARKS);
  expect(cy.elements('.inv-added, .inv-removed, .inv-modified').length).toBe(0);
});

test('marks applied again restyle nothing; a change restyles only the elements whose marks change', () => {
  // Cytoscape emits 'class' for every element a class call names, and restyles exactly those.
  let restyled = 0;
  cy.on('class', () => void restyled++);
  const marks = { nodes: { 'ofac-48321': 'added' as const, 'ofac-40536': 'modified' as const }, edges: ['ofac-48321|UNKNOWN_LINK|ofac-40536|Linked To'] };
  applyChangeMarks(cy, marks);
  expect(restyled).toBe(3);
  restyled = 0;
  applyChangeMarks(cy, marks);
  expect(restyled).toBe(0);
  // One party's mark changes from modified to removed: that node only (one class off, one on).
  applyChangeMarks(cy, { ...marks, nodes: { 'ofac-48321': 'added', 'ofac-40536': 'removed' } });
  expect(restyled).toBe(2);
  expect(classesOf('ofac-40536')).toEqual(['inv-removed']);
});
