/**
 * The embedded Neo4j under `npm start` (server/main.ts), each test with its own DATA_DIR, ports and
 * Neo4j: killed after start-up, it is restarted by the server, which answers 503 meanwhile and then
 * serves again by itself; every way the Node process ends (SIGTERM, an uncaught exception, SIGKILL)
 * leaves no Neo4j of that DATA_DIR running.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/core/settings';
import { freePort } from '../../server/core/net';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-supervise-'));
afterAll(() => {
  for (const home of started) for (const pid of javaOf(home)) process.kill(pid, 'SIGKILL'); // only if a test failed
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Neo4j homes of this file, to clean up after a failed test. */
const started: string[] = [];

interface App {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
  port: number;
  home: string;
  dataDir: string;
}

async function startApp(name: string, extraEnv: Record<string, string> = {}, preload: string[] = []): Promise<App> {
  const dataDir = path.join(tmp, name);
  const port = await freePort();
  const env = {
    ...process.env,
    NEO4J_URI: '',
    DATA_DIR: dataDir,
    PORT: String(port),
    NEO4J_BOLT_PORT: String(await freePort()),
    LOAD_DEMO_DATA: '0',
    NEO4J_HEAP: '512m',
    NEO4J_PAGECACHE: '128m',
    ...extraEnv,
  };
  const args = ['--import', 'tsx', ...preload.flatMap((p) => ['--import', p]), 'server/main.ts'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const home = path.join(dataDir, 'neo4j');
  started.push(home);
  return { child, stderr: () => err, exit, port, home, dataDir };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve()
      .then(fn)
      .catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function health(app: App): Promise<{ status: number; body: { status?: string; reason?: string } }> {
  // A probe that hangs must not use up the whole wait (the server answers /healthz within 3 s).
  const res = await fetch(`http://127.0.0.1:${app.port}/healthz`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as { status?: string; reason?: string } };
}

async function datasets(app: App): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${app.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query":"{ datasets { name } }"}',
  });
  return { status: res.status, body: await res.json() };
}

const ready = (app: App, timeoutMs = 180_000) => waitFor('/healthz 200', async () => ((await health(app)).status === 200 ? true : undefined), timeoutMs);

/** Pids of the Java processes whose command line names this Neo4j home (any java of that DATA_DIR). */
function javaOf(home: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const state = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state !== 'Z' && cmd.includes(`--home-dir=${home}`)) pids.push(Number(entry));
    } catch {
      /* ended meanwhile */
    }
  }
  return pids;
}

function recordedServerPid(app: App): number {
  return JSON.parse(fs.readFileSync(path.join(app.home, 'run', 'server.json'), 'utf8')).server.pid;
}

test('a Neo4j killed after start-up is restarted: /healthz 503 meanwhile, then 200 and GraphQL again by itself', async () => {
  const app = await startApp('killed');
  try {
    await ready(app);
    expect(await datasets(app)).toEqual({ status: 200, body: { data: { datasets: [] } } });
    const first = recordedServerPid(app);
    expect(javaOf(app.home)).toEqual([first]);

    process.kill(first, 'SIGKILL');
    // A request may meet the dead connection first (503, SERVICE_UNAVAILABLE); then the supervisor says why.
    const down = await waitFor('/healthz 503 with the restart as its reason', async () => {
      const h = await health(app);
      return h.status === 503 && h.body.status === 'starting' ? h : undefined;
    }, 30_000, 50);
    expect(down.body.reason).toMatch(/^Neo4j stopped unexpectedly \(killed by SIGKILL\); restarting it$/);
    const during = await datasets(app);
    expect(during.status).toBe(503);

    await ready(app);
    expect(await datasets(app)).toEqual({ status: 200, body: { data: { datasets: [] } } });
    const second = recordedServerPid(app);
    expect(second).not.toBe(first);
    expect(javaOf(app.home)).toEqual([second]);
    expect(app.stderr()).toContain('Neo4j is back: serving again');

    app.child.kill('SIGTERM');
    expect(await app.exit).toBe(0);
    expect(javaOf(app.home)).toEqual([]);
    expect(fs.existsSync(path.join(app.home, 'run', 'server.json'))).toBe(false);
  } finally {
    app.child.kill('SIGKILL');
  }
});

test('an uncaught exception in Node is logged and Neo4j is stopped before the process exits', async () => {
  const app = await startApp('uncaught', {}, ['./test/integration/inject-uncaught.ts']);
  try {
    await ready(app);
    expect(javaOf(app.home)).toHaveLength(1);
    app.child.kill('SIGUSR2');
    expect(await app.exit).toBe(1);
    expect(app.stderr()).toContain('Uncaught exception: Error: injected by the test');
    expect(app.stderr()).toContain('Stopping Neo4j...');
    expect(javaOf(app.home)).toEqual([]);
  } finally {
    app.child.kill('SIGKILL');
  }
});

test('SIGHUP stops Neo4j too', async () => {
  const app = await startApp('hangup');
  try {
    await ready(app);
    expect(javaOf(app.home)).toHaveLength(1);
    app.child.kill('SIGHUP');
    expect(await app.exit).toBe(0);
    expect(javaOf(app.home)).toEqual([]);
  } finally {
    app.child.kill('SIGKILL');
  }
});

test('a SIGKILLed Node leaves Neo4j for the next start to adopt, and its watchdog stops it when nobody does', async () => {
  const app = await startApp('orphan', { NEO4J_ORPHAN_GRACE: '3' });
  await ready(app);
  expect(javaOf(app.home)).toEqual([recordedServerPid(app)]);
  app.child.kill('SIGKILL');
  await app.exit;
  // Left for NEO4J_ORPHAN_GRACE to be adopted by the next start (processes.int.test.ts adopts one); then
  // the watchdog stops it, and removes its record.
  const record = path.join(app.home, 'run', 'server.json');
  // At worst: the grace, a 60 s graceful stop, then SIGKILL; a failure shows what the watchdog saw.
  await waitFor('the orphaned Neo4j to stop', () => (javaOf(app.home).length === 0 && !fs.existsSync(record) ? true : undefined), 120_000, 500).catch((err: Error) => {
    const log = fs.existsSync(path.join(app.home, 'logs', 'watchdog.log')) ? fs.readFileSync(path.join(app.home, 'logs', 'watchdog.log'), 'utf8') : '(no watchdog.log)';
    throw new Error(`${err.message}; java: ${JSON.stringify(javaOf(app.home))}, record: ${fs.existsSync(record)}, watchdog.log:\n${log}\nserver stderr:\n${app.stderr().slice(-2000)}`);
  });
  expect(fs.readFileSync(path.join(app.home, 'logs', 'watchdog.log'), 'utf8')).toMatch(/nobody adopted the server within 3 s: stopping it/);
});
