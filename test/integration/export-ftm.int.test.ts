/**
 * The FtM lines of an export (export-ftm.ts ftmLines) of subgraphs read from the real Neo4j (graph.ts
 * `subgraph`, then readEvidence), which holds the real OFAC SDN list of 2024-05-03. Cases the list does
 * not hold come from test/fixtures/export-cases/export-cases.ftm.json (FtM lines in OpenSanctions' form,
 * loaded with the FtM ingest as the dataset export-cases; its README says what each line is for): an
 * unlisted company, an Employment, links that need a placeholder to be a Person, two UnknownLinks between
 * the same two people, and a Sanction named in words with a listing date. An identifier stated by two
 * datasets comes from a second real OFAC release: test/fixtures/ofac-sdn-csv-subset-2025-05-16/sdn.csv,
 * loaded as its own dataset, restates parties of the 2024 list under the same ids.
 *
 * Dropped from the former unit test (which built rows by hand): two links "told apart only by their
 * record" (same type, ends, dataset and wording, no source id). No source can make them: the loader keys
 * a link by its dataset and its source id or, without one, its wording (cypher/ingest-links.cypher), so
 * two such statements are one relationship listing both staters (statedBy). Two links with their own
 * source ids between the same parties are tested instead.
 */
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { readEvidence, type ExportGraph } from '../../server/api/export-evidence';
import { ftmLines } from '../../server/api/export-ftm';
import { subgraph, type GraphEdge } from '../../server/api/graph';
import { REPO_ROOT } from '../../server/core/settings';
import { Database } from '../../server/core/neo4j/database';
import { apiQuery, LOAD_DEFAULTS, testDatabase } from '../helpers';
import { entities, fixture, loadSdnWithCases, vehicleIds, type Entity } from './export-cases';

const SDN_2025 = path.join(REPO_ROOT, 'test', 'fixtures', 'ofac-sdn-csv-subset-2025-05-16', 'sdn.csv');
const cases = fixture();
const LEGAL = ['LegalEntity', 'Person', 'Organization', 'Company'];

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await loadSdnWithCases(db);
  // The load of the whole list takes about a minute here, several when the machine is busy.
}, 600_000);
afterAll(async () => {
  await db.close();
});

/** The export's reading of these nodes and every relationship among them, as the export endpoint makes it (depth 0). */
async function exportOf(ids: string[], reorder: (edges: GraphEdge[]) => GraphEdge[] = (x) => x): Promise<ExportGraph> {
  const sub = await subgraph(db, { ids });
  return readEvidence(db, { ...sub, edges: reorder(sub.edges) });
}

async function ftmOf(ids: string[]): Promise<{ g: ExportGraph; lines: Entity[]; text: string }> {
  const g = await exportOf(ids);
  const text = ftmLines(g);
  return { g, lines: entities(text), text };
}

/** The programs the API's entity view gives a party. */
async function programsOf(id: string): Promise<string[]> {
  const data = await apiQuery<{ entity: { programs: string[] } | null }>(db, 'query($id: ID!) { entity(id: $id) { programs } }', { id });
  return data.entity!.programs;
}

test('a party under no program (the all-null row of an OPTIONAL MATCH) is not listed: no topics, no Sanction, no programs', async () => {
  // A placeholder of the SDN list (a "Linked To:" name no entry has) and a company the fixture loads
  // without a Sanction (an FtM import of an unsanctioned related company), beside the listed aircraft.
  const [link] = await db.runWrite<{ from: string; to: string }>(
    'MATCH (a:Party)-[:UNKNOWN_LINK]->(p:Placeholder) WHERE NOT a:Placeholder AND (a)-[:SANCTION]->() RETURN a.id AS from, p.id AS to ORDER BY a.id, p.id LIMIT 1',
  );
  expect(link).toBeDefined();
  const unlisted = 'case-beratex-unlisted';
  const { g, lines } = await ftmOf(['ofac-27197', link.from, link.to, unlisted]);
  expect(g.parties.get(link.to)!.placeholder).toBe(true);
  expect(g.parties.get(unlisted)!.placeholder).toBe(false);
  for (const id of [link.to, unlisted]) {
    expect([id, g.parties.get(id)!.programs]).toEqual([id, []]);
    const e = lines.find((x) => x.id === id)!;
    expect([id, e.target, e.properties.topics, e.properties.program]).toEqual([id, false, undefined, undefined]);
    expect(lines.filter((x) => x.schema === 'Sanction' && x.properties.entity.includes(id))).toEqual([]);
  }
  // The listed parties keep their programs, each in one Sanction.
  for (const id of ['ofac-27197', link.from]) {
    const sanctions = lines.filter((x) => x.schema === 'Sanction' && x.properties.entity.includes(id));
    expect([id, sanctions.map((s) => [...s.properties.program].sort())]).toEqual([id, [[...(await programsOf(id))].sort()]]);
    expect([id, lines.find((x) => x.id === id)!.properties.topics]).toEqual([id, ['sanction']]);
  }
  expect((await programsOf('ofac-27197')).length).toBe(3);
});

test("no document has a holder that is not a LegalEntity: every vessel's and aircraft's identifier is a property of its schema or in its notes", async () => {
  const vehicles = await vehicleIds(db);
  expect(vehicles.length).toBeGreaterThan(1000);
  const { g, lines } = await ftmOf(vehicles);
  const byId = new Map(lines.map((e) => [e.id, e]));
  for (const e of lines.filter((x) => x.properties.holder)) {
    for (const h of e.properties.holder) expect([e.id, e.schema, h, LEGAL.includes(byId.get(h)?.schema ?? '')]).toEqual([e.id, e.schema, h, true]);
  }
  // Every identifier the database holds for them is still in the file: in a property or, in words, in the notes.
  let identifiers = 0;
  for (const id of vehicles) {
    const e = byId.get(id)!;
    const values = Object.entries(e.properties).flatMap(([prop, vs]) => (prop === 'notes' ? [vs.join(' ')] : vs));
    for (const i of g.parties.get(id)!.identifiers) {
      identifiers++;
      expect([e.id, i.value, values.some((v) => v === i.value || v.includes(`${i.label ?? i.type}: ${i.value}`))]).toEqual([e.id, i.value, true]);
    }
  }
  expect(identifiers).toBeGreaterThan(1000);
  // The aircraft's Mode S transponder code (type other, which FtM's Airplane has no property for) is in
  // its notes; its serial number in serialNumber (sdn.csv line of ent_num 27197).
  const aircraft = byId.get('ofac-27197')!;
  expect(aircraft.schema).toBe('Airplane');
  expect(aircraft.properties.notes.join('\n')).toContain('Aircraft Mode S Transponder Code: 140AE7');
  expect(aircraft.properties.serialNumber).toEqual(['258512']);
  // A vessel's IMO number registered in Russia: imoNumber, the country in words.
  const vessel = byId.get('ofac-34942')!;
  expect(vessel.properties.imoNumber).toEqual(['9256860']);
  expect(vessel.properties.notes.join('\n')).toContain('9256860 country: Russia');
});

test("Employment's employer is an Organization: a LegalEntity employer is written as one, a person employer makes an UnknownLink", async () => {
  // The fixture's two Employments of the SDN's ABBAS, Abu (ofac-2674): by a placeholder (case-employer,
  // not in any file) and by another listed person (ofac-2675). The FtM import reads an Employment as
  // ASSOCIATE labelled "Employment: <role>".
  const [employee, person] = ['ofac-2674', 'ofac-2675'];
  const { g, lines } = await ftmOf([employee, person, 'case-employer']);
  expect(g.parties.get('case-employer')!.kind).toBe('LegalEntity');
  expect(g.edges.map((e) => [e.type, e.label])).toEqual([
    ['ASSOCIATE', 'Employment: driver'],
    ['ASSOCIATE', 'Employment: driver'],
  ]);
  const byId = new Map(lines.map((e) => [e.id, e]));
  const employments = lines.filter((e) => e.schema === 'Employment');
  expect(employments.map((e) => [e.properties.employee, e.properties.employer, e.properties.role])).toEqual([[[employee], ['case-employer'], cases.get('case-employment-1')!.properties.role]]);
  expect(byId.get('case-employer')!.schema).toBe('Organization');
  const unknown = lines.filter((e) => e.schema === 'UnknownLink');
  expect(unknown.map((e) => [e.properties.subject, e.properties.object])).toEqual([[[employee], [person]]]);
});

test('the file does not depend on the order the relationships come in: each schema is decided from all the links', async () => {
  // case-x-holding (a placeholder) is an asset (Ownership: a Company) of ofac-2677 and a relative
  // (Family: a Person) of ofac-2676 and ofac-2677.
  const ids = ['ofac-2676', 'ofac-2677', 'case-x-holding'];
  const one = await exportOf(ids);
  const other = await exportOf(ids, (edges) => [...edges].reverse());
  expect(one.edges.map((e) => e.type).sort()).toEqual(['FAMILY', 'FAMILY', 'OWNERSHIP']);
  expect(other.edges).toEqual(one.edges);
  const text = ftmLines(one);
  expect(ftmLines(other)).toBe(text);
  // Two Family links against one Ownership: case-x-holding is a Person, the Ownership an UnknownLink.
  const lines = entities(text);
  expect(lines.find((e) => e.id === 'case-x-holding')!.schema).toBe('Person');
  expect(lines.filter((e) => e.schema === 'Family')).toHaveLength(2);
  expect(lines.filter((e) => e.schema === 'UnknownLink').map((e) => e.properties.summary)).toEqual([['OWNERSHIP (FtM Ownership cannot join a Person and a Person)']]);
});

test('two links between the same two people, each with its own source id, are two FtM entities citing their own record', async () => {
  const { g, lines } = await ftmOf(['ofac-2678', 'ofac-2679']);
  expect(g.edges.map((e) => e.sourceId).sort()).toEqual(['case-link-1', 'case-link-2']);
  const ids = lines.map((e) => e.id);
  expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([]);
  const links = lines.filter((e) => e.schema === 'UnknownLink');
  expect(links.map((e) => e.properties.recordId).sort()).toEqual(g.edges.map((e) => [e.record]).sort());
  expect(new Set(links.map((e) => e.properties.recordId[0])).size).toBe(2);
});

test('Sanction: programId only for codes, listingDate without a repeated startDate', async () => {
  // case-listed: one Sanction with a code (programId US-RUSHAR), one naming its program in words only, with
  // the designation date (listingDate).
  const code = cases.get('case-sanction-code')!.properties.programId;
  const [words] = cases.get('case-sanction-words')!.properties.program;
  const [listed] = cases.get('case-sanction-words')!.properties.listingDate;
  const { lines } = await ftmOf(['case-listed']);
  const [sanction, ...more] = lines.filter((e) => e.schema === 'Sanction');
  expect(more).toEqual([]);
  expect([...sanction.properties.program].sort()).toEqual([...code, words].sort());
  expect(sanction.properties.programId).toEqual(code);
  expect(sanction.properties.listingDate).toEqual([listed]);
  expect(sanction.properties.startDate).toBeUndefined();
  expect(lines.find((e) => e.id === 'case-listed')!.properties.programId).toEqual(code);
});

describe('an identifier two datasets state', () => {
  beforeAll(async () => {
    // The 2025-05-16 release restates, among others, LOGAN MOREY (ofac-10278) and his Belize passport.
    const { parsed } = await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_2025], dataset: 'ofac-sdn-2025', release: '2025-05-16' });
    expect(parsed.rejected).toEqual([]);
  }, 300_000);

  test('is one FtM document citing both records', async () => {
    const id = 'ofac-10278';
    const { g, lines } = await ftmOf([id]);
    const statements = g.parties.get(id)!.identifiers;
    const byIdentifier = new Map<string, string[]>();
    for (const i of statements) byIdentifier.set(i.id, [...(byIdentifier.get(i.id) ?? []), i.record!]);
    // Both datasets state at least one identifier (else the case is not shown).
    expect([...new Set(statements.map((i) => i.dataset))].sort()).toEqual(['ofac-sdn', 'ofac-sdn-2025']);
    expect([...byIdentifier.values()].some((records) => records.length === 2)).toBe(true);
    const ids = lines.map((e) => e.id);
    expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([]);
    const documents = lines.filter((e) => e.properties.holder?.includes(id));
    expect(documents.length).toBeGreaterThan(0);
    const expected = [...byIdentifier.values()].map((records) => [...records].sort()).sort();
    // Each document cites every record stating its identifier; documents are the identifiers with one.
    for (const d of documents) expect([d.id, expected.some((r) => JSON.stringify(r) === JSON.stringify([...d.properties.recordId].sort()))]).toEqual([d.id, true]);
    expect(documents.some((d) => d.properties.recordId.length === 2)).toBe(true);
  });
});
