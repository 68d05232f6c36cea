/**
 * The server under load for bench/load.ts: the real `node --import tsx server/main.ts` as a child process
 * with its own DATA_DIR, HTTP port and Bolt port, so the load bench never touches the dev or test store.
 * The first start loads the bundled demo data (about a minute); later starts reuse the store.
 *
 * stop() ends it whatever state it is in: SIGTERM (main.ts stops its Neo4j), SIGKILL if it has not exited
 * in time, then the Neo4j recorded for the DATA_DIR if one is still running (stopRecordedNeo4j proves
 * the process is ours before it signals it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadSettings, REPO_ROOT } from '../server/core/settings';
import { neo4jHome, stopRecordedNeo4j } from '../server/core/neo4j/embedded';
import { freePort, isSameProcess, type ProcessIdentity } from '../server/core/net';

export interface LoadServer {
  /** http://127.0.0.1:<port> */
  url: string;
  pid: number;
  /** The embedded Neo4j's pid, from the server's record in DATA_DIR (null when it cannot be proved ours). */
  neo4jPid(): number | null;
  /** Where the server's stdout and stderr go. */
  logFile: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts the server and waits until /healthz answers 200 (Neo4j up, demo data loaded).
 * `env` is added to this process's environment (keys, limits).
 */
export async function startServer(opts: {
  dataDir: string;
  env: Record<string, string>;
  fresh: boolean;
  startTimeoutMs: number;
  /** Called with stop() as soon as the process is spawned, so that a signal during start-up can end it. */
  onSpawn?: (stop: () => Promise<void>) => void;
}): Promise<LoadServer> {
  const port = await freePort();
  const boltPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: opts.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    NEO4J_BOLT_PORT: String(boltPort),
    NEO4J_URI: '',
    LOAD_DEMO_DATA: '1',
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    ...opts.env,
  };
  const settings = loadSettings(env);
  if (opts.fresh) {
    await stopRecordedNeo4j(settings);
    fs.rmSync(opts.dataDir, { recursive: true, force: true });
  }
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(opts.dataDir, 'bench-load-server.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited: number | string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal ?? 'unknown';
      resolve();
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      // main.ts gives Neo4j a minute to stop cleanly, then exits anyway.
      await Promise.race([exit, sleep(100_000)]);
      if (exited === null) {
        child.kill('SIGKILL');
        await Promise.race([exit, sleep(5_000)]);
      }
    }
    await stopRecordedNeo4j(settings).catch(() => false);
  };

  opts.onSpawn?.(stop);

  const record = path.join(neo4jHome(settings), 'run', 'server.json');
  const neo4jPid = (): number | null => {
    try {
      const rec = JSON.parse(fs.readFileSync(record, 'utf8')) as { server?: ProcessIdentity };
      return rec.server && isSameProcess(rec.server, [neo4jHome(settings)]) ? rec.server.pid : null;
    } catch {
      return null;
    }
  };

  const deadline = Date.now() + opts.startTimeoutMs;
  try {
    for (;;) {
      if (exited !== null) throw new Error(`the server exited (${exited}) before it was ready; its log (${logFile}) ends:\n${tail(logFile)}`);
      if (Date.now() > deadline) throw new Error(`the server was not ready within ${opts.startTimeoutMs / 1000} s; its log (${logFile}) ends:\n${tail(logFile)}`);
      const status = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
        async (r) => (await r.arrayBuffer(), r.status),
        () => 0,
      );
      if (status === 200) break;
      await sleep(1_000);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid: child.pid!, neo4jPid, logFile, stop };
}

/** Resident memory of a process in MiB (VmRSS of /proc/<pid>/status), or null when it cannot be read. */
export function rssMiB(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
