import { identifierTypeOfFtm, isAllowedLabel, isAllowedRelType, LINK_FTM, NODE_KINDS, LINK_TYPES, PARTY_KIND_NAMES, PARTY_KINDS, partyLabels } from '../../server/core/model';
import { query, queryWith, statements, schemaNames } from '../../server/core/neo4j/database';

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

describe('the FollowTheMoney mapping', () => {
  test("each link type is its FtM schema, ends as the schema's edge (followthemoney/schema/*.yaml)", () => {
    expect(LINK_FTM).toEqual({
      OWNERSHIP: { schema: 'Ownership', source: 'owner', target: 'asset', wording: 'role' },
      DIRECTORSHIP: { schema: 'Directorship', source: 'director', target: 'organization', wording: 'role' },
      FAMILY: { schema: 'Family', source: 'person', target: 'relative', wording: 'relationship' },
      ASSOCIATE: { schema: 'Associate', source: 'person', target: 'associate', wording: 'relationship' },
      UNKNOWN_LINK: { schema: 'UnknownLink', source: 'subject', target: 'object', wording: 'role' },
    });
  });
  test('each party kind names its schema; FtM says Airplane', () => {
    expect(PARTY_KIND_NAMES.map((k) => PARTY_KINDS[k].ftm)).toEqual(['LegalEntity', 'Person', 'Organization', 'Company', 'Vessel', 'Airplane']);
  });
  test('an identifier property means a type by the kind of its holder', () => {
    expect(identifierTypeOfFtm('idNumber', 'Person')).toBe('nationalId');
    expect(identifierTypeOfFtm('idNumber', 'Company')).toBe('other');
    expect(identifierTypeOfFtm('idNumber', 'Vessel')).toBe('nationalId');
    expect(identifierTypeOfFtm('registrationNumber', 'Aircraft')).toBe('aircraftTailNumber');
    expect(identifierTypeOfFtm('registrationNumber', 'Vessel')).toBe('registrationNumber');
    expect(identifierTypeOfFtm('passportNumber', 'Company')).toBe('passport');
    expect(identifierTypeOfFtm('ticker', 'Company')).toBeNull();
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
  test('schema.cypher names each constraint and index once (applySchema looks them up by name)', () => {
    const names = schemaNames();
    expect(names).toHaveLength(statements('schema').length);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['party_id', 'party_names', 'load_seq', 'release_part']));
  });
});
