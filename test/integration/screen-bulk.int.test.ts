/**
 * Bulk screening (issue 13 item 4) over the real Neo4j with the bundled OFAC SDN list of 2024-05-03:
 * the seed case as a file (test/fixtures/screen-bulk/seed.csv, see its README) through the CLI (`npm run
 * screen`, a child process on the test database) and through POST /api/screen/bulk, which give the
 * same bytes; the parties expected are looked up in the database, not written here. The API spools the
 * upload whole (a private file, removed after) before it takes an admission slot, and refuses what it
 * cannot run before anything is answered.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createApp, AppState } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Readable } from 'node:stream';
import type { Admission } from '../../server/api/admission';
import { type BulkUploadLimits, screenBulk } from '../../server/api/screen-bulk';
import { AuditLog } from '../../server/api/audit';
import { Database } from '../../server/core/neo4j/database';
import { openBulkInput } from '../../server/core/screening/bulk-input';
import { accessSettings, REPO_ROOT, screenBulkSettings } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { externalNeo4jEnv, LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';

const SEED = path.join(REPO_ROOT, 'test', 'fixtures', 'screen-bulk', 'seed.csv');
let db: Database;
let server: http.Server;
let base: string;
let tmp: string;
let admission: Admission;
let uploadLimits: BulkUploadLimits;
const state: AppState = { notReady: null, db: null, neo4j: { uri: 'test', embedded: false, version: null } };
const graphql = createGraphQLServer();

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(REPO_ROOT, 'ingest', 'demo', 'ofac-sdn-2024-05-03', 'sdn.csv')], dataset: 'ofac-sdn', release: '2024-05-03' });
  state.db = db;
  await graphql.start();
  const app = createApp(state, graphql);
  admission = app.locals.admission as Admission;
  uploadLimits = app.locals.bulkUploadLimits as BulkUploadLimits;
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'screen-bulk-'));
  // The uploads' spool (read per request): a folder of this test's own, to see what is in it.
  process.env.INGEST_SPOOL_DIR = path.join(tmp, 'spool');
}, 600_000);
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await graphql.stop();
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/screen-cli.ts', '--no-progress', ...args], { cwd: REPO_ROOT, env: externalNeo4jEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function api(query: string, body: string | Buffer, type = 'text/csv'): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${base}/api/screen/bulk${query}`, { method: 'POST', headers: { 'content-type': type }, body });
  // Decoded as it is sent: res.text() would drop the CSV's byte order mark.
  return { status: res.status, type: res.headers.get('content-type'), text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
}

type Line = Record<string, any>;
const parseLines = (text: string): Line[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);

/** A party's id, found by its exact name in the database (GraphQL search, then the hit whose name is it). */
async function idOf(name: string): Promise<string> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($q: String!) { search(query: $q, first: 5) { hits { entity { id name } } } }', variables: { q: name } }),
  });
  const hits = ((await res.json()) as { data: { search: { hits: { entity: { id: string; name: string } }[] } } }).data.search.hits;
  const hit = hits.find((h) => h.entity.name === name);
  if (!hit) throw new Error(`${name} is not in the database`);
  return hit.entity.id;
}

async function identifiersOf(id: string): Promise<string[]> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($id: ID!) { entity(id: $id) { identifiers { type value } } }', variables: { id } }),
  });
  return ((await res.json()) as { data: { entity: { identifiers: { type: string; value: string }[] } } }).data.entity.identifiers.map((i) => `${i.type}:${i.value.toLowerCase()}`);
}

describe('the seed file through the CLI and the API', () => {
  let apiJsonl: Line[];
  let apiCsv: string;

  beforeAll(async () => {
    const jsonl = await api('', fs.readFileSync(SEED));
    expect([jsonl.status, jsonl.type]).toEqual([200, 'application/x-ndjson; charset=utf-8']);
    apiJsonl = parseLines(jsonl.text);
    const csv = await api('?format=csv', fs.readFileSync(SEED));
    expect([csv.status, csv.type]).toEqual([200, 'text/csv; charset=utf-8']);
    apiCsv = csv.text;
  }, 300_000);

  test('the rows find the network; the clean name finds nothing; bad rows are reported with their line and reason', async () => {
    const [pioneer, chinyong, sinbad, alis] = await Promise.all(
      ['PIONEER BENCONT STAR REAL ESTATE', 'CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY', 'SINBAD', 'LIMITED LIABILITY COMPANY ALIS'].map(idOf),
    );
    // The email and wallet of the file are SINBAD's in the list.
    expect(await identifiersOf(sinbad)).toEqual(expect.arrayContaining(['email:support@sinbad.io', 'cryptoWallet:bc1qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd']));

    const [start, ...rest] = apiJsonl;
    const end = rest.pop()!;
    expect(start).toMatchObject({ type: 'start', threshold: 0.7, first: 3, maxHops: 3, lists: [{ name: 'ofac-sdn', release: '2024-05-03' }] });
    expect(start.input.warnings).toEqual([expect.stringMatching(/^the upload: ignored column "note"/)]);
    const byRef = new Map(rest.map((l) => [l.ref, l]));
    expect(rest.map((l) => [l.line, l.ref, l.type === 'row' ? l.status : 'error'])).toEqual([
      [2, 'S-1', 'match'],
      [3, 'S-2', 'match'],
      [4, 'S-3', 'match'],
      [5, 'S-4', 'match'],
      [6, 'S-5', 'no_match'],
      [7, 'S-6', 'error'],
      [8, 'S-7', 'match'],
      [10, 'S-8', 'error'],
      [11, 'S-9', 'match'],
    ]);
    const top = (ref: string) => byRef.get(ref)!.matches[0];
    for (const [ref, id] of [['S-1', pioneer], ['S-2', chinyong], ['S-3', sinbad], ['S-4', sinbad], ['S-7', alis], ['S-9', alis]]) {
      expect([ref, top(ref).id]).toEqual([ref, id]);
      expect(top(ref).score).toBeGreaterThanOrEqual(0.7);
      expect(top(ref).programs.length).toBeGreaterThan(0);
      // Listed itself: its own nearest sanctioned party, at distance 0.
      expect(top(ref).exposure).toMatchObject({ distance: 0, entity: { id }, path: { nodes: [{ id }], edges: [] } });
    }
    expect(top('S-1').explanation).toEqual(expect.arrayContaining([{ label: 'Programs', value: 'DPRK2' }]));
    expect(byRef.get('S-7')!.input).toEqual({ name: 'LIMITED LIABILITY\r\nCOMPANY ALIS', kind: 'company', country: 'Russia', identifiers: [{ type: 'taxId', value: '2543103179' }] });
    expect(byRef.get('S-5')!.matches).toEqual([]);
    expect(byRef.get('S-6')).toMatchObject({ type: 'error', line: 7, error: 'line 7: input must hold a name or at least one identifier' });
    expect(byRef.get('S-8')!.error).toMatch(/^line 10: kind "spaceship" is not one the lists use/);
    expect(end).toMatchObject({ type: 'end', rows: 9, screened: 7, matched: 6, errors: 2 });

    // The clean name scores below the threshold against everything the search finds.
    const low = parseLines((await api('?threshold=0&first=25', 'name\nZephyrine Quolloway Holdings\n')).text)[1];
    for (const m of low.matches) expect(m.score).toBeLessThan(0.5);
  });

  test('the CSV is the BOM, the header and the rows\' csv fields; CLI and API give the same bytes', async () => {
    const header = 'line,ref,input_name,status,rank,score,match_id,match_name,match_kind,lists,programs,listed_on,exposure_distance,exposure_id,exposure_name,exposure_path,explanation,error\r\n';
    expect(apiCsv).toBe('\ufeff' + header + apiJsonl.slice(1, -1).map((l) => l.csv).join(''));
    expect(apiCsv).toContain('7,S-6,,error,,,,,,,,,,,,,,line 7: input must hold a name or at least one identifier\r\n');
    expect(apiCsv).toMatch(/\r\n6,S-5,Zephyrine Quolloway Holdings,no_match,,,,,,,,,,,,,,\r\n/);

    const csvOut = path.join(tmp, 'results.csv');
    const jsonlOut = path.join(tmp, 'results.jsonl');
    const [a, b] = [await cli([SEED, '--out', csvOut]), await cli([SEED, '--out', jsonlOut])];
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stderr).toMatch(/Screened 9 rows of .*seed\.csv in [\d.]+ s \([\d.]+ rows\/s\): 6 with a match at threshold 0\.7, 2 error row\(s\) \(listed in the output with their line and reason\); results in .*results\.csv/);
    expect(a.stderr).toMatch(/ignored column "note"/);
    expect(fs.readFileSync(csvOut, 'utf8')).toBe(apiCsv);
    const cliJsonl = parseLines(fs.readFileSync(jsonlOut, 'utf8'));
    // All lines alike but the start line's (it names the source) and the end line's seconds.
    const same = (l: Line) => (l.type === 'end' ? { ...l, seconds: 0 } : l.type === 'start' ? { ...l, input: { ...l.input, warnings: l.input.warnings.length } } : l);
    expect(cliJsonl.map(same)).toEqual(apiJsonl.map(same));
    expect(cliJsonl[0].input.warnings[0]).toContain('seed.csv: ignored column "note"');
  }, 300_000);
});

/** A request whose body is written by the test; its answer once it comes. */
function upload(query = '') {
  const url = new URL(`${base}/api/screen/bulk${query}`);
  const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers: { 'content-type': 'text/csv' } });
  const res = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  return { req, res };
}

const spooled = (): string[] => (fs.existsSync(path.join(tmp, 'spool')) ? fs.readdirSync(path.join(tmp, 'spool')) : []);

test('the upload is spooled whole to a private file before the run takes a slot; one run per client; the file is removed after', async () => {
  const head = 'ref,name\nA,Pioneer Bencont Star Real Estat\nB,Zephyrine Quolloway Holdings\n';
  const { req, res } = upload();
  req.write(head);
  // The spool file holds what was sent so far (the jest timeout bounds the wait).
  const file = async () => {
    for (;;) {
      const [dir] = spooled();
      const f = dir && path.join(tmp, 'spool', dir, 'upload');
      if (f && fs.existsSync(f) && fs.statSync(f).size === Buffer.byteLength(head)) return f;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const f = await file();
  expect(fs.statSync(f).mode & 0o777).toBe(0o600);
  expect(fs.statSync(path.dirname(f)).mode & 0o777).toBe(0o700);
  // An upload under way holds no admission slot (a stalled client cannot keep others out).
  expect(admission.load).toEqual({ running: 0, queued: 0 });
  // A second bulk run of the same client is refused while the first runs.
  const second = await api('', 'name\nALIS\n');
  expect(second.status).toBe(429);
  expect(JSON.parse(second.text).errors[0].message).toMatch(/already runs a bulk screening/);
  req.end('C,LIMITED LIABILITY COMPANY ALIS\n');
  const answer = await res;
  expect(answer.statusCode).toBe(200);
  let text = '';
  for await (const chunk of answer) text += String(chunk);
  const lines = parseLines(text);
  expect(lines.map((l) => l.ref ?? l.type)).toEqual(['start', 'A', 'B', 'C', 'end']);
  expect(lines.at(-1)).toMatchObject({ rows: 3, matched: 2 });
  while (spooled().length > 0) await new Promise((r) => setTimeout(r, 20));
  expect(fs.existsSync(f)).toBe(false);
}, 120_000);

test('an upload larger than the cap is refused with 413, one that stalls with 408; neither leaves its file', async () => {
  const saved = { ...uploadLimits };
  try {
    uploadLimits.maxBytes = 1000;
    const big = await api('', `name\n${'ALIS\n'.repeat(300)}`);
    expect([big.status, JSON.parse(big.text).errors[0].message]).toEqual([413, 'the upload is larger than 1000 bytes (SCREEN_BULK_UPLOAD_MAX); split the file']);
    uploadLimits.maxBytes = saved.maxBytes;
    uploadLimits.idleMs = 300;
    const { req, res } = upload();
    req.write('name\nALIS\n');
    const answer = await res;
    let text = '';
    for await (const chunk of answer) text += String(chunk);
    expect([answer.statusCode, JSON.parse(text).errors[0].message]).toEqual([408, expect.stringMatching(/^the upload sent nothing for 0.3 s/)]);
    req.destroy();
  } finally {
    Object.assign(uploadLimits, saved);
  }
  while (spooled().length > 0) await new Promise((r) => setTimeout(r, 20));
  expect(admission.load).toEqual({ running: 0, queued: 0 });
}, 120_000);

test('with AUDIT_READS each row screened is recorded as a read, with its line, ref and input', async () => {
  const dir = path.join(tmp, 'audit');
  const audit = new AuditLog(dir, true);
  const input = await openBulkInput(Readable.from(['ref,name\nA,Pioneer Bencont Star Real Estat\nB,\nC,Zephyrine Quolloway Holdings\n']), { source: 'rows.csv', maxRows: 10 });
  const seen: string[] = [];
  for await (const l of screenBulk(input, { db, params: { threshold: 0.7, first: 1, maxHops: 1 }, requestTimeoutMs: 60_000, concurrency: 2, audit })) seen.push(l.type);
  await audit.close();
  expect(seen).toEqual(['start', 'row', 'error', 'row', 'end']);
  const events = fs.readFileSync(path.join(dir, 'audit.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
  const rows = events.filter((e) => e.operation === 'POST /api/screen/bulk row');
  // The error row (no name) was not screened, so it read nothing.
  expect(rows.map((e) => [e.line, e.ref, JSON.parse(e.input).name])).toEqual([[2, 'A', 'Pioneer Bencont Star Real Estat'], [4, 'C', 'Zephyrine Quolloway Holdings']]);
}, 120_000);

test('identifiers written as mailto: and tel: URIs, and a national phone number read in the row\'s country, find the party that holds them', async () => {
  // AL-RAWI of the 2024-05-03 SDN list: "Email Address mohand.alrawii@gmail.com; ... Phone Number 9647821757598" (Iraq).
  const id = await idOf('AL-RAWI, Muhannad Mushtaq Talib Zghayir Karhout');
  const input = await openBulkInput(
    Readable.from([
      'ref,country,identifiers,phone\n' +
        'mailto,,MAILTO:Mohand.Alrawii@gmail.com,\n' +
        'tel,,tel:+964-782-175-7598,\n' +
        'national,Iraq,,0782 175 7598\n' +
        'no-country,,,0782 175 7598\n',
    ]),
    { source: 'ids.csv', maxRows: 10 },
  );
  const rows: Line[] = [];
  for await (const l of screenBulk(input, { db, params: { threshold: 0.7, first: 3, maxHops: 1 }, requestTimeoutMs: 60_000, concurrency: 2 })) if (l.type === 'row' || l.type === 'error') rows.push(l);
  expect(rows.map((r) => [r.ref, r.status, r.matches?.[0]?.id ?? null])).toEqual([
    ['mailto', 'match', id],
    ['tel', 'match', id],
    ['national', 'match', id],
    // Without a country the same digits are no number of any country: nothing is found.
    ['no-country', 'no_match', null],
  ]);
  expect(rows[2].input.identifiers).toEqual([{ type: 'phone', value: '0782 175 7598', country: 'Iraq' }]);
}, 120_000);

test('a run stops when it is told to: an endless file is read no further, and the run ends', async () => {
  let read = 0;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  // An endless upload: the run can only end by being stopped.
  const endless = Readable.from(
    (async function* () {
      try {
        yield 'ref,name\n';
        for (;;) yield `R-${++read},Pioneer Bencont Star Real Estat\n`;
      } finally {
        markClosed();
      }
    })(),
  );
  const stop = new AbortController();
  const input = await openBulkInput(endless, { source: 'endless.csv', maxRows: Number.MAX_SAFE_INTEGER });
  const types: string[] = [];
  for await (const line of screenBulk(input, { db, params: { threshold: 0.7, first: 1, maxHops: 1 }, requestTimeoutMs: 60_000, concurrency: 2, signal: stop.signal })) {
    types.push(line.type);
    if (line.type === 'row') stop.abort();
  }
  // Stopped after the first row: no end line, the source closed, and far fewer rows read than a run to the end would.
  expect(types).toEqual(['start', 'row']);
  // The stream closes its source as it is destroyed, a few ticks later.
  // (a source never closed fails this test by its timeout, without polling)
  await closed;
  expect(read).toBeLessThan(100_000);
}, 120_000);

test('a client that disconnects calls its run off at once: slots freed, upload removed, no further row started, the audit says how far it got', async () => {
  // A server of its own, recording reads (each row started, and the run's end) in an audit log of this test.
  const auditDir = path.join(tmp, 'audit-cancel');
  const app = createApp(state, graphql, { ...accessSettings(), auditDir, auditReads: true });
  const own = http.createServer(app);
  await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
  const ownBase = `http://127.0.0.1:${(own.address() as { port: number }).port}`;
  try {
    // Names of the 2024-05-03 SDN list (misspelt as in the seed file), 3,000 rows.
    const names = ['Pioneer Bencont Star Real Estat', 'LIMITED LIABILITY COMPANY ALIS', 'CHINYONG INFORMATON TECHNOLOGY COOPERATION COMPANY', 'MEHR-E EQTESAD-E IRANIAN INVESTMENT CO'];
    const rows = 3000;
    const body = `ref,name\n${Array.from({ length: rows }, (_, i) => `R-${i},${names[i % names.length]}`).join('\n')}\n`;
    const url = new URL(`${ownBase}/api/screen/bulk?first=1&maxHops=1`);
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers: { 'content-type': 'text/csv' } });
    req.on('error', () => undefined);
    const answer = await new Promise<http.IncomingMessage>((resolve) => {
      req.on('response', resolve);
      req.end(body);
    });
    expect(answer.statusCode).toBe(200);
    // Its upload, while it runs (the only one: the tests of this file run one at a time).
    const [upload] = spooled();
    expect(upload).toMatch(/^bulk-upload-/);
    // The first result lines, then the client goes away.
    let text = '';
    for await (const chunk of answer) {
      text += String(chunk);
      if ((text.match(/"type":"row"/g) ?? []).length >= 2) break;
    }
    req.destroy();

    // The same client can start a new run at once (a 429 would say its first still counts), and the
    // first's upload is gone. Polled: the jest timeout bounds the waits.
    let next: Awaited<ReturnType<typeof fetch>>;
    for (;;) {
      next = await fetch(`${ownBase}/api/screen/bulk?first=1&maxHops=1`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'ref,name\nN-1,LIMITED LIABILITY COMPANY ALIS\n' });
      if (next.status !== 429) break;
      await next.arrayBuffer();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(next.status).toBe(200);
    expect(parseLines(await next.text()).map((l) => l.ref ?? l.type)).toEqual(['start', 'N-1', 'end']);
    while (spooled().includes(upload)) await new Promise((r) => setTimeout(r, 20));
    expect((app.locals.admission as Admission).load).toEqual({ running: 0, queued: 0 });

    // The audit: the run's end says it was called off after the rows answered, of the file's 3,000.
    const events = async (): Promise<Line[]> => {
      const file = path.join(auditDir, 'audit.log');
      // Whole lines only: the log is written as the events come.
      const whole = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(0, -1) : [];
      return whole.map((l) => JSON.parse(l) as Line);
    };
    let ends: Line[] = [];
    while ((ends = (await events()).filter((e) => e.operation === 'POST /api/screen/bulk (end)' && e.sha256 !== undefined)).length < 2) await new Promise((r) => setTimeout(r, 50));
    const cancelled = ends.find((e) => e.stopped !== undefined)!;
    const m = /^cancelled by the client after (\d+) of (\d+) rows$/.exec(cancelled.stopped as string);
    expect(m).not.toBeNull();
    const answered = Number(m![1]);
    expect(Number(m![2])).toBe(rows);
    expect(answered).toBeGreaterThanOrEqual(2);
    expect(answered).toBeLessThan(rows);
    // No row was started after the call-off: those started are the ones answered, the ones under way
    // (SCREEN_BULK_CONCURRENCY) and the one taken from the run as the client went.
    const started = (await events()).filter((e) => e.operation === 'POST /api/screen/bulk row' && /^R-/.test(e.ref as string));
    expect(started.length).toBeLessThanOrEqual(answered + screenBulkSettings().concurrency + 1);
    expect(ends.find((e) => e.stopped === undefined)).toMatchObject({ rows: 1, screened: 1 });
  } finally {
    await new Promise((r) => own.close(r));
    (app.locals.stop as () => void)();
    await (app.locals.audit as AuditLog).close();
  }
}, 300_000);

test('what cannot be run is refused before anything is answered: 400 with the reason', async () => {
  const refused = async (query: string, body: string, message: RegExp) => {
    const res = await api(query, body);
    expect(res.status).toBe(400);
    const { errors } = JSON.parse(res.text) as { errors: { message: string; extensions: { code: string } }[] };
    expect(errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(errors[0].message).toMatch(message);
  };
  await refused('?threshold=2', 'name\nALIS\n', /^threshold must be a number from 0 to 1; got "2"/);
  await refused('?first=0', 'name\nALIS\n', /^first must be a whole number from 1 to 25/);
  await refused('?maxHops=x', 'name\nALIS\n', /^maxHops must be a number; got "x"/);
  await refused('?format=xlsx', 'name\nALIS\n', /^format must be csv or jsonl/);
  // Each row's cost is checked as POST /api/screen's is: 25 matches each with an exposure search of 6 hops is too much.
  await refused('?first=25&maxHops=6', 'name\nALIS\n', /^first=25 with maxHops=6: This request costs \d+; the budget of one request is/);
  await refused('', '', /^the upload is empty/);
  // A page of another site cannot make a browser run one.
  const cross = await fetch(`${base}/api/screen/bulk`, { method: 'POST', headers: { 'content-type': 'text/csv', 'sec-fetch-site': 'cross-site' }, body: 'name\nALIS\n' });
  expect(cross.status).toBe(403);
  await refused('', 'customer,amount\nALIS,10\n', /^the upload: no name or identifier column in the header row \("customer", "amount"/);
});

test('the CLI stopped by SIGINT ends its output (whole lines, the rows so far) and exits 130', async () => {
  const file = path.join(tmp, 'many.csv');
  fs.writeFileSync(file, `ref,name\n${Array.from({ length: 5000 }, (_, i) => `R-${i},Pioneer Bencont Star Real Estat`).join('\n')}\n`);
  const out = path.join(tmp, 'many-results.jsonl');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/screen-cli.ts', '--no-progress', file, '--out', out, '--first', '1', '--max-hops', '1'], { cwd: REPO_ROOT, env: externalNeo4jEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Once rows are being written (the jest timeout bounds the wait), interrupt it.
  while (!(fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('"type":"row"'))) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGINT');
  expect(await closed).toBe(130);
  expect(stderr).toMatch(/SIGINT: stopping/);
  const text = fs.readFileSync(out, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const lines = parseLines(text);
  expect(lines[0].type).toBe('start');
  // The rows so far, in order and whole; no end line (the run did not end), and not all the rows.
  expect(lines.slice(1).map((l) => l.ref)).toEqual(lines.slice(1).map((_, i) => `R-${i}`));
  expect(lines.length).toBeLessThan(5001);
}, 300_000);

test('the CLI refuses a missing or empty file by its name, with exit code 2, before starting anything', async () => {
  const empty = path.join(tmp, 'empty.csv');
  fs.writeFileSync(empty, '');
  const missing = await cli([path.join(tmp, 'nope.csv')]);
  expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/Cannot read .*nope\.csv: ENOENT/)]);
  const none = await cli([empty]);
  expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/empty\.csv is empty/)]);
  const bad = await cli([SEED, '--threshold', '3']);
  expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--threshold must be a number from 0 to 1/)]);
  // An output that cannot be written, or that is the input, is bad usage found before Neo4j is started.
  const nowhere = await cli([SEED, '--out', path.join(tmp, 'no-such-folder', 'out.csv')]);
  expect([nowhere.code, nowhere.stderr]).toEqual([2, expect.stringMatching(/Cannot write .*no-such-folder\/out\.csv: ENOENT/)]);
  const copy = path.join(tmp, 'copy.csv');
  fs.copyFileSync(SEED, copy);
  const self = await cli([copy, '--out', copy]);
  expect([self.code, self.stderr]).toEqual([2, expect.stringMatching(/--out .*copy\.csv is the input file/)]);
  expect(fs.readFileSync(copy)).toEqual(fs.readFileSync(SEED));
}, 120_000);
