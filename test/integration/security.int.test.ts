/**
 * Who may do what, and how much, over real HTTP on 127.0.0.1 against the real test Neo4j: API keys and
 * roles, anonymous reads by HOST, the reviewer recorded as the key's owner, the audit log, security
 * headers, the Host allow-list, batches, cross-origin export posts, CORS, per-client rate limits and
 * the bound on concurrent database work. Each server is the real app (createApp) with its access
 * settings parsed from an environment, as `npm start` parses its own.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { createApp, AppState } from '../../server/api/app';
import type { Admission } from '../../server/api/admission';
import type { AuditLog } from '../../server/api/audit';
import { sha256Hex } from '../../server/api/auth';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { accessSettings } from '../../server/core/settings';
import { resetDatabase, testDatabase } from '../helpers';

const graphql = createGraphQLServer();
let db: Database;
let tmp: string;
/** Everything the process wrote to stderr (the logger's only output) while this file ran. */
let stderr = '';
const realWrite = process.stderr.write.bind(process.stderr);

const newKey = () => `sg_${crypto.randomBytes(24).toString('base64url')}`;
const KEYS = { viewer: newKey(), reviewer: newKey(), admin: newKey(), review: newKey(), unknown: newKey() };
let keysFile: string;

/** A synthetic candidate pair: what is tested here is who may review it, not how it was found. */
const A = 'sec-a';
const B = 'sec-b';

beforeAll(async () => {
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr += chunk.toString();
    return (realWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-security-'));
  keysFile = path.join(tmp, 'keys.jsonl');
  fs.writeFileSync(
    keysFile,
    [
      '# owner, role and the SHA-256 of each key',
      JSON.stringify({ owner: 'alice', role: 'viewer', sha256: sha256Hex(KEYS.viewer) }),
      JSON.stringify({ owner: 'bob', role: 'reviewer', sha256: sha256Hex(KEYS.reviewer) }),
      '',
      JSON.stringify({ owner: 'carol', role: 'admin', sha256: sha256Hex(KEYS.admin) }),
    ].join('\n'),
  );
  db = testDatabase();
  await resetDatabase(db);
  await db.runWrite(
    `CREATE (a:Party:LegalEntity:Organization {id: $a, name: 'ALPHA TRADING', kind: 'Organization', datasets: ['one']}),
            (b:Party:LegalEntity:Organization {id: $b, name: 'ALPHA TRADING CO', kind: 'Organization', datasets: ['two']}),
            (a)-[:POSSIBLY_SAME_AS {score: 0.9, features: '{}'}]->(b)`,
    { a: A, b: B },
  );
  await graphql.start();
});

afterAll(async () => {
  process.stderr.write = realWrite;
  await graphql.stop();
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Served {
  base: string;
  port: number;
  state: AppState;
  audit: AuditLog;
  admission: Admission;
  close(): Promise<void>;
}

const open: Served[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

let serial = 0;

/** The app with access settings parsed from `env` (the audit log in a folder of its own), on 127.0.0.1. */
async function serve(env: Record<string, string> = {}, state: Partial<AppState> = {}): Promise<Served> {
  const auditDir = path.join(tmp, `audit-${++serial}`);
  const st: AppState = { notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null }, ...state };
  const app = createApp(st, graphql, accessSettings({ AUDIT_DIR: auditDir, API_KEYS_FILE: keysFile, ...env }));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const served: Served = {
    base: `http://127.0.0.1:${port}`,
    port,
    state: st,
    audit: app.locals.audit as AuditLog,
    admission: app.locals.admission as Admission,
    async close() {
      (app.locals.stop as () => void)();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await served.audit.close();
    },
  };
  open.push(served);
  return served;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/**
 * One request with exactly these headers (node:http, not fetch: fetch folds repeated headers and will
 * not send a Host of our choosing). A header given as an array is sent once per value.
 */
function request(s: Served, method: string, url: string, headers: Record<string, string | string[]> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: s.port, method, path: url, headers: { host: `127.0.0.1:${s.port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON (a page, an export)
        }
        resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!ok()) throw new Error(`timed out waiting until ${what}`);
}

async function untilAsync(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

const READ = 'query Lookup($id: ID!) { entity(id: $id) { id name } }';
const REVIEW = `mutation($a: ID!, $b: ID!, $d: MatchDecision) { reviewMatch(a: $a, b: $b, decision: $d, note: "checked", reviewer: "mallory") { id decision decidedBy } }`;

function gql(s: Served, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string | string[]> = {}): Promise<Answer> {
  return request(s, 'POST', '/graphql', { 'content-type': 'application/json', ...headers }, JSON.stringify({ query, variables }));
}

const read = (s: Served, headers: Record<string, string | string[]> = {}) => gql(s, READ, { id: A }, headers);
const review = (s: Served, headers: Record<string, string | string[]> = {}, d: string | null = 'CONFIRMED') => gql(s, REVIEW, { a: A, b: B, d }, headers);

async function decidedBy(): Promise<string | null> {
  const [row] = await db.runWrite<{ by: string | null }>('MATCH (:Party {id: $a})-[m:POSSIBLY_SAME_AS]->(:Party {id: $b}) RETURN m.decidedBy AS by', { a: A, b: B });
  return row.by;
}

async function auditLines(s: Served): Promise<Record<string, unknown>[]> {
  await s.audit.close();
  const file = path.join(s.audit.dir, 'audit.log');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('keys and roles', () => {
  test('on a loopback HOST anyone may read without a key, and the start says so', async () => {
    const before = stderr.length;
    const s = await serve();
    expect(stderr.slice(before)).toMatch(/Access: anyone who reaches the server may read without a key \(HOST 127\.0\.0\.1 is a loopback address\)/);
    const r = await read(s);
    expect(r.status).toBe(200);
    expect(r.body.data.entity).toEqual({ id: A, name: 'ALPHA TRADING' });
    expect((await request(s, 'GET', `/api/export?ids=${A}&format=json`)).status).toBe(200);
  });

  test('on a non-loopback HOST reads need a key (401), unless ALLOW_ANONYMOUS_READS=1', async () => {
    const before = stderr.length;
    const s = await serve({ HOST: '0.0.0.0' });
    expect(stderr.slice(before)).toMatch(/Access: reads need an API key \(HOST 0\.0\.0\.0 is not a loopback address/);
    const anonymous = await read(s);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/needs an API key for reads/) });
    const exported = await request(s, 'GET', `/api/export?ids=${A}`);
    expect([exported.status, exported.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    for (const key of [KEYS.viewer, KEYS.reviewer, KEYS.admin]) {
      const r = await read(s, { 'x-api-key': key });
      expect([r.status, r.body.data?.entity?.id]).toEqual([200, A]);
    }
    const bearer = await read(s, { authorization: `Bearer ${KEYS.viewer}` });
    expect([bearer.status, bearer.body.data?.entity?.id]).toEqual([200, A]);

    const optedOut = await serve({ HOST: '0.0.0.0', ALLOW_ANONYMOUS_READS: '1' });
    expect((await read(optedOut)).status).toBe(200);
    const optedIn = await serve({ ALLOW_ANONYMOUS_READS: '0' });
    expect((await read(optedIn)).status).toBe(401);
  });

  test('a key the server does not know is refused with 401, also where anonymous reads are allowed', async () => {
    const s = await serve();
    const cases: Record<string, string>[] = [{ 'x-api-key': KEYS.unknown }, { authorization: `Bearer ${KEYS.unknown}` }, { authorization: `Basic ${KEYS.viewer}` }];
    for (const headers of cases) {
      const r = await read(s, headers);
      expect([r.status, r.body.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    const exported = await request(s, 'GET', `/api/export?ids=${A}`, { 'x-api-key': KEYS.unknown });
    expect(exported.status).toBe(401);
  });

  test('a key sent twice, or in both headers, is refused with 400', async () => {
    const s = await serve();
    const cases: Record<string, string | string[]>[] = [
      { 'x-api-key': [KEYS.viewer, KEYS.admin] },
      { 'x-api-key': [KEYS.viewer, KEYS.viewer] },
      { authorization: [`Bearer ${KEYS.viewer}`, `Bearer ${KEYS.admin}`] },
      { 'x-api-key': KEYS.viewer, authorization: `Bearer ${KEYS.viewer}` },
    ];
    for (const headers of cases) {
      const r = await read(s, headers);
      expect([r.status, r.body.errors?.[0]?.extensions?.code, r.body.errors?.[0]?.message]).toEqual([400, 'BAD_USER_INPUT', expect.stringMatching(/Send the API key once/)]);
    }
    const exported = await request(s, 'GET', `/api/export?ids=${A}`, { 'x-api-key': [KEYS.reviewer, KEYS.reviewer] });
    expect([exported.status, exported.body.error.code]).toEqual([400, 'BAD_USER_INPUT']);
  });

  test('a viewer cannot review (403); anonymous callers are asked for a key (401); nothing is written', async () => {
    const s = await serve();
    const anonymous = await review(s);
    expect([anonymous.status, anonymous.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    const viewer = await review(s, { 'x-api-key': KEYS.viewer });
    expect([viewer.status, viewer.body.errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
    expect(viewer.body.errors[0].message).toMatch(/needs the reviewer role; the key of alice has the viewer role/);
    expect(await decidedBy()).toBeNull();
    expect(await auditLines(s)).toEqual([]);
  });

  test('a reviewer (or an admin) reviews, recorded as the key owner whatever reviewer name is typed, and audited', async () => {
    const s = await serve();
    const ok = await review(s, { 'x-api-key': KEYS.reviewer });
    expect([ok.status, ok.body.data?.reviewMatch]).toEqual([200, { id: B, decision: 'CONFIRMED', decidedBy: 'bob' }]);
    expect(await decidedBy()).toBe('bob');
    const admin = await review(s, { authorization: `Bearer ${KEYS.admin}` }, 'REJECTED');
    expect(admin.body.data?.reviewMatch).toEqual({ id: B, decision: 'REJECTED', decidedBy: 'carol' });
    const lines = await auditLines(s);
    expect(lines).toEqual([
      { at: expect.any(String), event: 'review', a: A, b: B, decision: 'CONFIRMED', note: 'checked', owner: 'bob', role: 'reviewer', address: '127.0.0.1' },
      { at: expect.any(String), event: 'review', a: A, b: B, decision: 'REJECTED', note: 'checked', owner: 'carol', role: 'admin', address: '127.0.0.1' },
    ]);
    await review(s, { 'x-api-key': KEYS.reviewer }, null);
  });

  test('saving and deleting an investigation, watching and unwatching a party are audited without AUDIT_READS; refused writes are not', async () => {
    const s = await serve();
    const SAVE = 'mutation Save($input: InvestigationInput!) { saveInvestigation(input: $input) { id name } }';
    const refused = await gql(s, SAVE, { input: { name: 'not mine', nodeIds: [A] } }, { 'x-api-key': KEYS.viewer });
    expect([refused.status, refused.body.errors?.[0]?.extensions?.code]).toEqual([403, 'FORBIDDEN']);
    const saved = await gql(s, SAVE, { input: { name: 'Alpha case', nodeIds: [A, B] } }, { 'x-api-key': KEYS.reviewer });
    const id = saved.body.data?.saveInvestigation?.id as string;
    expect(id).toEqual(expect.any(String));
    const watched = await gql(s, 'mutation { watch(id: "sec-a", radius: 1) { id radius } }', {}, { 'x-api-key': KEYS.reviewer });
    expect(watched.body.data?.watch).toEqual({ id: A, radius: 1 });
    const unwatched = await gql(s, 'mutation { unwatch(id: "sec-a") }', {}, { authorization: `Bearer ${KEYS.admin}` });
    expect(unwatched.body.data?.unwatch).toBe(true);
    // Nothing to unwatch or delete the second time: no event claims a change that did not happen.
    await gql(s, 'mutation { unwatch(id: "sec-a") }', {}, { 'x-api-key': KEYS.reviewer });
    const deleted = await gql(s, 'mutation Del($id: ID!) { deleteInvestigation(id: $id) }', { id }, { 'x-api-key': KEYS.reviewer });
    expect(deleted.body.data?.deleteInvestigation).toBe(true);
    await gql(s, 'mutation Del($id: ID!) { deleteInvestigation(id: $id) }', { id }, { 'x-api-key': KEYS.reviewer });
    const who = { owner: 'bob', role: 'reviewer', address: '127.0.0.1' };
    expect(await auditLines(s)).toEqual([
      { at: expect.any(String), event: 'investigation', action: 'save', id, name: 'Alpha case', nodes: 2, ...who },
      { at: expect.any(String), event: 'watch', action: 'watch', id: A, radius: 1, ...who },
      { at: expect.any(String), event: 'watch', action: 'unwatch', id: A, owner: 'carol', role: 'admin', address: '127.0.0.1' },
      { at: expect.any(String), event: 'investigation', action: 'delete', id, ...who },
    ]);
  });

  test('REVIEW_API_KEY still works, as the reviewer "review key"', async () => {
    const s = await serve({ API_KEYS_FILE: '' }, { reviewApiKey: KEYS.review });
    const ok = await review(s, { 'x-api-key': KEYS.review });
    expect(ok.body.data?.reviewMatch).toEqual({ id: B, decision: 'CONFIRMED', decidedBy: 'review key' });
    // Switched off at run time: the key is no longer known.
    s.state.reviewApiKey = null;
    const off = await review(s, { 'x-api-key': KEYS.review });
    expect([off.status, off.body.errors[0].extensions.code, off.body.errors[0].message]).toEqual([401, 'UNAUTHENTICATED', expect.stringMatching(/switched off.*REVIEW_API_KEY/)]);
    s.state.reviewApiKey = KEYS.review;
    await review(s, { 'x-api-key': KEYS.review }, null);
  });

  test('with AUDIT_READS=1 every lookup is recorded (operation, variables cut short, owner or address); without it none', async () => {
    const quiet = await serve();
    await read(quiet, { 'x-api-key': KEYS.viewer });
    expect(await auditLines(quiet)).toEqual([]);

    const s = await serve({ AUDIT_READS: '1' });
    await read(s, { 'x-api-key': KEYS.viewer });
    await gql(s, '{ entity(id: "sec-b") { id } }');
    await gql(s, READ, { id: 'x'.repeat(2000) });
    await request(s, 'GET', `/api/export?ids=${A}&format=json`);
    const lines = await auditLines(s);
    expect(lines.slice(0, 2)).toEqual([
      { at: expect.any(String), event: 'read', operation: 'Lookup', variables: JSON.stringify({ id: A }), owner: 'alice', role: 'viewer', address: '127.0.0.1' },
      { at: expect.any(String), event: 'read', operation: '{ entity(id: "sec-b") { id } }', variables: '{}', owner: null, role: null, address: '127.0.0.1' },
    ]);
    expect((lines[2].variables as string).length).toBeLessThanOrEqual(501);
    expect(lines[3]).toMatchObject({ event: 'export', variables: JSON.stringify({ ids: A, format: 'json' }), owner: null });
  });

  test('a key revoked in API_KEYS_FILE is refused within seconds, without a restart; a new one is accepted; a broken file keeps the keys in force', async () => {
    const file = path.join(tmp, 'keys-reloaded.jsonl');
    const line = (owner: string, role: string, key: string) => JSON.stringify({ owner, role, sha256: sha256Hex(key) });
    const dave = newKey();
    const erin = newKey();
    fs.writeFileSync(file, [line('dave', 'viewer', dave), line('alice', 'viewer', KEYS.viewer)].join('\n'));
    const s = await serve({ HOST: '0.0.0.0', API_KEYS_FILE: file });
    expect((await read(s, { 'x-api-key': dave })).status).toBe(200);
    expect((await read(s, { 'x-api-key': erin })).status).toBe(401);

    const before = stderr.length;
    // Revoke dave, add erin: the file as an operator's editor leaves it (a new file renamed over the old).
    fs.writeFileSync(`${file}.new`, [line('alice', 'viewer', KEYS.viewer), line('erin', 'reviewer', erin)].join('\n'));
    fs.renameSync(`${file}.new`, file);
    await untilAsync('dave\'s key is refused', async () => (await read(s, { 'x-api-key': dave })).status === 401);
    const revoked = await read(s, { 'x-api-key': dave });
    expect([revoked.status, revoked.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await read(s, { 'x-api-key': erin })).status).toBe(200);
    expect((await read(s, { 'x-api-key': KEYS.viewer })).status).toBe(200);
    expect(stderr.slice(before)).toMatch(/API keys re-read from .*keys-reloaded\.jsonl: 2 in force; new owners erin; owners without a key now dave/);

    // A typo: the keys read before stay in force, and the log says so.
    const beforeTypo = stderr.length;
    fs.writeFileSync(file, `${line('alice', 'viewer', KEYS.viewer)}\n{"owner": "erin", "role": "reviewer", `);
    await until('the broken file is noticed', () => /was not re-read/.test(stderr.slice(beforeTypo)));
    expect(stderr.slice(beforeTypo)).toMatch(/keys-reloaded\.jsonl changed but was not re-read \(.*keys-reloaded\.jsonl:2: not a JSON object.*\); the 2 keys read before stay in force/);
    expect((await read(s, { 'x-api-key': erin })).status).toBe(200);
    // Fixed: erin's key is gone as the file now says.
    fs.writeFileSync(file, line('alice', 'viewer', KEYS.viewer));
    await untilAsync('erin\'s key is refused', async () => (await read(s, { 'x-api-key': erin })).status === 401);
    expect((await read(s, { 'x-api-key': KEYS.viewer })).status).toBe(200);
  });

  test('an admin key sees the operator\'s view in /healthz (where Neo4j is, admission, keys); a viewer and anonymous probes do not', async () => {
    const s = await serve({ MAX_CONCURRENT_QUERIES: '3', RATE_LIMIT: '100' }, { neo4j: { uri: 'bolt://db.internal:7687', embedded: false, version: '5.26' } });
    const admin = await request(s, 'GET', '/healthz', { 'x-api-key': KEYS.admin });
    expect(admin.status).toBe(200);
    expect(admin.body.admin).toEqual({
      neo4jUri: 'bolt://db.internal:7687',
      admission: { running: 0, queued: 0, maxConcurrentQueries: 3, queryQueue: 64, queryQueueWaitS: 5 },
      rateLimitPerMinute: 100,
      anonymousReads: true,
      apiKeys: { count: 3, file: keysFile, readAt: expect.any(String) },
    });
    const others: Record<string, string>[] = [{}, { 'x-api-key': KEYS.viewer }, { 'x-api-key': KEYS.reviewer }];
    for (const headers of others) {
      const other = await request(s, 'GET', '/healthz', headers);
      expect(other.status).toBe(200);
      expect(other.body).not.toHaveProperty('admin');
      expect(JSON.stringify(other.body)).not.toContain('db.internal');
    }
    const unknown = await request(s, 'GET', '/healthz', { 'x-api-key': KEYS.unknown });
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  test('no key, right or wrong, ever appears in the log or the audit log', async () => {
    // Every key of this file has been sent by now (the tests run in order, in band); send the rest once more.
    const s = await serve({ AUDIT_READS: '1' }, { reviewApiKey: KEYS.review });
    for (const key of Object.values(KEYS)) {
      await read(s, { 'x-api-key': key });
      await read(s, { authorization: `Bearer ${key}` });
      await read(s, { 'x-api-key': [key, key] });
    }
    const audit = JSON.stringify(await auditLines(s));
    expect(audit).toMatch(/"event":"read"/);
    for (const key of Object.values(KEYS)) {
      expect(stderr.includes(key)).toBe(false);
      expect(audit.includes(key)).toBe(false);
    }
    expect(stderr).toMatch(/Access:/); // the capture works
  });
});

describe('HTTP hardening', () => {
  test('security headers on the explorer, the API and errors', async () => {
    const s = await serve();
    for (const [method, url] of [['GET', '/'], ['GET', '/healthz'], ['POST', '/graphql'], ['GET', '/nothing-here']] as const) {
      const r = method === 'POST' ? await read(s) : await request(s, method, url, { accept: 'text/html' });
      const csp = String(r.headers['content-security-policy']);
      if (url === '/nothing-here') {
        expect(csp).toBe("default-src 'none'"); // Express's own 404 page, stricter still
      } else {
        expect([url, csp]).toEqual([url, expect.stringContaining("frame-ancestors 'none'")]);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self';");
      }
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['x-powered-by']).toBeUndefined();
    }
  });

  test('a Host header that is not allowed is refused (DNS rebinding); ALLOWED_HOSTS adds names; /healthz is exempt', async () => {
    const s = await serve();
    for (const host of ['evil.example', `evil.example:${s.port}`, 'attacker.127.0.0.1.nip.io']) {
      const r = await request(s, 'POST', '/graphql', { host, 'content-type': 'application/json' }, JSON.stringify({ query: READ, variables: { id: A } }));
      expect([host, r.status, r.body.errors?.[0]?.extensions?.code]).toEqual([host, 421, 'HOST_NOT_ALLOWED']);
      expect((await request(s, 'GET', '/', { host })).status).toBe(421);
    }
    for (const host of [`localhost:${s.port}`, `LOCALHOST:${s.port}`, `[::1]:${s.port}`, '127.0.0.1']) {
      expect([host, (await request(s, 'GET', '/healthz', { host })).status]).toEqual([host, 200]);
      expect([host, (await read(s, { host })).status]).toEqual([host, 200]);
    }
    expect((await request(s, 'GET', '/healthz', { host: 'evil.example' })).status).toBe(200);
    const named = await serve({ ALLOWED_HOSTS: 'graph.example.org' });
    expect((await read(named, { host: 'graph.example.org' })).status).toBe(200);
    expect((await read(named, { host: `127.0.0.1:${named.port}` })).status).toBe(421);
  });

  test('a JSON-array batch to /graphql is refused with 400', async () => {
    const s = await serve();
    const one = { query: READ, variables: { id: A } };
    const r = await request(s, 'POST', '/graphql', { 'content-type': 'application/json' }, JSON.stringify([one, one]));
    expect([r.status, r.body.errors?.[0]?.extensions?.code, r.body.errors?.[0]?.message]).toEqual([400, 'BAD_USER_INPUT', expect.stringMatching(/Batched requests/)]);
  });

  test('a cross-origin POST to /api/export is refused; same-origin and scripts are served', async () => {
    const s = await serve();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = `ids=${A}&depth=0&format=json`;
    const crossSite: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }];
    for (const headers of crossSite) {
      const r = await request(s, 'POST', '/api/export', { ...form, ...headers }, body);
      expect([headers, r.status, r.body.error?.code]).toEqual([headers, 403, 'FORBIDDEN']);
    }
    // Chromium's own export form: Origin "null" (a navigation POST under a strict referrer policy) with
    // Sec-Fetch-Site same-origin, which the browser alone can set.
    const sameSite: Record<string, string>[] = [{ origin: s.base, 'sec-fetch-site': 'same-origin' }, { origin: 'null', 'sec-fetch-site': 'same-origin' }, {}];
    for (const headers of sameSite) {
      const r = await request(s, 'POST', '/api/export', { ...form, ...headers }, body);
      expect([headers, r.status]).toEqual([headers, 200]);
    }
  });

  test('CORS is off unless CORS_ORIGINS names the origin', async () => {
    const off = await serve();
    const r = await read(off, { origin: 'https://tools.example.org' });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const on = await serve({ CORS_ORIGINS: 'https://tools.example.org' });
    const allowed = await read(on, { origin: 'https://tools.example.org' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://tools.example.org');
    const preflight = await request(on, 'OPTIONS', '/graphql', { origin: 'https://tools.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('x-api-key');
    expect((await read(on, { origin: 'https://other.example.org' })).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('admission control', () => {
  test('past RATE_LIMIT a client gets 429 with Retry-After and a code; other clients and /healthz do not', async () => {
    const s = await serve({ RATE_LIMIT: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await read(s, { 'x-api-key': KEYS.viewer })).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await read(s, { 'x-api-key': KEYS.viewer });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    const exported = await request(s, 'GET', `/api/export?ids=${A}`, { 'x-api-key': KEYS.viewer });
    expect([exported.status, exported.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(exported.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another key, and anonymous callers (by address), have their own allowance.
    expect((await read(s, { 'x-api-key': KEYS.reviewer })).status).toBe(200);
    expect((await read(s)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await request(s, 'GET', '/healthz')).status).toBe(200);
  });

  /** The test database with every API read held until `release()` (the health check's read is not held). */
  function heldDatabase(): { db: Database; release(): void; held(): number } {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    const slow = Object.create(db) as Database;
    slow.read = (async (name: string, ...rest: unknown[]) => {
      if (name !== 'api-datasets') {
        held++;
        await gate;
      }
      return (db.read as (...a: unknown[]) => Promise<unknown>).call(db, name, ...rest);
    }) as Database['read'];
    return { db: slow, release, held: () => held };
  }

  test('a burst beyond MAX_CONCURRENT_QUERIES and QUERY_QUEUE gets 503 BUSY with Retry-After; the rest are served; /healthz stays up', async () => {
    const held = heldDatabase();
    const s = await serve({ MAX_CONCURRENT_QUERIES: '2', QUERY_QUEUE: '3', QUERY_QUEUE_WAIT: '60' }, { db: held.db });
    const answers: Answer[] = [];
    const burst = Array.from({ length: 12 }, (_, i) =>
      (i % 2 ? read(s) : request(s, 'GET', `/api/export?ids=${A}`)).then((a) => {
        answers.push(a);
        return a;
      }),
    );
    await until('the burst is refused beyond 2 running and 3 queued', () => answers.length === 7);
    expect(s.admission.load).toEqual({ running: 2, queued: 3 });
    for (const a of answers) {
      expect(a.status).toBe(503);
      expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(a.body.errors?.[0]?.extensions?.code ?? a.body.error?.code).toBe('BUSY');
    }
    const health = await request(s, 'GET', '/healthz');
    expect(health.status).toBe(200);
    held.release();
    const all = await Promise.all(burst);
    expect(all.filter((a) => a.status === 200)).toHaveLength(5);
    expect(all.filter((a) => a.status === 503)).toHaveLength(7);
    await until('every slot is free again', () => s.admission.load.running === 0);
    expect(s.admission.load).toEqual({ running: 0, queued: 0 });
  });

  test('with every slot held and no room to wait, a request refused anyway is refused at once for what it is (400), never 503 BUSY', async () => {
    const held = heldDatabase();
    const s = await serve({ MAX_CONCURRENT_QUERIES: '1', QUERY_QUEUE: '0' }, { db: held.db });
    const holder = read(s);
    await until('a slow request holds the only slot', () => held.held() === 1);
    // An honest request finds no room: the server is saturated.
    const honest = await read(s);
    expect([honest.status, honest.body.errors[0].extensions.code]).toEqual([503, 'BUSY']);

    const amplification = `{ search(query: "alpha", first: 100) { hits { entity { id ${Array.from({ length: 400 }, (_, i) => `m${i}: possibleMatches { id score }`).join(' ')} } } } }`;
    const costly = await gql(s, amplification);
    expect([costly.status, costly.body.errors[0].extensions.code]).toEqual([400, 'QUERY_TOO_COSTLY']);
    expect(costly.body.errors[0].extensions.cost).toBeGreaterThan(costly.body.errors[0].extensions.budget);
    expect(costly.body.errors[0].message).toMatch(/the budget of one request is \d+ \(MAX_QUERY_COST\)/);

    const refused: [string, Promise<Answer>, number, string][] = [
      ['unknown field', gql(s, '{ entity(id: "x") { nope } }'), 400, 'GRAPHQL_VALIDATION_FAILED'],
      ['syntax error', gql(s, '{ entity(id: '), 400, 'GRAPHQL_PARSE_FAILED'],
      ['eleven root fields', gql(s, `{ ${Array.from({ length: 11 }, (_, i) => `e${i}: entity(id: "x") { id }`).join(' ')} }`), 400, 'GRAPHQL_VALIDATION_FAILED'],
      ['a missing variable', gql(s, READ, {}), 400, 'BAD_USER_INPUT'],
      ['no query', request(s, 'POST', '/graphql', { 'content-type': 'application/json' }, '{"variables": {}}'), 400, 'BAD_REQUEST'],
      ['a batch', request(s, 'POST', '/graphql', { 'content-type': 'application/json' }, JSON.stringify([{ query: READ, variables: { id: A } }])), 400, 'BAD_USER_INPUT'],
      ['malformed JSON', request(s, 'POST', '/graphql', { 'content-type': 'application/json' }, '{"query": '), 400, 'BAD_REQUEST'],
      ['an unknown export format', request(s, 'GET', `/api/export?ids=${A}&format=docx`), 400, 'BAD_USER_INPUT'],
      ['an export of 101 seeds', request(s, 'GET', `/api/export?ids=${Array.from({ length: 101 }, (_, i) => `x${i}`).join(',')}`), 400, 'BAD_USER_INPUT'],
      ['an export of 5000 nodes', request(s, 'GET', `/api/export?ids=${A}&limit=5000`), 400, 'BAD_USER_INPUT'],
    ];
    for (const [what, answer, status, code] of refused) {
      const a = await answer;
      expect([what, a.status, a.body.errors?.[0]?.extensions?.code ?? a.body.error?.code]).toEqual([what, status, code]);
    }
    // None of them took or waited for the slot, which the slow request still holds.
    expect(s.admission.load).toEqual({ running: 1, queued: 0 });
    held.release();
    expect((await holder).status).toBe(200);
  });

  test('a request that waits past QUERY_QUEUE_WAIT gets 503 BUSY; one whose client hangs up leaves the queue', async () => {
    const held = heldDatabase();
    const s = await serve({ MAX_CONCURRENT_QUERIES: '1', QUERY_QUEUE: '1', QUERY_QUEUE_WAIT: '0' }, { db: held.db });
    const first = read(s);
    await until('the first request holds the slot', () => held.held() === 1);
    const second = await read(s);
    expect([second.status, second.body.errors[0].extensions.code]).toEqual([503, 'BUSY']);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(s.admission.load).toEqual({ running: 1, queued: 0 });

    // A client that hangs up while it waits gives its place back.
    const patient = await serve({ MAX_CONCURRENT_QUERIES: '1', QUERY_QUEUE: '1', QUERY_QUEUE_WAIT: '60' }, { db: held.db });
    const holder = read(patient);
    await until('the slot is held', () => patient.admission.load.running === 1);
    const gone = http.request({ host: '127.0.0.1', port: patient.port, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' } });
    gone.on('error', () => undefined);
    gone.end(JSON.stringify({ query: READ, variables: { id: A } }));
    await until('the second request waits', () => patient.admission.load.queued === 1);
    gone.destroy();
    await until('it left the queue', () => patient.admission.load.queued === 0);
    const third = read(patient);
    await until('a third request waits in its place', () => patient.admission.load.queued === 1);
    held.release();
    expect((await first).status).toBe(200);
    expect([(await holder).status, (await third).status]).toEqual([200, 200]);
  });
});
