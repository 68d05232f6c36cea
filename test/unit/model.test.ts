import { isAllowedLabel, isAllowedRelType, NODE_KINDS, LINK_TYPES, PARTY_KIND_NAMES, partyLabels } from '../../server/core/model';
import { query, queryWith, statements } from '../../server/core/neo4j/database';

describe('model', () => {
  test('a party carries its ancestor labels', () => {
    expect(partyLabels('Company')).toEqual(['Company', 'Organization', 'LegalEntity']);
    expect(partyLabels('Person')).toEqual(['Person', 'LegalEntity']);
  });
  test('every kind has a legend entry', () => {
    for (const k of PARTY_KIND_NAMES) expect(NODE_KINDS[k]).toBeDefined();
  });
  test('allow-lists accept model names only', () => {
    expect(isAllowedLabel('Party')).toBe(true);
    expect(isAllowedLabel('Person')).toBe(true);
    expect(isAllowedLabel('Person) DETACH DELETE (n')).toBe(false);
    expect(isAllowedRelType('UNKNOWN_LINK')).toBe(true);
    expect(isAllowedRelType('KNOWS')).toBe(false);
    expect(LINK_TYPES).toContain('OWNERSHIP');
    expect(LINK_TYPES).not.toContain('HAS_ADDRESS');
  });
});

describe('cypher files', () => {
  test('slots are filled only from the allow-list', () => {
    expect(queryWith('ingest-links', { linkType: 'FAMILY' })).toContain('[r:FAMILY {');
    expect(() => queryWith('ingest-links', { linkType: 'FAMILY]->() DETACH DELETE (x' })).toThrow(/allow-list|model/);
    expect(() => queryWith('ingest-links', {})).toThrow();
  });
  test('a path-length slot takes only a whole number from 1 to 6', () => {
    expect(queryWith('api-paths-shortest', { maxHops: 3 })).toContain('{1,3}(b)');
    expect(() => queryWith('api-paths-shortest', { maxHops: 7 })).toThrow(/1 to 6/);
    expect(() => queryWith('api-paths-shortest', { maxHops: 2.5 })).toThrow(/1 to 6/);
    expect(() => queryWith('api-paths-shortest', { maxHops: '3}(b) DETACH DELETE b //' })).toThrow(/allow-list|model/);
  });
  test('query names cannot leave the cypher folder', () => {
    expect(() => query('../package')).toThrow(/invalid query name/);
  });
  test('schema.cypher: constraints for every node key and a full-text index, all idempotent', () => {
    const s = statements('schema');
    for (const label of ['Party', 'Address', 'Identifier', 'Program', 'Dataset']) {
      expect(s.some((x) => x.includes(`(n:${label}) REQUIRE`))).toBe(true);
    }
    expect(s.some((x) => x.startsWith('CREATE FULLTEXT INDEX'))).toBe(true);
    for (const x of s) expect(x).toMatch(/IF NOT EXISTS/);
  });
});
