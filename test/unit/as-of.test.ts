/**
 * The parts of reads as of a date that need no database: the date's check, which loads a date sees
 * (server/core/as-of.ts cutOf), and the query texts database.ts makes of the shipped query files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cutOf, parseAsOf } from '../../server/core/as-of';
import { CYPHER_DIR, query, queryWith } from '../../server/core/neo4j/database';
import { REL_TYPE_NAMES } from '../../server/core/model';

test('asOf must be a real date written YYYY-MM-DD; the message names the field', () => {
  expect(parseAsOf('2024-04-30')).toBe('2024-04-30');
  expect(parseAsOf('2024-02-29')).toBe('2024-02-29');
  for (const bad of ['2023-02-29', '2024-13-01', '2024-04-31', '2024-4-30', '30.04.2024', '2024-04-30T00:00:00Z', '']) {
    expect(() => parseAsOf(bad)).toThrow(/^asOf must be a date written YYYY-MM-DD/);
  }
  expect(() => parseAsOf('x', 'when')).toThrow(/^when must be/);
});

describe('the loads a date sees', () => {
  // Two datasets loaded in turn; ofac's 2024-04-26 loaded again after 2024-05-03 (number 5).
  const loads = [
    { seq: 1, dataset: 'ofac-sdn', release: '2024-04-26' },
    { seq: 2, dataset: 'un-sc', release: '2024-04-20' },
    { seq: 3, dataset: 'ofac-sdn', release: '2024-05-03' },
    { seq: 4, dataset: 'un-sc', release: '2024-05-10' },
  ];
  const snap = { seq: 4, hidden: [] };

  test('per dataset, its loads up to the last one whose release is on or before the date, and 0', () => {
    expect(cutOf('2024-04-30', loads, snap)).toEqual({ date: '2024-04-30', loads: [0, 1, 2] });
    expect(cutOf('2024-05-03', loads, snap)).toEqual({ date: '2024-05-03', loads: [0, 1, 2, 3] });
    expect(cutOf('2024-04-22', loads, snap)).toEqual({ date: '2024-04-22', loads: [0, 2] });
  });

  test('a release loaded again counts at its later load: the date sees the graph that load left', () => {
    const again = [...loads, { seq: 5, dataset: 'ofac-sdn', release: '2024-04-26' }];
    expect(cutOf('2024-05-05', again, { seq: 5, hidden: [] })).toEqual({ date: '2024-05-05', loads: [0, 1, 2, 3, 5] });
  });

  test('on or after every release, or in the future: today (null); loads the reader does not see do not count', () => {
    expect(cutOf('2024-05-10', loads, snap)).toBeNull();
    expect(cutOf('2999-01-01', loads, snap)).toBeNull();
    // Load 4 is open (hidden) for this reader: 2024-05-03 then sees all it sees.
    expect(cutOf('2024-05-03', loads, { seq: 4, hidden: [4] })).toBeNull();
    expect(cutOf('2024-05-03', loads, { seq: 3, hidden: [] })).toBeNull();
  });

  test('before every release: refused, naming the field and the first release', () => {
    expect(() => cutOf('2024-01-01', loads, snap)).toThrow('asOf 2024-01-01 is before the first loaded release (un-sc 2024-04-20): nothing was loaded as of then');
  });
});

describe('query texts', () => {
  const files = fs.readdirSync(CYPHER_DIR).filter((f) => f.startsWith('api-') && fs.readFileSync(path.join(CYPHER_DIR, f), 'utf8').includes('{{visible:'));

  test('as of a date, every read query matches history too and is left with no macro', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const name = f.replace(/\.cypher$/, '');
      const text = /\{\{maxHops\}\}/.test(fs.readFileSync(path.join(CYPHER_DIR, f), 'utf8')) ? queryWith(name, { maxHops: 3 }, 'asOf') : query(name, 'asOf');
      expect([name, /\{\{/.test(text)]).toEqual([name, false]);
      expect(text).toContain('$asOfLoads');
    }
    const entities = query('api-entities', 'asOf');
    expect(entities).toContain('[ra:HAS_ADDRESS|PAST_HAS_ADDRESS]');
    expect(entities).toContain('[r:HAS_IDENTIFIER|PAST_HAS_IDENTIFIER]');
    expect(entities).toMatch(/p \{\.\*, delistedOn: \(CASE WHEN p\.delistedOn <= \$asOfDate/);
    expect(query('api-neighborhood-hop', 'asOf')).toContain("replace(type(r), 'PAST_', '') IN $types");
    expect(query('api-subgraph-nodes', 'asOf')).toContain('(CASE WHEN n.delistedOn <= $asOfDate THEN n.delistedOn END) AS delistedOn');
  });

  test("today's clean reads read no relationship property; with history in the store they leave it out by type", () => {
    expect(query('api-neighborhood-hop', true)).not.toMatch(/PAST_|addedSeq|removedSeq|asOf/);
    expect(query('api-subgraph-nodes', true)).toContain('COUNT { (n)--() } AS degree');
    const hop = query('api-neighborhood-hop', 'live');
    const past = REL_TYPE_NAMES.map((t) => `PAST_${t}`).join('|');
    expect(hop).toContain(`NOT r:${past}`);
    // Nodes are never history: no check on them.
    expect(hop).not.toContain('NOT m:');
    expect(queryWith('api-paths-shortest', { maxHops: 3 }, 'live')).toMatch(new RegExp(`NOT r:${past.replace(/\|/g, '\\|')} AND true\\)`));
    expect(hop).not.toMatch(/addedSeq|removedSeq|asOf/);
    expect(query('api-subgraph-nodes', 'live')).toContain(`(COUNT { (n)--() } - COUNT { (n)-[:${past}]-() })`);
  });
});
