/**
 * The Neo4j server sanctions-graph starts for itself when NEO4J_URI is unset: a real Neo4j Community
 * server process (Bolt on 127.0.0.1 only), with its store under DATA_DIR/neo4j.
 *
 * A second process with the same DATA_DIR (an ingest while `npm start` runs) attaches to the running
 * server instead of starting another. A server left behind by a crashed run is reused only if it answers;
 * otherwise it is stopped and a fresh one is started (Neo4j recovers its store from the transaction log).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { NEO4J_VERSION, Settings } from '../settings';
import { Neo4jStartError } from '../errors';
import { log } from '../logger';
import { ensureNeo4jRuntime } from './runtime';
import { pidAlive, portFree } from '../net';

export interface Neo4jEndpoint {
  uri: string;
  user: string;
  password: string;
  database: string | undefined;
  /** True when this process started the server and must stop it. */
  owned: boolean;
  /** Stops the server if this process owns it; a no-op otherwise. */
  stop(): Promise<void>;
}

interface ServerRecord {
  pid: number;
  /** The process that started (or adopted) the server and stops it on exit. */
  ownerPid: number;
  boltPort: number;
  home: string;
  startedAt: string;
}

export function neo4jHome(settings: Settings): string {
  return path.join(settings.dataDir, 'neo4j');
}

function paths(settings: Settings) {
  const home = neo4jHome(settings);
  return {
    home,
    conf: path.join(home, 'conf'),
    data: path.join(home, 'data'),
    logs: path.join(home, 'logs'),
    run: path.join(home, 'run'),
    record: path.join(home, 'run', 'server.json'),
    password: path.join(settings.dataDir, 'neo4j-password'),
  };
}

/** The password of the embedded server: generated once, kept under DATA_DIR with owner-only access. */
export function embeddedPassword(settings: Settings): string {
  const p = paths(settings);
  if (fs.existsSync(p.password)) return fs.readFileSync(p.password, 'utf8').trim();
  if (fs.existsSync(path.join(p.data, 'databases', 'system'))) {
    throw new Neo4jStartError(
      `The Neo4j store in ${p.data} exists but its password file ${p.password} is gone. ` +
        `Restore the file, or delete ${p.home} to start over with an empty database.`,
    );
  }
  fs.mkdirSync(settings.dataDir, { recursive: true });
  const password = crypto.randomBytes(24).toString('base64url');
  try {
    // 'wx': two first starts at once (npm start and npm run ingest on an empty DATA_DIR) must agree on one
    // password; the second one reads the first one's file instead of overwriting it.
    fs.writeFileSync(p.password, password + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return fs.readFileSync(p.password, 'utf8').trim();
  }
  return password;
}

function neo4jConf(settings: Settings, pluginsDir: string, importDir: string): string {
  return [
    '# Written by sanctions-graph on every start from its settings; edits here are overwritten.',
    'server.default_listen_address=127.0.0.1',
    'server.default_advertised_address=127.0.0.1',
    `server.bolt.listen_address=127.0.0.1:${settings.boltPort}`,
    `server.bolt.advertised_address=127.0.0.1:${settings.boltPort}`,
    'server.http.enabled=false',
    'server.https.enabled=false',
    'dbms.security.auth_enabled=true',
    `server.memory.heap.initial_size=${settings.neo4jHeap}`,
    `server.memory.heap.max_size=${settings.neo4jHeap}`,
    `server.memory.pagecache.size=${settings.neo4jPageCache}`,
    'dbms.usage_report.enabled=false',
    `server.directories.plugins=${pluginsDir}`,
    // LOAD CSV reads file:/// URLs from here only (the benchmark's LOAD CSV baseline uses it).
    `server.directories.import=${importDir}`,
    'dbms.security.procedures.unrestricted=apoc.*',
    'dbms.security.procedures.allowlist=apoc.*',
    // A ceiling for runaway queries; loads and API queries set their own, shorter or longer, per transaction.
    'db.transaction.timeout=0',
    'db.logs.query.enabled=OFF',
    '',
  ].join('\n');
}

/** True when pid is a Neo4j server of ours for this home folder (guards against pid reuse). */
function isOurServer(pid: number, home: string): boolean {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('CommunityEntryPoint') && cmd.includes(home);
  } catch {
    // Without /proc we cannot prove the pid is ours (it may have been reused): never treat it as ours.
    return false;
  }
}

async function canConnect(uri: string, user: string, password: string, timeoutMs: number): Promise<boolean> {
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password), { connectionTimeout: 3000, maxConnectionPoolSize: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await driver.verifyConnectivity({ database: 'neo4j' });
        return true;
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (code.startsWith('Neo.ClientError.Security')) {
          throw new Neo4jStartError(`The embedded Neo4j refused the stored password (${code}).`);
        }
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await driver.close();
  }
}

async function stopPid(pid: number, graceMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (pidAlive(pid)) {
    log.warn(`Neo4j (pid ${pid}) did not stop within ${graceMs / 1000} s; killing it`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** The record of a running server, or null when there is none or it is unreadable (treated as stale). */
function readRecord(file: string): ServerRecord | null {
  try {
    const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as ServerRecord;
    return Number.isInteger(rec.pid) && Number.isInteger(rec.boltPort) ? rec : null;
  } catch {
    return null;
  }
}

const stopping = new Map<number, Promise<void>>();

/** Stops a server we own (once, however often called) and removes its record. */
function stopServer(pid: number, record: string): Promise<void> {
  let p = stopping.get(pid);
  if (!p) {
    p = (async () => {
      if (pidAlive(pid)) {
        log.info('Stopping Neo4j...');
        await stopPid(pid, 60_000);
      }
      fs.rmSync(record, { force: true });
    })();
    stopping.set(pid, p);
  }
  return p;
}

function errorLines(logsDir: string): string {
  for (const f of ['neo4j.log', 'console.log']) {
    const file = path.join(logsDir, f);
    if (!fs.existsSync(file)) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const errors = lines.filter((l) => /ERROR|Exception|Caused by/.test(l)).slice(-6);
    if (errors.length) return errors.join('\n');
  }
  return '(nothing in the logs)';
}

/**
 * Attaches to the embedded server of this DATA_DIR if one is running and healthy, otherwise starts one.
 */
export async function startEmbeddedNeo4j(settings: Settings): Promise<Neo4jEndpoint> {
  const p = paths(settings);
  for (const d of [p.conf, p.data, p.logs, p.run]) fs.mkdirSync(d, { recursive: true });
  const password = embeddedPassword(settings);
  const user = 'neo4j';

  // 1. A server from an earlier run of this DATA_DIR?
  const earlier = readRecord(p.record);
  if (earlier) {
    const rec = earlier;
    if (pidAlive(rec.pid) && isOurServer(rec.pid, p.home)) {
      const uri = `bolt://127.0.0.1:${rec.boltPort}`;
      if (await canConnect(uri, user, password, 15_000)) {
        if (rec.ownerPid && rec.ownerPid !== process.pid && pidAlive(rec.ownerPid)) {
          log.info(`Using the Neo4j that another process (pid ${rec.ownerPid}) runs for ${settings.dataDir} (bolt port ${rec.boltPort})`);
          return { uri, user, password, database: 'neo4j', owned: false, stop: async () => {} };
        }
        // Its owner is gone (crashed or killed): adopt it, and stop it when we stop.
        log.warn(`Reusing the Neo4j left running by an earlier run (pid ${rec.pid}, bolt port ${rec.boltPort}); it answers normally`);
        fs.writeFileSync(p.record, JSON.stringify({ ...rec, ownerPid: process.pid }));
        return { uri, user, password, database: 'neo4j', owned: true, stop: () => stopServer(rec.pid, p.record) };
      }
      log.warn(`A Neo4j from an earlier run (pid ${rec.pid}) is running but not answering; stopping it and starting afresh`);
      await stopPid(rec.pid, 30_000);
    } else {
      log.warn('The previous Neo4j of this DATA_DIR ended without shutting down; Neo4j will recover its store on start');
    }
    fs.rmSync(p.record, { force: true });
  }

  // 2. Start one.
  if (!(await portFree(settings.boltPort))) {
    throw new Neo4jStartError(
      `Port ${settings.boltPort} on 127.0.0.1 is already in use by another program, so the embedded Neo4j ` +
        'cannot listen there. Set NEO4J_BOLT_PORT to a free port (or stop that program).',
    );
  }
  const runtime = await ensureNeo4jRuntime(settings);
  fs.writeFileSync(path.join(p.conf, 'neo4j.conf'), neo4jConf(settings, runtime.plugins, path.join(p.home, 'import')));
  const env = { ...process.env, NEO4J_HOME: p.home, NEO4J_CONF: p.conf };
  const classPath = `${runtime.plugins}/*:${runtime.lib}/*`;

  if (!fs.existsSync(path.join(p.data, 'databases', 'system'))) {
    // The initial password can only be set before the first start (neo4j-admin dbms set-initial-password).
    const r = spawnSync(settings.javaBin, ['-cp', classPath, 'org.neo4j.cli.AdminTool', 'dbms', 'set-initial-password', password], {
      env,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Neo4jStartError(`Setting the initial Neo4j password failed: ${(r.stderr || r.stdout).slice(0, 500)}`);
  }

  const heap = settings.neo4jHeap;
  const args = [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-XX:-OmitStackTraceInFastThrow',
    '-XX:+DisableExplicitGC',
    '-Djdk.nio.maxCachedBufferSize=1024',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dlog4j2.disable.jmx=true',
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '--enable-native-access=ALL-UNNAMED',
    '-cp',
    classPath,
    'org.neo4j.server.CommunityEntryPoint',
    `--home-dir=${p.home}`,
    `--config-dir=${p.conf}`,
  ];
  const consoleLog = fs.openSync(path.join(p.logs, 'console.log'), 'a');
  log.info(`Starting Neo4j ${NEO4J_VERSION} (bolt 127.0.0.1:${settings.boltPort}, data ${p.data})...`);
  const started = Date.now();
  // Own process group: Ctrl-C reaches us, and we stop Neo4j in order (HTTP first, driver, then Neo4j).
  const child: ChildProcess = spawn(settings.javaBin, args, { env, stdio: ['ignore', consoleLog, consoleLog], detached: true });
  fs.closeSync(consoleLog);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  child.on('error', (err) => {
    log.error(`Could not run ${settings.javaBin}: ${err.message}`);
    exited = -1;
  });
  const rec: ServerRecord = { pid: child.pid!, ownerPid: process.pid, boltPort: settings.boltPort, home: p.home, startedAt: new Date().toISOString() };
  fs.writeFileSync(p.record, JSON.stringify(rec));

  const uri = `bolt://127.0.0.1:${settings.boltPort}`;
  const deadline = Date.now() + settings.neo4jStartTimeoutMs;
  let ready = false;
  try {
    while (!ready && exited === undefined && Date.now() < deadline) {
      ready = await canConnect(uri, user, password, 1000);
    }
  } catch (err) {
    // e.g. the password was refused: do not leave the server we just started behind.
    await stopPid(child.pid!, 10_000);
    fs.rmSync(p.record, { force: true });
    throw err;
  }
  if (!ready) {
    const why =
      exited !== undefined
        ? `Neo4j exited during start-up (exit code ${exited})`
        : `Neo4j did not accept connections within ${settings.neo4jStartTimeoutMs / 1000} s (NEO4J_START_TIMEOUT)`;
    if (exited === undefined) await stopPid(child.pid!, 10_000);
    fs.rmSync(p.record, { force: true });
    throw new Neo4jStartError(`${why}. Logs: ${p.logs}\n${errorLines(p.logs)}`);
  }
  log.info(`Neo4j ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return { uri, user, password, database: 'neo4j', owned: true, stop: () => stopServer(child.pid!, p.record) };
}

/**
 * Stops the embedded server recorded for this DATA_DIR, if one runs (e.g. left by an interrupted test
 * run), before its folder is reused or removed.
 */
export async function stopRecordedNeo4j(settings: Settings): Promise<boolean> {
  const p = paths(settings);
  const rec = readRecord(p.record);
  if (!rec) return false;
  fs.rmSync(p.record, { force: true });
  if (!pidAlive(rec.pid) || !isOurServer(rec.pid, p.home)) return false;
  await stopPid(rec.pid, 30_000);
  return true;
}

/** The endpoint from settings: the external server of NEO4J_URI, or the embedded one. */
export async function connectNeo4j(settings: Settings): Promise<Neo4jEndpoint> {
  if (settings.neo4jUri) {
    return {
      uri: settings.neo4jUri,
      user: settings.neo4jUser,
      password: settings.neo4jPassword!,
      database: settings.neo4jDatabase,
      owned: false,
      stop: async () => {},
    };
  }
  return startEmbeddedNeo4j(settings);
}
