/**
 * Saved investigations on real data: a canvas saved on the SDN list of 2024-04-26 and reopened after
 * 2024-05-03 is loaded says what changed around it, and nothing else; saving needs the reviewer role;
 * a load never touches a saved investigation.
 *
 * The canvas: EMPEROR AVIATION LTD (38556) and one of its aircraft (38557), both delisted on 2024-05-03;
 * KERIMOVA (38279), still listed, whom EMPEROR AVIATION's record links to; MOUKALLED, Hassan Ahmed (40536),
 * still listed, whom parties designated on 2024-05-03 state "Linked To:". What is expected is computed
 * from the raw files (who is delisted, who is new and says "Linked To: MOUKALLED"), from the `changes`
 * query (which parties' fields changed between the two releases) and from the links a reader sees around
 * the canvas before and after the load (plain Cypher, not the code under test).
 */
import http from 'node:http';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, AppState } from '../../server/api/app';
import { sha256Hex } from '../../server/api/auth';
import { createGraphQLServer } from '../../server/api/graphql';
import { INVESTIGATION_LIMITS } from '../../server/core/investigations';
import { FACT_REL_TYPES, LINK_TYPES } from '../../server/core/model';
import { Database, visibleIn } from '../../server/core/neo4j/database';
import { accessSettings } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { apiQuery, LOAD_DEFAULTS, rawOfacRows, resetDatabase, SHARED, testDatabase } from '../helpers';

const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');

const KEYS = { viewer: 'inv-test-viewer-key-0123456789abcdef', reviewer: 'inv-test-reviewer-key-0123456789abcdef' };

let db: Database;
let server: http.Server;
let base: string;
let tmp: string;
const graphql = createGraphQLServer();

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await graphql.start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'investigations-'));
  const apiKeys = JSON.stringify([
    { owner: 'vera viewer', role: 'viewer', sha256: sha256Hex(KEYS.viewer) },
    { owner: 'rita reviewer', role: 'reviewer', sha256: sha256Hex(KEYS.reviewer) },
  ]);
  const state: AppState = { notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null } };
  server = http.createServer(createApp(state, graphql, accessSettings({ AUDIT_DIR: path.join(tmp, 'audit'), API_KEYS_FILE: '', API_KEYS: apiKeys })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await graphql.stop();
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Gql {
  status: number;
  data?: Record<string, any>;
  errors?: { message: string; extensions: { code: string } }[];
}

async function gql(query: string, variables: Record<string, unknown>, key?: string): Promise<Gql> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as Omit<Gql, 'status'>) };
}

const SAVE = `mutation Save($input: InvestigationInput!) {
  saveInvestigation(input: $input) { id name owner nodeIds releases { dataset release } positions { id x y } notes { node edge text } }
}`;
const OPEN = `query Open($id: ID!) {
  investigation(id: $id) {
    id name owner createdAt updatedAt nodeIds positions { id x y } notes { node edge text } releases { dataset release }
    canvas { nodes { id delistedOn } edges { source target type label } }
    changes {
      since { dataset release } now { dataset release }
      added { id name fields reason } removed { id name fields reason } modified { id name fields reason }
      linksAdded { key source target type label } linksRemoved { key source target type label }
      summary
    }
  }
}`;

/** Links a reader sees now around these nodes (links between parties with an end among them; facts with both ends), as keys. */
async function linksAround(ids: string[]): Promise<string[]> {
  const snap = await db.snapshot();
  const rows = await db.runWrite<{ k: string }>(
    `MATCH (a)-[r]->(b)
     WHERE ${visibleIn('r')} AND ${visibleIn('a')} AND ${visibleIn('b')} AND (
       (type(r) IN $linkTypes AND a:Party AND b:Party AND (a.id IN $ids OR b.id IN $ids)) OR
       (type(r) IN $factTypes AND a.id IN $ids AND b.id IN $ids))
     RETURN DISTINCT a.id + '|' + type(r) + '|' + b.id + '|' + coalesce(r.label, '') AS k`,
    { ...snap, ids, linkTypes: LINK_TYPES, factTypes: FACT_REL_TYPES },
  );
  return rows.map((r) => r.k).sort();
}

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

test('an investigation saved on 2024-04-26 and reopened after 2024-05-03 is loaded lists exactly what changed around it; the load leaves it as it was', async () => {
  const older = new Map(rawOfacRows(SDN_0426).map((r) => [`ofac-${r[0]}`, r]));
  const newer = new Map(rawOfacRows(SDN_0503).map((r) => [`ofac-${r[0]}`, r]));
  const delisted = [...older.keys()].filter((id) => !newer.has(id));
  expect(delisted).toContain('ofac-38556');
  expect(delisted).toContain('ofac-38557');
  // New on 2024-05-03 and "Linked To: MOUKALLED, Hassan Ahmed." in their own record (the raw file says so).
  expect(older.get('ofac-40536')?.[1]).toBe('MOUKALLED, Hassan Ahmed');
  const linkedToMoukalled = [...newer.entries()].filter(([id, r]) => !older.has(id) && (r[11] ?? '').includes('Linked To: MOUKALLED, Hassan Ahmed.')).map(([id]) => id);
  expect(linkedToMoukalled.length).toBeGreaterThan(0);

  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426], release: '2024-04-26' });
  const canvas = ['ofac-38556', 'ofac-38557', 'ofac-38279', 'ofac-40536'];
  const before = await linksAround(canvas);
  // A link on the canvas to put a note on: EMPEROR AVIATION's link to KERIMOVA.
  const edgeKey = before.find((k) => k.startsWith('ofac-38556|') && k.includes('|ofac-38279|'))!;
  expect(edgeKey).toBeDefined();
  const input = {
    name: 'Emperor Aviation and Moukalled',
    nodeIds: canvas,
    positions: canvas.map((id, i) => ({ id, x: 100 * i, y: 50.5 * i - 20 })),
    notes: [
      { node: 'ofac-38556', text: 'Owner of the aircraft; check who flies them now.' },
      { edge: edgeKey, text: 'Stated by EMPEROR AVIATION only.' },
    ],
  };

  // Writing needs the reviewer role: none (401), a viewer's key (403), then a reviewer's.
  const anonymous = await gql(SAVE, { input });
  expect(anonymous.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  expect(anonymous.status).toBe(401);
  const viewer = await gql(SAVE, { input }, KEYS.viewer);
  expect(viewer.errors?.[0].extensions.code).toBe('FORBIDDEN');
  expect(viewer.status).toBe(403);
  expect((await gql('{ investigations { id } }', {}, KEYS.viewer)).data?.investigations).toEqual([]);
  const saved = await gql(SAVE, { input }, KEYS.reviewer);
  expect(saved.errors).toBeUndefined();
  const inv = saved.data!.saveInvestigation;
  expect(inv).toMatchObject({ name: input.name, owner: 'rita reviewer', nodeIds: canvas, releases: [{ dataset: 'ofac-sdn', release: '2024-04-26' }] });
  expect(inv.positions).toEqual(input.positions);
  expect(inv.notes).toEqual([
    { node: 'ofac-38556', edge: null, text: input.notes[0].text },
    { node: null, edge: edgeKey, text: input.notes[1].text },
  ]);
  const deleteAsViewer = await gql('mutation($id: ID!) { deleteInvestigation(id: $id) }', { id: inv.id }, KEYS.viewer);
  expect(deleteAsViewer.errors?.[0].extensions.code).toBe('FORBIDDEN');

  // Reopened on the same release: nothing changed; readers (a viewer) may open it.
  const same = (await gql(OPEN, { id: inv.id }, KEYS.viewer)).data!.investigation;
  expect(same.changes).toMatchObject({ added: [], removed: [], modified: [], linksAdded: [], linksRemoved: [] });
  expect(same.changes.summary).toContain('Nothing changed around the canvas.');
  expect(ids(same.canvas.nodes)).toEqual([...canvas].sort());
  const stored = await db.runWrite('MATCH (i:Investigation) RETURN i {.*} AS i');

  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });

  // The load did not touch it: the same node, property for property.
  expect(await db.runWrite('MATCH (i:Investigation) RETURN i {.*} AS i')).toEqual(stored);
  expect(await db.runWrite('MATCH (i:Investigation)--() RETURN count(*) AS n')).toEqual([{ n: 0 }]);

  const after = await linksAround(canvas);
  const reopened = (await gql(OPEN, { id: inv.id }, KEYS.viewer)).data!.investigation;
  expect(reopened).toMatchObject({ name: input.name, nodeIds: canvas, positions: input.positions, notes: same.notes, updatedAt: same.updatedAt });
  const changes = reopened.changes;
  expect(changes.since).toEqual([{ dataset: 'ofac-sdn', release: '2024-04-26' }]);
  expect(changes.now).toEqual([{ dataset: 'ofac-sdn', release: '2024-05-03' }]);

  // Removed: the canvas's parties the newer file no longer has.
  expect(ids(changes.removed)).toEqual(canvas.filter((id) => delisted.includes(id)).sort());
  for (const r of changes.removed) expect(r.reason).toBe('delisted from ofac-sdn in 2024-05-03');
  // Modified: the canvas's parties whose fields changed between the releases, as `changes` says, with the same fields.
  const { changes: all } = await apiQuery<{ changes: { modified: { id: string; fields: string[] }[] } }>(
    db,
    `{ changes(dataset: "ofac-sdn", from: "2024-04-26", to: "2024-05-03") { modified(first: 1000) { id fields } } }`,
  );
  const expectedModified = all.modified.filter((m) => canvas.includes(m.id));
  expect(expectedModified.map((m) => m.id)).toContain('ofac-40536');
  expect(changes.modified.map((m: { id: string; fields: string[] }) => ({ id: m.id, fields: m.fields }))).toEqual(expectedModified);
  // Links: what a reader sees around the canvas now against what it saw at the save.
  expect(changes.linksAdded.map((l: { key: string }) => l.key).sort()).toEqual(after.filter((k) => !before.includes(k)));
  expect(changes.linksRemoved.map((l: { key: string }) => l.key).sort()).toEqual(before.filter((k) => !after.includes(k)));
  // Added: the new parties at the far end of those links; the raw file's "Linked To: MOUKALLED" among them.
  const far = after.filter((k) => !before.includes(k)).flatMap((k) => [k.split('|')[0], k.split('|')[2]]);
  expect(ids(changes.added)).toEqual([...new Set(far.filter((id) => !canvas.includes(id) && !older.has(id)))].sort());
  expect(ids(changes.added)).toEqual(expect.arrayContaining(linkedToMoukalled));
  // In words: one line per change, naming each party.
  for (const p of [...changes.added, ...changes.removed, ...changes.modified]) expect(changes.summary.join('\n')).toContain(`${p.name} (${p.id})`);
  expect(changes.summary.length).toBe(1 + changes.added.length + changes.removed.length + changes.modified.length + changes.linksAdded.length + changes.linksRemoved.length);
  // The canvas still holds the delisted parties, marked so.
  expect(reopened.canvas.nodes.find((n: { id: string }) => n.id === 'ofac-38556').delistedOn).toBe('2024-05-03');

  // Saving again makes the releases of now its baseline: then nothing has changed.
  const resaved = await gql(SAVE, { input: { ...input, id: inv.id } }, KEYS.reviewer);
  expect(resaved.data!.saveInvestigation.releases).toEqual([{ dataset: 'ofac-sdn', release: '2024-05-03' }]);
  const again = (await gql(OPEN, { id: inv.id }, KEYS.viewer)).data!.investigation;
  expect(again.changes).toMatchObject({ added: [], removed: [], modified: [], linksAdded: [], linksRemoved: [] });
  expect(again.createdAt).toBe(same.createdAt);

  // Listed, then deleted by a reviewer.
  expect((await gql('{ investigations { id name } }', {}, KEYS.viewer)).data!.investigations).toEqual([{ id: inv.id, name: input.name }]);
  expect((await gql('mutation($id: ID!) { deleteInvestigation(id: $id) }', { id: inv.id }, KEYS.reviewer)).data).toEqual({ deleteInvestigation: true });
  expect((await gql(OPEN, { id: inv.id }, KEYS.viewer)).data).toEqual({ investigation: null });
}, 900_000); // two loads of the SDN list on a shared machine

test('bounds: name, nodes, notes and positions are checked, each refused with BAD_USER_INPUT saying what', async () => {
  const L = INVESTIGATION_LIMITS;
  const ok = { name: 'x', nodeIds: ['ofac-38556'] };
  const refused = async (input: Record<string, unknown>, message: RegExp) => {
    const r = await gql(SAVE, { input }, KEYS.reviewer);
    expect(r.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(message);
  };
  await refused({ ...ok, name: 'n'.repeat(L.nameLength + 1) }, new RegExp(`name must be at most ${L.nameLength} characters`));
  await refused({ ...ok, name: '  ' }, /name must not be empty/);
  await refused({ ...ok, nodeIds: [] }, /at least one node/);
  await refused({ ...ok, nodeIds: Array.from({ length: L.nodes + 1 }, (_, i) => `ofac-${i}`) }, new RegExp(`at most ${L.nodes} nodes; this one has ${L.nodes + 1}`));
  await refused({ ...ok, notes: [{ node: 'ofac-38556', text: 'y'.repeat(L.noteLength + 1) }] }, new RegExp(`notes\\[0\\]: text must be at most ${L.noteLength}`));
  await refused({ ...ok, notes: [{ node: 'ofac-1', text: 'y' }] }, /notes\[0\]: node ofac-1 is not among nodeIds/);
  await refused({ ...ok, notes: [{ text: 'y' }] }, /either node .* or edge/);
  await refused({ ...ok, positions: [{ id: 'ofac-38556', x: 1e9, y: 0 }] }, /positions\[0\].*within/);
  await refused({ ...ok, id: 'inv-none' }, /no saved investigation "inv-none"/);
});
