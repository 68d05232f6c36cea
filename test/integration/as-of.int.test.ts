/**
 * Reads as of a date (server/core/as-of.ts) on the real SDN releases of 2024-04-26 and 2024-05-03 (8
 * parties delisted, 305 added, links changed). What the API answered right after loading 2024-04-26 is
 * what it must answer as of 2024-04-30 once 2024-05-03 is loaded; as of 2024-05-03, or with no date, it
 * answers as today. The parties compared are chosen from the raw files and the loads' answers, not
 * written down: the delisted ones, the ends of every link the newer release dropped or added, the added
 * parties, and the first parties of the older file.
 */
import path from 'node:path';
import { Database, visibleIn } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { apiQuery, LOAD_DEFAULTS, rawOfacRows, resetDatabase, SHARED, testDatabase } from '../helpers';

const SDN_2021 = path.join(SHARED, 'ofac-sdn-csv-2021-07-07');
const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.close();
});


interface Rel {
  from: string;
  to: string;
  type: string;
  label: string;
  placeholder: boolean;
}
const relKey = (l: Pick<Rel, 'from' | 'to' | 'type' | 'label'>) => JSON.stringify([l.from, l.type, l.to, l.label]);

/**
 * The relationships from parties (links to parties, addresses, identifiers, programs) a reader starting
 * now sees, read directly (not through the as-of reads under test).
 */
async function visibleRels(): Promise<Rel[]> {
  const snap = await db.snapshot();
  return db.runWrite<Rel & Record<string, unknown>>(
    `MATCH (a:Party)-[r]->(b) WHERE r.dataset = 'ofac-sdn' AND ${visibleIn('r')} AND ${visibleIn('a')} AND ${visibleIn('b')}
     RETURN a.id AS from, b.id AS to, type(r) AS type, r.label AS label, b:Placeholder AS placeholder`,
    { ...snap },
  );
}

const ENTITY = `query ($id: ID!, $asOf: String) { entity(id: $id, asOf: $asOf) {
  id delistedOn datasets degree addresses { id full } identifiers { id type value } } }`;
const NEIGHBORHOOD = `query ($ids: [ID!]!, $asOf: String) { neighborhood(ids: $ids, depth: 1, limit: 1000, asOf: $asOf) {
  truncated nodes { id kind degree placeholder delistedOn listedOn } edges { source target type label dataset } } }`;
const PATHS = `query ($from: ID!, $to: ID!, $asOf: String) { paths(from: $from, to: $to, maxHops: 3, mode: K_SHORTEST, limit: 20, asOf: $asOf) {
  length nodes { id } edges { source target type label } } }`;

type EntityAnswer = { id: string; delistedOn: string | null; datasets: string[]; degree: number; addresses: { id: string }[]; identifiers: { id: string }[] } | null;
type Sub = { truncated: boolean; nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
type PathAnswer = { length: number; nodes: { id: string }[]; edges: { source: string; target: string; type: string; label: string }[] }[];

/** Order-free forms of the answers (lists in the API's order are sorted). */
const sortedBy = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
const entityForm = (e: EntityAnswer) =>
  e && { ...e, addresses: sortedBy(e.addresses), identifiers: sortedBy(e.identifiers), datasets: [...e.datasets].sort() };
const subForm = (s: Sub) => ({ truncated: s.truncated, nodes: sortedBy(s.nodes), edges: sortedBy(s.edges) });
const edgeKey = (e: PathAnswer[number]['edges'][number]) => relKey({ from: e.source, to: e.target, type: e.type, label: e.label });
const pathsForm = (ps: PathAnswer) => sortedBy(ps.map((p) => ({ nodes: p.nodes.map((n) => n.id), edges: p.edges.map(edgeKey) })));

const entity = async (id: string, asOf?: string) => entityForm((await apiQuery<{ entity: EntityAnswer }>(db, ENTITY, { id, asOf })).entity);
const neighborhood = async (ids: string[], asOf?: string) => subForm((await apiQuery<{ neighborhood: Sub }>(db, NEIGHBORHOOD, { ids, asOf })).neighborhood);
const paths = async (from: string, to: string, asOf?: string) => (await apiQuery<{ paths: PathAnswer }>(db, PATHS, { from, to, asOf })).paths;

/** What the API answers of these parties: each one's entity and its neighbourhood (depth 1). */
async function answers(ids: string[], asOf?: string) {
  const entities: Record<string, Awaited<ReturnType<typeof entity>>> = {};
  const hoods: Record<string, ReturnType<typeof subForm>> = {};
  for (const id of ids) {
    entities[id] = await entity(id, asOf);
    if (entities[id]) hoods[id] = await neighborhood([id], asOf);
  }
  return { entities, hoods };
}

test('as of a date the API answers as it did right after loading the release of then; as of 2024-05-03, a later date or none as today; a failed load changes neither', async () => {
  const ofIds = (file: string) => rawOfacRows(file).map((r) => `ofac-${r[0]}`);
  const in2021 = ofIds(path.join(SDN_2021, 'sdn.csv'));
  const older = ofIds(SDN_0426);
  const olderSet = new Set(older);
  const newer = new Set(ofIds(SDN_0503));
  const delisted = older.filter((id) => !newer.has(id));
  const added = [...newer].filter((id) => !olderSet.has(id));
  expect(delisted).toHaveLength(8); // the data's README: 8 removed against 2024-04-26

  // 2021-07-07, the four files: its addresses (add.csv) are gone from the 2024 releases (sdn.csv only),
  // and 881 of its parties (9.8%) delisted by 2024-04-26.
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_2021], release: '2021-07-07' });
  const rels2021 = await visibleRels();
  // Parties listed throughout with addresses in 2021, none of whose links then ended at a placeholder
  // (a placeholder replaced by its party later goes with its history: README "As of a date", limits).
  const withPlaceholder = new Set(rels2021.filter((l) => l.placeholder).map((l) => l.from));
  const addressed = [...new Set(rels2021.filter((l) => l.type === 'HAS_ADDRESS').map((l) => l.from))].filter(
    (id) => newer.has(id) && olderSet.has(id) && !withPlaceholder.has(id),
  );
  const gone2021 = in2021.filter((id) => !olderSet.has(id) && !withPlaceholder.has(id)).slice(0, 5);
  expect(addressed.length).toBeGreaterThan(20);
  const sample2021 = [...addressed.slice(0, 20), ...gone2021];
  const at2021 = await answers(sample2021);

  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426], release: '2024-04-26' });
  const rels0426 = await visibleRels();
  const sample0426 = [...delisted, ...older.slice(0, 25), ...added.slice(0, 10)];
  const at0426 = await answers(sample0426);

  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
  // The load purged what it replaced: today's reads are unfiltered again, and leave the history out.
  expect(await db.snapshot()).toMatchObject({ clean: true, history: true });
  const rels0503 = await visibleRels();
  const dropped = (from: Rel[], to: Rel[]) => {
    const kept = new Set(to.map(relKey));
    return from.filter((l) => !kept.has(relKey(l)));
  };
  // What each release took away is history (PAST_<type>); what a release stated again unchanged is
  // one relationship, not one per load: the history is exactly what was dropped.
  const [{ past }] = await db.runWrite<{ past: number }>("MATCH ()-[r]->() WHERE type(r) STARTS WITH 'PAST_' AND r.dataset = 'ofac-sdn' RETURN count(r) AS past");
  const dropped2021 = dropped(rels2021, rels0426);
  expect(dropped2021.length).toBeGreaterThan(0);
  // (2024-05-03 took away no relationship of 2024-04-26: the 8 parties it delists keep theirs)
  expect(past).toBe(dropped2021.length + dropped(rels0426, rels0503).length);

  // As of a date within each release: the answers of then.
  expect(await answers(sample2021, '2022-01-01')).toEqual(at2021);
  expect(await answers(sample0426, '2024-04-30')).toEqual(at0426);
  // As of the last release, a later date or none: today.
  const today = await answers(sample0426);
  expect(await answers(sample0426, '2024-05-03')).toEqual(today);
  expect(await answers(sample0426, '2999-01-01')).toEqual(today);
  // The 8 delistings: listed as of 2024-04-30, delisted today; the added parties unknown then.
  for (const id of delisted) {
    expect([id, at0426.entities[id]?.delistedOn, today.entities[id]?.delistedOn]).toEqual([id, null, '2024-05-03']);
    expect(today.entities[id]?.datasets).toEqual([]);
    expect(at0426.entities[id]?.datasets).toEqual(['ofac-sdn']);
  }
  for (const id of added.slice(0, 10)) expect([id, at0426.entities[id], today.entities[id] !== null]).toEqual([id, null, true]);
  // What a release took away differs between the dates (else the comparisons above prove little).
  expect(await answers(sample2021, '2024-04-30')).not.toEqual(at2021);

  // An address two parties shared in 2021 joins them as of 2022-01-01 only.
  const sharedAddress = dropped2021
    .filter((l) => l.type === 'HAS_ADDRESS' && newer.has(l.from))
    .flatMap((l) => dropped2021.filter((o) => o.type === 'HAS_ADDRESS' && o.to === l.to && o.from > l.from && newer.has(o.from)).map((o) => ({ a: l.from, b: o.from, address: l.to })));
  expect(sharedAddress.length).toBeGreaterThan(0);
  const { a, b, address } = sharedAddress[0];
  const via = (ps: PathAnswer) => ps.filter((p) => p.nodes.some((n) => n.id === address));
  expect(via(await paths(a, b, '2022-01-01')).length).toBeGreaterThan(0);
  expect(via(await paths(a, b, '2024-04-30'))).toEqual([]);
  expect(via(await paths(a, b))).toEqual([]);
  expect(pathsForm(await paths(a, b, '2024-05-03'))).toEqual(pathsForm(await paths(a, b)));

  // A load that fails half-way is rolled back: as of either date, and today, nothing changed.
  const probe = [delisted[0], ...addressed.slice(0, 2)];
  const views = async () => [await answers(probe, '2022-01-01'), await answers(probe, '2024-04-30'), await answers(probe)];
  const beforeFailed = await views();
  let batches = 0;
  await expect(
    ingest(db, {
      ...LOAD_DEFAULTS,
      batchSize: 2000,
      paths: [SDN_0426],
      release: '2024-05-10',
      onWrite: () => {
        if (++batches === 3) throw new Error('stopped by the test');
      },
    }),
  ).rejects.toThrow('stopped by the test');
  expect(await views()).toEqual(beforeFailed);
}, 1_500_000); // three loads of the SDN list and a failed one, on a shared machine

test('asOf is checked: a date that does not exist or is written otherwise, and a date before the first loaded release, are refused naming the field', async () => {
  await expect(entity('ofac-38556', '2024-02-30')).rejects.toThrow(/BAD_USER_INPUT: asOf must be a date written YYYY-MM-DD/);
  await expect(neighborhood(['ofac-38556'], '30.04.2024')).rejects.toThrow(/BAD_USER_INPUT: asOf must be a date/);
  await expect(paths('ofac-38556', 'ofac-38279', '2020-01-01')).rejects.toThrow(/BAD_USER_INPUT: asOf 2020-01-01 is before the first loaded release \(ofac-sdn 2021-07-07\): nothing was loaded as of then/);
});
