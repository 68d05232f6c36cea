/**
 * Watch and alert (issue 14 item 5) on real data: the SDN release of 2024-04-26 is loaded, a party two
 * hops from one of the 8 parties the 2024-05-03 release delists is watched (found from the data: the
 * delisted ids from the raw files, the hops from the loaded graph), and so is a party with nothing
 * around it; loading 2024-05-03 records an alert that names the delisting for the first and none for
 * the second, and an alert naming a newly designated party for a watch on the party its record is
 * "Linked To"; POSTs them to a webhook (a local server that fails once: retried, signed), and leaves
 * the watches as they were. Watching needs the reviewer role.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, AppState } from '../../server/api/app';
import { sha256Hex } from '../../server/api/auth';
import { createGraphQLServer } from '../../server/api/graphql';
import { recordAlerts, SIGNATURE_HEADER, webhookSettings } from '../../server/core/alerts';
import { LINK_TYPES } from '../../server/core/model';
import { Database } from '../../server/core/neo4j/database';
import { accessSettings } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, rawOfacRows, resetDatabase, SHARED, testDatabase } from '../helpers';

const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const KEYS = { viewer: 'alerts-test-viewer-key-0123456789abcdef', reviewer: 'alerts-test-reviewer-key-0123456789abcdef' };
const SECRET = 'alerts-test-webhook-secret';

let db: Database;
let server: http.Server;
let base: string;
let tmp: string;
const graphql = createGraphQLServer();

/** The webhook: answers 500 to the first `failFirst` requests, then 200; keeps what it received. */
interface Received {
  body: string;
  signature: string | undefined;
}
function webhook(failFirst: number): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ body, signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined });
      res.statusCode = received.length <= failFirst ? 500 : 200;
      res.end();
    });
  });
  return new Promise((resolve) =>
    hook.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
        received,
        close: () => new Promise<void>((r) => hook.close(() => r())),
      }),
    ),
  );
}

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await graphql.start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-'));
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
  for (const k of ['ALERT_WEBHOOK_URL', 'ALERT_WEBHOOK_SECRET', 'ALERT_WEBHOOK_BACKOFF_MS']) delete process.env[k];
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await graphql.stop();
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Gql {
  data?: Record<string, any>;
  errors?: { message: string; extensions: { code: string } }[];
}
async function gql(query: string, variables: Record<string, unknown>, key?: string): Promise<Gql> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Gql;
}

const WATCH = `mutation W($id: ID!, $radius: Int) { watch(id: $id, radius: $radius) { id name radius createdAt createdBy } }`;
const WATCHES = `{ watches { id name radius createdAt createdBy updatedAt } }`;
const ALERTS = `query A($first: Int, $after: String) {
  alerts(first: $first, after: $after) {
    total hasMore endCursor
    alerts { id kind watchId load dataset release partyId partyName otherId linkType message delivered deliveryError radiusCut }
  }
}`;

/** Parties within `hops` hops of `id` through links between parties and shared addresses and identifiers, by the test's own walk. */
async function partiesWithin(id: string, hops: number): Promise<Set<string>> {
  const rows = await db.runWrite<{ id: string }>(
    `MATCH (w:Party {id: $id})
     MATCH p = (w)-[*0..${hops}]-(n:Party)
     WHERE all(r IN relationships(p) WHERE type(r) IN $types OR type(r) STARTS WITH 'PAST_' AND type(r) <> 'PAST_SANCTION')
     RETURN DISTINCT n.id AS id`,
    { id, types: [...LINK_TYPES, 'HAS_ADDRESS', 'HAS_IDENTIFIER'] },
  );
  return new Set(rows.map((r) => r.id));
}

test('a watch two hops from a party the next release delists gets an alert naming it, delivered signed to the webhook after one retry; a watch with nothing around it gets none; loads leave watches alone', async () => {
  const older = new Map(rawOfacRows(SDN_0426).map((r) => [`ofac-${r[0]}`, r]));
  const newer = new Map(rawOfacRows(SDN_0503).map((r) => [`ofac-${r[0]}`, r]));
  const delisted = [...older.keys()].filter((id) => !newer.has(id)).sort();
  expect(delisted).toHaveLength(8); // the data's README: 8 removed against 2024-04-26

  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426], release: '2024-04-26' });

  // A party exactly two link hops from a delisted one, still listed in both releases.
  const [near] = await db.runWrite<{ watched: string; delisted: string }>(
    `MATCH (d:Party)-[r1]-(m:Party)-[r2]-(n:Party)
     WHERE d.id IN $delisted AND type(r1) IN $types AND type(r2) IN $types AND n <> d AND n.id IN $listed
       AND NOT EXISTS { MATCH (d)-[r]-(n) WHERE type(r) IN $types }
     RETURN n.id AS watched, d.id AS delisted ORDER BY n.id, d.id LIMIT 1`,
    { delisted, types: LINK_TYPES, listed: [...newer.keys()].filter((id) => older.has(id)) },
  );
  expect(near).toBeDefined();
  // A party with nothing around it: no relationship but its programs, its record the same in both releases.
  const [far] = await db.runWrite<{ id: string }>(
    `MATCH (p:Party)
     WHERE p.id IN $same AND NOT EXISTS { MATCH (p)-[r]-() WHERE type(r) <> 'SANCTION' }
     RETURN p.id AS id ORDER BY p.id LIMIT 1`,
    { same: [...older.keys()].filter((id) => newer.has(id) && JSON.stringify(older.get(id)) === JSON.stringify(newer.get(id))) },
  );
  expect(far).toBeDefined();
  // A party a newly designated one is linked to: the first party of 2024-05-03 absent from 2024-04-26
  // whose remarks say "Linked To: <name>" of a party listed in both (from the raw files).
  const byName = new Map([...older.values()].filter((r) => newer.has(`ofac-${r[0]}`)).map((r) => [r[1], `ofac-${r[0]}`]));
  const added = [...newer.keys()].filter((id) => !older.has(id)).sort();
  let linked: { watched: string; added: string } | undefined;
  for (const id of added) {
    for (const m of (newer.get(id)![11] ?? '').matchAll(/Linked To: ([^.;]+)[.;]/g)) {
      const to = byName.get(m[1].trim());
      if (to && !linked) linked = { watched: to, added: id };
    }
  }
  expect(linked).toBeDefined();

  // Watching needs the reviewer role.
  expect((await gql(WATCH, { id: near.watched, radius: 2 })).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  expect((await gql(WATCH, { id: near.watched, radius: 2 }, KEYS.viewer)).errors?.[0].extensions.code).toBe('FORBIDDEN');
  expect((await gql(WATCH, { id: near.watched, radius: 4 }, KEYS.reviewer)).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  expect((await gql(WATCH, { id: 'ofac-no-such-party' }, KEYS.reviewer)).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  const w1 = await gql(WATCH, { id: near.watched, radius: 2 }, KEYS.reviewer);
  expect(w1.errors).toBeUndefined();
  expect(w1.data!.watch).toMatchObject({ id: near.watched, radius: 2, createdBy: 'rita reviewer' });
  const w2 = await gql(WATCH, { id: far.id }, KEYS.reviewer);
  expect(w2.data!.watch).toMatchObject({ id: far.id, radius: 2 });
  expect((await gql(WATCH, { id: linked!.watched, radius: 1 }, KEYS.reviewer)).errors).toBeUndefined();
  const watchesBefore = (await gql(WATCHES, {}, KEYS.viewer)).data!.watches;
  expect(watchesBefore.map((w: { id: string }) => w.id).sort()).toEqual([...new Set([near.watched, far.id, linked!.watched])].sort());

  const hook = await webhook(1);
  Object.assign(process.env, { ALERT_WEBHOOK_URL: hook.url, ALERT_WEBHOOK_SECRET: SECRET, ALERT_WEBHOOK_BACKOFF_MS: '50' });
  try {
    await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
  } finally {
    for (const k of ['ALERT_WEBHOOK_URL', 'ALERT_WEBHOOK_SECRET', 'ALERT_WEBHOOK_BACKOFF_MS']) delete process.env[k];
    await hook.close();
  }

  // The load left the watches as they were.
  expect((await gql(WATCHES, {}, KEYS.viewer)).data!.watches).toEqual(watchesBefore);

  const page = (await gql(ALERTS, { first: 500 }, KEYS.viewer)).data!.alerts;
  expect(page.hasMore).toBe(false);
  const alerts = page.alerts as { id: string; kind: string; watchId: string; partyId: string; otherId: string | null; message: string; release: string; delivered: boolean | null }[];
  expect(alerts.filter((a) => a.watchId === far.id)).toEqual([]);
  const mine = alerts.filter((a) => a.watchId === near.watched);
  const delisting = mine.find((a) => a.kind === 'DELISTING' && a.partyId === near.delisted);
  expect(delisting).toBeDefined();
  expect(delisting!.message).toContain(near.delisted);
  expect(delisting!.release).toBe('2024-05-03');
  // Exactly the delisted parties within its radius, by the test's own walk of the graph.
  const radius = await partiesWithin(near.watched, 2);
  expect(mine.filter((a) => a.kind === 'DELISTING').map((a) => a.partyId).sort()).toEqual(delisted.filter((id) => radius.has(id)));
  // Every alert is of a change that touches the radius.
  for (const a of mine) expect([a.partyId, a.otherId].some((id) => id && radius.has(id))).toBe(true);
  // A party designated by 2024-05-03 and linked to a watched one: a designation alert names it, and the
  // designations told are exactly the new parties within the radius (1), by the test's own walk.
  const designations = alerts.filter((a) => a.watchId === linked!.watched && a.kind === 'DESIGNATION');
  expect(designations.map((a) => a.partyId)).toContain(linked!.added);
  expect(designations.find((a) => a.partyId === linked!.added)!.message).toContain(linked!.added);
  const around = await partiesWithin(linked!.watched, 1);
  expect(designations.map((a) => a.partyId).sort()).toEqual(added.filter((id) => around.has(id)));

  // The webhook: refused once, taken at the retry; the same body both times, signed with the secret.
  expect(hook.received).toHaveLength(2);
  expect(hook.received[1].body).toBe(hook.received[0].body);
  for (const r of hook.received) {
    expect(r.signature).toBe(`sha256=${crypto.createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
  }
  const posted = JSON.parse(hook.received[1].body) as { release: string; alerts: { key: string; kind: string; partyId: string }[] };
  expect(posted.release).toBe('2024-05-03');
  expect(posted.alerts.map((a) => a.key).sort()).toEqual(alerts.map((a) => a.id).sort());
  expect(alerts.every((a) => a.delivered === true)).toBe(true);

  // Paging: newest first, one at a time, the same alerts.
  const paged: string[] = [];
  let after: string | null = null;
  for (;;) {
    const p: { alerts: { id: string }[]; endCursor: string | null; hasMore: boolean } = (await gql(ALERTS, { first: 1, after }, KEYS.viewer)).data!.alerts;
    paged.push(...p.alerts.map((a) => a.id));
    if (!p.hasMore) break;
    after = p.endCursor;
  }
  expect(paged).toEqual(alerts.map((a) => a.id));
}, 900_000);

test('a webhook that keeps failing: the alerts are kept undelivered with the reason, and recording again tells a load once per watch', async () => {
  const [load] = await db.runWrite<{ seq: number }>(`MATCH (l:Load {release: '2024-05-03'}) RETURN l.seq AS seq`, {});
  const before = (await gql(ALERTS, { first: 500 }, KEYS.viewer)).data!.alerts.total as number;
  // A new watch, on one of the delisted parties itself (radius 1), told about the load it did not see.
  const newer = new Set(rawOfacRows(SDN_0503).map((r) => `ofac-${r[0]}`));
  const delisted = rawOfacRows(SDN_0426).map((r) => `ofac-${r[0]}`).filter((id) => !newer.has(id)).sort();
  const target = delisted[0];
  expect((await gql(WATCH, { id: target, radius: 1 }, KEYS.reviewer)).errors).toBeUndefined();

  const hook = await webhook(100);
  try {
    const settings = { ...webhookSettings({}), url: hook.url, secret: SECRET, backoffMs: 10 };
    const told = await recordAlerts(db, Number(load.seq), settings);
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((a) => a.watchId === target)).toBe(true); // the other watches were told already
    expect(told.some((a) => a.kind === 'DELISTING' && a.partyId === target)).toBe(true);
    expect(hook.received).toHaveLength(1 + settings.retries);
  } finally {
    await hook.close();
  }
  const page = (await gql(ALERTS, { first: 500 }, KEYS.viewer)).data!.alerts;
  const undelivered = (page.alerts as { watchId: string; delivered: boolean; deliveryError: string }[]).filter((a) => a.watchId === target);
  expect(page.total).toBe(before + undelivered.length);
  expect(undelivered.every((a) => a.delivered === false && /500/.test(a.deliveryError))).toBe(true);

  expect((await gql(`mutation U($id: ID!) { unwatch(id: $id) }`, { id: target }, KEYS.viewer)).errors?.[0].extensions.code).toBe('FORBIDDEN');
  expect((await gql(`mutation U($id: ID!) { unwatch(id: $id) }`, { id: target }, KEYS.reviewer)).data!.unwatch).toBe(true);
  expect((await gql(`mutation U($id: ID!) { unwatch(id: $id) }`, { id: target }, KEYS.reviewer)).data!.unwatch).toBe(false);
}, 300_000);
