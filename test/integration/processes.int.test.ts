/**
 * The commands a user runs, as separate processes: `npm start` (server/main.ts) and
 * `npm run ingest` (ingest/cli.ts), against the test run's Neo4j and against an embedded one.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/core/settings';
import { freePort } from '../../server/core/net';
import { Database } from '../../server/core/neo4j/database';
import { externalNeo4jEnv, fingerprint, LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase, testNeo4j } from '../helpers';
import { ingest } from '../../ingest/ingest';

// `node --import tsx` (as the npm scripts do) keeps one process, so a signal reaches the program itself.
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-proc-'));

/** The test run's Neo4j, as a user would configure an external server. */
function externalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return externalNeo4jEnv(extra);
}

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function health(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm start', () => {
  test('loads the bundled demo data into an empty database, answers 503 then 200 on /healthz, stops on SIGTERM', async () => {
    const port = await freePort();
    const start = run('server/main.ts', [], externalEnv({ PORT: String(port) }));
    try {
      // Every answer of /healthz in order, polled often: the demo load takes tens of seconds, so the
      // server must be seen answering 503 (and nothing else) before its first 200.
      const seen: number[] = [];
      const ready = await waitFor('ready', async () => {
        const h = await health(port);
        seen.push(h.status);
        return h.status === 200 ? h.body : undefined;
      }, 180_000, 100);
      const firstOk = seen.indexOf(200);
      expect(seen.slice(0, firstOk).length).toBeGreaterThan(0);
      expect(new Set(seen.slice(0, firstOk))).toEqual(new Set([503]));
      expect(ready).toMatchObject({ status: 'ok', neo4j: { connected: true } });
      // The bundled demo: the OFAC SDN list and the UN list (ingest/demo.ts).
      expect(ready.datasets).toEqual([
        expect.objectContaining({ name: 'ofac-sdn', release: '2024-05-03', entities: 14965 }),
        expect.objectContaining({ name: 'un-sc', release: '2025-11-18', entities: 1000 }),
      ]);
      expect(start.stderr()).toContain('loading the bundled demo data');
      expect(start.stderr()).not.toContain(testNeo4j().password);
    } finally {
      start.child.kill('SIGTERM');
    }
    expect(await start.exit).toBe(0);
  });

  test('a port in use is named in a clear error', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const start = run('server/main.ts', [], externalEnv({ PORT: String(port) }));
      expect(await start.exit).toBe(1);
      expect(start.stderr()).toMatch(new RegExp(`Port ${port} on 127.0.0.1 is in use; set PORT`));
    } finally {
      blocker.close();
    }
  });
});

describe('npm run ingest', () => {
  test('--json prints one JSON line of counts on stdout; --status reports the same', async () => {
    await resetDatabase(db);
    const cli = run('ingest/cli.ts', ['--json', '--release', '2024-05-03', SDN_0503], externalEnv());
    expect(await cli.exit).toBe(0);
    const lines = cli.stdout().trim().split('\n');
    expect(lines.length).toBe(1);
    const summary = JSON.parse(lines[0]);
    expect(summary).toMatchObject({ dataset: 'ofac-sdn', release: '2024-05-03', entities: { total: 14965 }, rejected: [] });
    for (const k of ['aliases', 'addresses', 'links', 'placeholders']) expect(typeof summary[k]).toBe('number');
    expect(summary.identifiers.total).toBe(Object.values(summary.identifiers.byType as Record<string, number>).reduce((a, b) => a + b, 0));

    const status = run('ingest/cli.ts', ['--status', '--json'], externalEnv());
    expect(await status.exit).toBe(0);
    const { datasets } = JSON.parse(status.stdout());
    expect(datasets).toHaveLength(1);
    expect(datasets[0]).toMatchObject({ dataset: 'ofac-sdn', entities: summary.entities, links: summary.links, identifiers: summary.identifiers });
  });

  test('a broken file exits non-zero, names file and line, and changes nothing', async () => {
    const before = await fingerprint(db);
    const text = fs.readFileSync(SDN_0503, 'utf8');
    const cut = path.join(tmp, 'cut', 'sdn.csv');
    fs.mkdirSync(path.dirname(cut), { recursive: true });
    fs.writeFileSync(cut, text.slice(0, text.indexOf('a.k.a.', text.length / 3) + 4));
    const cli = run('ingest/cli.ts', ['--release', '2024-05-10', cut], externalEnv());
    expect(await cli.exit).toBe(1);
    expect(cli.stderr()).toMatch(/Refused: sdn\.csv:\d+: a quoted field is never closed.*Nothing was loaded/);
    expect(await fingerprint(db)).toEqual(before);
  });

  test('a load killed half-way leaves the previous release intact', async () => {
    await resetDatabase(db);
    await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv')], release: '2024-04-26' });
    const before = await fingerprint(db);
    const cli = run('ingest/cli.ts', ['--release', '2024-05-03', SDN_0503], externalEnv());
    // Kill it once it has started writing (its progress lines go to stderr when not on a terminal).
    await waitFor('the write phase', async () => (/^(upsert-parties|clear-facts|programs|identifiers|links|write):/m.test(cli.stderr()) ? true : undefined), 60_000);
    cli.child.kill('SIGKILL');
    await cli.exit;
    // What it wrote stays in the database, hidden: readers see the previous release (once the server has
    // rolled back the batch in flight when the connection dropped).
    await waitFor('readers to see the previous release', async () => {
      const f = await fingerprint(db, { visible: true });
      return f.hash === before.hash ? f : undefined;
    }, 30_000);
    const [{ open }] = await db.runWrite<{ open: number }>("MATCH (l:Load {state: 'open'}) RETURN count(l) AS open");
    expect(open).toBe(1);
    // --status says so; the next load rolls it back first: then nothing of it is left.
    const status = run('ingest/cli.ts', ['--status'], externalEnv());
    expect(await status.exit).toBe(0);
    expect(status.stderr()).toMatch(/Unfinished: the load of ofac-sdn release 2024-05-03 .* ended before committing; readers do not see it, and the next load removes it/);
    await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv')], release: '2024-04-26' });
    expect(await fingerprint(db)).toEqual(before);
  }, 600_000);
});

describe('the embedded Neo4j', () => {
  test('starts with npm start, is adopted after a crash, and stops with its owner', async () => {
    const dataDir = path.join(tmp, 'embedded');
    const port = await freePort();
    const env = { ...process.env, NEO4J_URI: '', DATA_DIR: dataDir, PORT: String(port), NEO4J_BOLT_PORT: String(await freePort()), LOAD_DEMO_DATA: '0', NEO4J_HEAP: '512m', NEO4J_PAGECACHE: '256m' };
    const first = run('server/main.ts', [], env);
    await waitFor('ready', async () => ((await health(port)).status === 200 ? true : undefined), 180_000);
    const record = JSON.parse(fs.readFileSync(path.join(dataDir, 'neo4j', 'run', 'server.json'), 'utf8'));
    // The Neo4j process: run/server.json holds it as { server: { pid, startTime } } (older: { pid }).
    const neo4jPid: number = record.server?.pid ?? record.pid;
    expect(typeof neo4jPid).toBe('number');
    const password = fs.statSync(path.join(dataDir, 'neo4j-password'));
    expect(password.mode & 0o077).toBe(0); // owner-only
    // Crash: the Node process dies without stopping Neo4j.
    first.child.kill('SIGKILL');
    await first.exit;
    process.kill(neo4jPid, 0); // Neo4j still runs
    const second = run('server/main.ts', [], env);
    await waitFor('ready again', async () => ((await health(port)).status === 200 ? true : undefined), 120_000);
    expect(second.stderr()).toContain('Reusing the Neo4j left running by an earlier run');
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(() => process.kill(neo4jPid, 0)).toThrow(); // stopped with its new owner
    expect(fs.existsSync(path.join(dataDir, 'neo4j', 'run', 'server.json'))).toBe(false);
  });

  test('a Bolt port taken by another program is named in a clear error', async () => {
    const blocker = net.createServer();
    const bolt = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const cli = run('ingest/cli.ts', ['--status'], { ...process.env, NEO4J_URI: '', DATA_DIR: path.join(tmp, 'taken'), NEO4J_BOLT_PORT: String(bolt) });
      expect(await cli.exit).toBe(1);
      expect(cli.stderr()).toContain(`Port ${bolt} on 127.0.0.1 is already in use by another program`);
      expect(cli.stderr()).toContain('NEO4J_BOLT_PORT');
    } finally {
      blocker.close();
    }
  });
});
