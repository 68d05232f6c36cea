/**
 * Cross-list candidate matches over the real OFAC SDN (2024-05-03) and UN (2025-11-18) lists: computed
 * in each load, visible in the API (Entity.possibleMatches, neighbourhoods, paths), reviewable with the
 * API key, and the review survives reloads. The scoring itself is tested in test/unit/matching.test.ts.
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, AppState } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

const KEY = 'test-review-key-0123456789';
const SDN = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');

let db: Database;
let server: http.Server;
let url: string;
const state: AppState = { notReady: null, db: null, neo4j: { uri: 'test', embedded: false, version: null }, reviewApiKey: KEY };
const graphql = createGraphQLServer();
let unMatches = 0;

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  const first = await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN], release: '2024-05-03' });
  expect(first.result.matches).toBe(0); // nothing to compare with yet
  unMatches = (await ingest(db, { ...LOAD_DEFAULTS, paths: [UN] })).result.matches;
  state.db = db;
  await graphql.start();
  server = http.createServer(createApp(state, graphql));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await graphql.stop();
  await db.close();
});

async function gql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, any>; errors?: { message: string; extensions: { code: string } }[] } };
}

const MATCHES = `query($id: ID!) { entity(id: $id) { name possibleMatches { id name datasets score features { label value } decision decidedBy note } } }`;
const REVIEW = `mutation($a: ID!, $b: ID!, $d: MatchDecision, $note: String) { reviewMatch(a: $a, b: $b, decision: $d, note: $note, reviewer: "analyst-1") { id score decision decidedBy note } }`;

describe('candidate matches between the UN and OFAC lists', () => {
  test('the UN load stores candidates; none pairs two parties of one list', async () => {
    expect(unMatches).toBeGreaterThan(100);
    const [{ same, total }] = await db.runWrite<{ same: number; total: number }>(
      'MATCH (a:Party)-[m:POSSIBLY_SAME_AS]->(b:Party) RETURN count(m) AS total, count(CASE WHEN any(d IN a.datasets WHERE d IN b.datasets) THEN 1 END) AS same',
    );
    expect(total).toBe(unMatches);
    expect(same).toBe(0);
  });

  test('DPRK entities listed by both pair up, with the evidence an investigator can read', async () => {
    // Pairs found by hand in the two files (see test/unit/matching.test.ts for how).
    for (const [un, ofac] of [
      ['un-KPe.001', 'ofac-9345'], // KOREA MINING DEVELOPMENT TRADING CORPORATION (KOMID)
      ['un-KPe.002', 'ofac-9347'], // KOREA RYONBONG GENERAL CORPORATION
      ['un-KPe.004', 'ofac-11532'], // NAMCHONGANG TRADING CORPORATION
      ['un-KPi.006', 'ofac-15667'], // a shared passport and birth date
    ]) {
      const e = (await gql(MATCHES, { id: un })).body.data!.entity;
      const m = e.possibleMatches.find((x: { id: string }) => x.id === ofac);
      expect([un, m?.id]).toEqual([un, ofac]);
      expect(m.score).toBeGreaterThanOrEqual(0.7);
      expect(m.score).toBeLessThanOrEqual(1);
      expect(m.datasets).toEqual(['ofac-sdn']);
      expect(m.features.find((f: { label: string }) => f.label === 'Names')).toBeDefined();
    }
    const passport = (await gql(MATCHES, { id: 'un-KPi.006' })).body.data!.entity.possibleMatches.find((x: { id: string }) => x.id === 'ofac-15667');
    expect(passport.features).toContainEqual({ label: 'Shared identifier', value: expect.stringMatching(/^passport: /) });
    expect(passport.score).toBeGreaterThanOrEqual(0.9);
  });

  test('candidates are their own relationship type in neighbourhoods and paths', async () => {
    const n = await gql(`{ neighborhood(ids: ["un-KPe.001"], relationTypes: [POSSIBLY_SAME_AS]) { nodes { id } edges { type source target label } } }`);
    const edges = n.body.data!.neighborhood.edges;
    expect(edges).toContainEqual(expect.objectContaining({ type: 'POSSIBLY_SAME_AS', label: expect.stringMatching(/^possibly the same \(0\.\d\d\)$/) }));
    expect(n.body.data!.neighborhood.nodes.map((x: { id: string }) => x.id)).toContain('ofac-9345');
    // From the UN entry into the OFAC network: through the candidate, then OFAC's own links.
    const p = await gql(`{ paths(from: "un-KPe.001", to: "ofac-9345", mode: SHORTEST, relationTypes: [POSSIBLY_SAME_AS]) { length edges { type } } }`);
    expect(p.body.data!.paths[0]).toEqual({ length: 1, edges: [{ type: 'POSSIBLY_SAME_AS' }] });
  });

  test('reviewing needs the API key', async () => {
    const none = await gql(REVIEW, { a: 'un-KPe.001', b: 'ofac-9345', d: 'CONFIRMED' });
    expect(none.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    expect(none.status).toBe(401);
    const wrong = await gql(REVIEW, { a: 'un-KPe.001', b: 'ofac-9345', d: 'CONFIRMED' }, { 'x-api-key': 'not-the-key-at-all' });
    expect(wrong.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    state.reviewApiKey = null;
    try {
      const off = await gql(REVIEW, { a: 'un-KPe.001', b: 'ofac-9345', d: 'CONFIRMED' }, { 'x-api-key': KEY });
      expect(off.body.errors![0].message).toMatch(/switched off.*REVIEW_API_KEY/);
    } finally {
      state.reviewApiKey = KEY;
    }
    const [{ decided }] = await db.runWrite<{ decided: number }>('MATCH ()-[m:POSSIBLY_SAME_AS]->() WHERE m.decision IS NOT NULL RETURN count(m) AS decided');
    expect(decided).toBe(0);
  });

  test('a decision is stored, survives reloading both lists, and can be withdrawn', async () => {
    // Given in either order of the pair.
    const ok = await gql(REVIEW, { a: 'ofac-9345', b: 'un-KPe.001', d: 'CONFIRMED', note: 'same KOMID' }, { 'x-api-key': KEY });
    expect(ok.body.data!.reviewMatch).toEqual({ id: 'un-KPe.001', score: expect.any(Number), decision: 'CONFIRMED', decidedBy: 'review key', note: 'same KOMID' });
    const rejected = await gql(REVIEW, { a: 'un-KPe.002', b: 'ofac-9347', d: 'REJECTED' }, { 'x-api-key': KEY });
    expect(rejected.body.data!.reviewMatch.decision).toBe('REJECTED');

    await ingest(db, { ...LOAD_DEFAULTS, paths: [UN] });
    await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN], release: '2024-05-03' });
    const after = (await gql(MATCHES, { id: 'un-KPe.001' })).body.data!.entity.possibleMatches.find((x: { id: string }) => x.id === 'ofac-9345');
    expect(after).toMatchObject({ decision: 'CONFIRMED', decidedBy: 'review key', note: 'same KOMID' });
    const stillRejected = (await gql(MATCHES, { id: 'ofac-9347' })).body.data!.entity.possibleMatches.find((x: { id: string }) => x.id === 'un-KPe.002');
    expect(stillRejected.decision).toBe('REJECTED');
    // One relationship per pair, also after the reloads.
    const [{ n }] = await db.runWrite<{ n: number }>("MATCH (:Party {id: 'ofac-9345'})-[m:POSSIBLY_SAME_AS]-(:Party {id: 'un-KPe.001'}) RETURN count(m) AS n");
    expect(n).toBe(1);

    const withdrawn = await gql(REVIEW, { a: 'un-KPe.001', b: 'ofac-9345', d: null }, { 'x-api-key': KEY });
    expect(withdrawn.body.data!.reviewMatch.decision).toBeNull();
  });

  test('reviewing a pair that is no candidate says so', async () => {
    const r = await gql(REVIEW, { a: 'un-KPe.001', b: 'ofac-43379', d: 'CONFIRMED' }, { 'x-api-key': KEY });
    expect(r.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/not a candidate match/) });
  });
});
