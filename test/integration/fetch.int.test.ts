/**
 * `npm run ingest -- --fetch <source>` as a user runs it (a separate process), against the test run's
 * Neo4j and a local HTTP server that stands in for the publishers (FETCH_BASE_URL), serving the real
 * sample files of ../shared/data/sanctions, and misbehaving: a connection dropped half-way after
 * Content-Length, HTTP errors, one bad file among four. Whatever fails, nothing is loaded.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/core/settings';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { allSummaries, DatasetSummary } from '../../ingest/summary';
import { externalNeo4jEnv, fingerprint, LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';
import { Route, startServer, TestServer } from '../fetch-server';

const SDN_2021 = path.join(SHARED, 'ofac-sdn-csv-2021-07-07');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');
const ZALA = path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json');

/** What the publishers serve when all is well. */
const GOOD: Record<string, Route> = {
  '/ofac/SDN.CSV': { file: path.join(SDN_2021, 'sdn.csv'), lastModified: 'Wed, 07 Jul 2021 19:12:00 GMT' },
  '/ofac/ADD.CSV': { file: path.join(SDN_2021, 'add.csv'), lastModified: 'Wed, 07 Jul 2021 19:12:00 GMT' },
  '/ofac/ALT.CSV': { file: path.join(SDN_2021, 'alt.csv'), lastModified: 'Wed, 07 Jul 2021 19:12:00 GMT' },
  '/ofac/SDN_COMMENTS.CSV': { file: path.join(SDN_2021, 'sdn_comments.csv'), lastModified: 'Wed, 07 Jul 2021 19:12:00 GMT' },
  // A Last-Modified two days after the date inside: the date inside wins.
  '/un/consolidated.xml': { file: UN, lastModified: 'Thu, 20 Nov 2025 08:00:00 GMT' },
  '/opensanctions/zala/entities.ftm.json': { file: ZALA, lastModified: 'Mon, 27 May 2024 19:47:02 GMT', chunked: true },
};

const GOOD_FILES: Record<string, number> = { 'ofac-sdn-csv': 4, un: 1, 'opensanctions:zala': 1 };

let server: TestServer;
let db: Database;
const fetchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-fetch-int-'));

function serve(overrides: Record<string, Route> = {}): void {
  for (const k of Object.keys(server.routes)) delete server.routes[k];
  Object.assign(server.routes, GOOD, overrides);
  server.hits.clear();
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return externalNeo4jEnv({ FETCH_BASE_URL: server.url, FETCH_DIR: fetchDir, ...extra });
}

/** Commands still running; a test that fails or times out must not leave one writing into the next test. */
const running = new Set<ChildProcess>();

/** `npm run ingest -- ARGS`, to its exit. */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', ...args], { cwd: REPO_ROOT, env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** The line `ingest --fetch --json` prints. */
type Fetched = DatasetSummary & { download: { folder: string; releaseFrom: string; files: { url: string; file: string; bytes: number }[] } };

/** What two loads of the same files must agree on (the file names differ: SDN.CSV vs sdn.csv). */
function counts(s: DatasetSummary) {
  return {
    dataset: s.dataset,
    release: s.release,
    entities: s.entities,
    aliases: s.aliases,
    addresses: s.addresses,
    identifiers: s.identifiers,
    links: s.links,
    placeholders: s.placeholders,
    rejected: s.rejected.length,
  };
}

const folders = () => fs.readdirSync(fetchDir).sort();

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  server = await startServer({});
});
afterEach(async () => {
  for (const child of running) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
});
afterAll(async () => {
  await server?.close();
  await db.close();
  fs.rmSync(fetchDir, { recursive: true, force: true });
});

describe('ingest --fetch', () => {
  test('three sources download and load with the same counts as the same files loaded from disk', async () => {
    serve();
    await resetDatabase(db);
    const fetched: Record<string, Fetched> = {};
    for (const source of ['ofac-sdn-csv', 'un', 'opensanctions:zala']) {
      const r = await cli(['--fetch', source, '--json']);
      expect({ source, code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ source, code: 0, stderr: '' });
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      fetched[source] = JSON.parse(lines[0]) as Fetched;
      expect(r.stderr).toContain(`Downloaded ${GOOD_FILES[source]} file(s) of ${source}, all complete, into ${fetchDir}/`);
    }

    // Release dates: from Last-Modified (in Washington) for OFAC's CSV, from inside the file for the UN.
    expect(counts(fetched['ofac-sdn-csv'])).toMatchObject({ dataset: 'ofac-sdn', release: '2021-07-07', entities: { total: 8976 } });
    expect(fetched['ofac-sdn-csv'].download.releaseFrom).toContain('Last-Modified date of SDN.CSV');
    expect(fetched['ofac-sdn-csv'].download.files.map((f) => [f.url, f.bytes])).toEqual(
      ['sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv'].map((f) => [`${server.url}ofac/${f.toUpperCase()}`, fs.statSync(path.join(SDN_2021, f)).size]),
    );
    expect(counts(fetched.un)).toMatchObject({ dataset: 'un-sc', release: '2025-11-18', entities: { total: 1000 } });
    expect(fetched.un.download.releaseFrom).toBe('the file itself');
    expect(fetched['opensanctions:zala'].release).toBe('2024-05-27');
    // The downloads are kept, each in its own folder, with a record of where they came from.
    for (const f of Object.values(fetched)) {
      expect(fs.existsSync(path.join(f.download.folder, 'FETCHED.md'))).toBe(true);
      expect(fs.readdirSync(f.download.folder).some((n) => n.endsWith('.part'))).toBe(false);
    }
    expect(folders()).toHaveLength(3);

    // The same files from disk, in the same order, into an empty database.
    await resetDatabase(db);
    await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_2021] });
    await ingest(db, { ...LOAD_DEFAULTS, paths: [UN] });
    await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], release: '2024-05-27' });
    const fromDisk = Object.fromEntries((await allSummaries(db)).map((s) => [s.dataset, counts(s)]));
    expect(fromDisk['ofac-sdn']).toEqual(counts(fetched['ofac-sdn-csv']));
    expect(fromDisk['un-sc']).toEqual(counts(fetched.un));
    expect(fromDisk[fetched['opensanctions:zala'].dataset]).toEqual(counts(fetched['opensanctions:zala']));
  }, 600_000);

  test('a server that drops the connection half-way: a clear error naming the URL, nothing loaded, nothing kept', async () => {
    const size = fs.statSync(SDN_0503).size;
    serve({ '/ofac/SDN.CSV': { file: SDN_0503, dropAfter: Math.floor(size / 2) } });
    const before = await fingerprint(db);
    const had = folders();
    const r = await cli(['--fetch', 'ofac-sdn-csv', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    // How many of the bytes sent before the reset reach the client varies; that they are short does not.
    const failed = new RegExp(`Download failed: ${server.url}ofac/SDN\\.CSV: the connection broke off after ([\\d,]+) of 3,909,739 bytes`).exec(r.stderr);
    expect(failed).not.toBeNull();
    expect(Number(failed![1].replace(/,/g, ''))).toBeLessThanOrEqual(Math.floor(size / 2));
    expect(size).toBe(3_909_739);
    expect(r.stderr).toMatch(/\(tried 3 times\)\. Nothing was loaded; the database is as it was, and no partial files were kept\./);
    expect(server.hits.get('/ofac/SDN.CSV')).toBe(3); // retried twice (FETCH_RETRIES default)
    expect(server.hits.get('/ofac/ADD.CSV')).toBeUndefined();
    expect(await fingerprint(db)).toEqual(before);
    expect(folders()).toEqual(had);
  });

  test('HTTP 404 and 500: a clear error, nothing loaded', async () => {
    const before = await fingerprint(db);
    const had = folders();
    serve({ '/un/consolidated.xml': { status: 404 } });
    const notFound = await cli(['--fetch', 'un']);
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toContain(`Download failed: ${server.url}un/consolidated.xml: HTTP 404 Not Found. Nothing was loaded`);
    expect(server.hits.get('/un/consolidated.xml')).toBe(1); // not worth retrying

    serve({ '/opensanctions/zala/entities.ftm.json': { status: 500 } });
    const broken = await cli(['--fetch', 'opensanctions:zala'], { FETCH_RETRIES: '1' });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${server.url}opensanctions/zala/entities.ftm.json: HTTP 500 Internal Server Error; trying again in 1 s (attempt 2 of 2)`);
    expect(broken.stderr).toContain(`Download failed: ${server.url}opensanctions/zala/entities.ftm.json: HTTP 500 Internal Server Error (tried 2 times). Nothing was loaded`);
    expect(await fingerprint(db)).toEqual(before);
    expect(folders()).toEqual(had);
  });

  test('one file of a four-file source fails after the others arrived: nothing loaded, nothing kept', async () => {
    const before = await fingerprint(db);
    const had = folders();
    const alt = path.join(SDN_2021, 'alt.csv');
    serve({ '/ofac/ALT.CSV': { file: alt, dropAfter: 1000 } });
    const r = await cli(['--fetch', 'ofac-sdn-csv'], { FETCH_RETRIES: '0' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`Download failed: ${server.url}ofac/ALT\\.CSV: the connection broke off after [\\d,]+ of ${new Intl.NumberFormat('en-US').format(fs.statSync(alt).size)} bytes`));
    expect(server.hits.get('/ofac/SDN.CSV')).toBe(1);
    expect(server.hits.get('/ofac/ADD.CSV')).toBe(1);
    expect(server.hits.get('/ofac/SDN_COMMENTS.CSV')).toBeUndefined();
    expect(await fingerprint(db)).toEqual(before);
    expect(folders()).toEqual(had);
  });

  test('an unknown source lists the known ones; no internet says so and points to loading from disk; --fetch list', async () => {
    const unknown = await cli(['--fetch', 'ofac-sdn']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--fetch: unknown source "ofac-sdn"; known sources: ofac-sdn-csv, ofac-sdn-enhanced,');
    expect(unknown.stderr).toContain('un, opensanctions:<dataset> (see --fetch list)');

    // .invalid never resolves (RFC 2606): what a machine without internet sees.
    const offline = await cli(['--fetch', 'ofac-sdn-csv'], { FETCH_OFAC_URL: 'https://sanctionslistservice.invalid/exports/' });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain('Download failed: https://sanctionslistservice.invalid/exports/SDN.CSV: cannot reach sanctionslistservice.invalid: the host name could not be resolved (ENOTFOUND)');
    expect(offline.stderr).toContain('This machine seems to have no internet access');
    expect(offline.stderr).toContain('load them from disk: npm run ingest -- <folder> --release YYYY-MM-DD');

    const list = await cli(['--fetch', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${server.url}ofac/SDN_ENHANCED.XML`);
    expect(list.stdout).toContain(`${server.url}opensanctions/<dataset>/entities.ftm.json`);
    expect(list.stdout).toContain('instead of https://scsanctions.un.org/resources/xml/en/');

    const help = await cli(['--help']);
    expect(help.stdout).toContain('--fetch <source>');
    expect(help.stdout).toContain('FETCH_BASE_URL');
  });
});
