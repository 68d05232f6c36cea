/**
 * Candidate matching after a load reads the listed parties in pages by id (server/core/matching/refresh.ts
 * readMatchParties), not as one result of the whole list: the candidates it stores must be exactly
 * those the former single read gives. The reference is computed here by that former path (one query for
 * every listed party, then findCandidates), right after each load, on the real SDN (2024-05-03), UN
 * (2025-11-18) and OFAC Consolidated (2025-12-19) lists.
 */
import path from 'node:path';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { MATCH_NODE_KEYS, readMatchParties } from '../../server/core/matching/refresh';
import { findCandidates, matchPartyOf, type MatchIdentifier, type MatchParty } from '../../server/core/matching/match';
import { fromNode } from '../../server/core/party-node';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

const SDN = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');
const CONS = path.join(SHARED, 'ofac-cons-csv-2025-12-19');

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.close();
});

/** The former read: every listed party in one query (no load is open here, so nothing is hidden). */
async function allPartiesAtOnce(): Promise<MatchParty[]> {
  const rows = await db.runWrite<{ values: unknown[]; dataset: string; identifiers: MatchIdentifier[] }>(
    `MATCH (p:Party) WHERE NOT p:Placeholder AND size(coalesce(p.datasets, [])) > 0
     RETURN [k IN $keys | p[k]] AS values, p.datasets[0] AS dataset,
            [(p)-[:HAS_IDENTIFIER]->(i:Identifier) | i {.type, .value, .country}] AS identifiers`,
    { keys: MATCH_NODE_KEYS },
  );
  return rows.map((r) => matchPartyOf(fromNode(Object.fromEntries(MATCH_NODE_KEYS.map((k, i) => [k, r.values[i]]))), r.identifiers, r.dataset));
}

const line = (c: { a: string; b: string; score: number; features: unknown }) => JSON.stringify([c.a, c.b, c.score, c.features]);

async function stored(): Promise<string[]> {
  const rows = await db.runWrite<{ a: string; b: string; score: number; features: string }>(
    'MATCH (a:Party)-[m:POSSIBLY_SAME_AS]->(b:Party) RETURN a.id AS a, b.id AS b, m.score AS score, m.features AS features',
  );
  return rows.map((r) => line({ ...r, features: JSON.parse(r.features) })).sort();
}

test('the stored candidates after the SDN, UN and Consolidated loads are those of the single read', async () => {
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN], release: '2024-05-03' });
  // Pages of a few parties read what one query reads, in id order.
  const once = await allPartiesAtOnce();
  const paged = await db.inWriteTransaction(600_000, (run) => readMatchParties(run, 997));
  expect(paged.map((p) => p.id)).toEqual(once.map((p) => p.id).sort());
  expect(paged.length).toBeGreaterThan(997 * 10);
  expect(JSON.stringify([...paged].sort((x, y) => (x.id < y.id ? -1 : 1)))).toBe(JSON.stringify([...once].sort((x, y) => (x.id < y.id ? -1 : 1))));

  const un = await ingest(db, { ...LOAD_DEFAULTS, paths: [UN] });
  const afterUn = findCandidates(await allPartiesAtOnce(), { touchingDatasets: [un.parsed.dataset] });
  expect(afterUn.length).toBeGreaterThan(100);
  expect(un.result.matches).toBe(afterUn.length);
  expect(await stored()).toEqual(afterUn.map(line).sort());

  const cons = await ingest(db, { ...LOAD_DEFAULTS, paths: [CONS], release: '2025-12-19' });
  const touchingCons = findCandidates(await allPartiesAtOnce(), { touchingDatasets: [cons.parsed.dataset] });
  expect(touchingCons.length).toBeGreaterThan(0);
  expect(cons.result.matches).toBe(touchingCons.length);
  // The UN load's candidates that touch no Consolidated party stay as they were stored; those of the
  // Consolidated load are its own.
  const consIds = new Set((await db.runWrite<{ id: string }>('MATCH (p:Party) WHERE $d IN p.datasets RETURN p.id AS id', { d: cons.parsed.dataset })).map((r) => r.id));
  const kept = afterUn.filter((c) => !consIds.has(c.a) && !consIds.has(c.b));
  expect(await stored()).toEqual([...new Set([...kept, ...touchingCons].map(line))].sort());
}, 1_200_000);
