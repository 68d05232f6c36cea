/**
 * The Neo4j server sanctions-graph starts for itself when NEO4J_URI is unset: a real Neo4j Community
 * server process (Bolt on 127.0.0.1 only), with its store under DATA_DIR/neo4j.
 *
 * A second process with the same DATA_DIR (an ingest while `npm start` runs) attaches to the running
 * server instead of starting another. A server left behind by a crashed run is reused only if it answers;
 * otherwise it is stopped and a fresh one is started (Neo4j recovers its store from the transaction log).
 *
 * Whether a recorded process is still the one we started is decided in one place (net.ts isSameProcess:
 * pid, start time and command line), before it is adopted or signalled. The process that owns the server
 * stops it on every way out it runs code on (stop(), process exit, uncaught errors after the program's
 * own handlers); a small watchdog process (watchdog.ts) stops it when the owner is killed outright and
 * nobody adopts it within NEO4J_ORPHAN_GRACE.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { NEO4J_VERSION, REPO_ROOT, Settings, sizeBytes } from '../settings';
import { Neo4jStartError } from '../errors';
import { log } from '../logger';
import { ensureNeo4jRuntime } from './runtime';
import { isSameProcess, pidAlive, portFree, processIdentity, ProcessIdentity } from '../net';
import type { WatchdogArgs } from './watchdog';

export interface Neo4jEndpoint {
  uri: string;
  user: string;
  password: string;
  database: string | undefined;
  /** True when this process started (or adopted) the server and must stop it. */
  owned: boolean;
  /** Stops the server if this process owns it; a no-op otherwise. */
  stop(): Promise<void>;
  /**
   * For an embedded server: settles with a description ("killed by SIGKILL") when the server process
   * ends without stop() having been called here, whoever owns it. Null for an external server (NEO4J_URI).
   */
  exited: Promise<string> | null;
}

/** run/server.json: the server of a DATA_DIR and the process that owns (stops) it. */
interface ServerRecord {
  server: ProcessIdentity;
  /** The process that started (or adopted) the server and stops it on exit. */
  owner: ProcessIdentity;
  boltPort: number;
  home: string;
  startedAt: string;
}

/** The Java entry point of the server: with the home folder, what its command line must show to be ours. */
const ENTRY_POINT = 'org.neo4j.server.CommunityEntryPoint';

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
    /** Deliberately empty: no plugin procedures are loaded (nothing calls one). */
    plugins: path.join(home, 'plugins'),
    import: path.join(home, 'import'),
    record: path.join(home, 'run', 'server.json'),
    password: path.join(settings.dataDir, 'neo4j-password'),
  };
}

/** The server's command line shows our entry point and this home folder. */
function serverCmdline(home: string): string[] {
  return [ENTRY_POINT, `--home-dir=${home}`];
}

/**
 * DATA_DIR holds the store and the password: created owner-only (0700), and made so if it exists with
 * wider access (a folder made by hand, or by an older version).
 */
export function ensureDataDir(settings: Settings): void {
  const dir = settings.dataDir;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  if (st.mode & 0o077 && (!process.getuid || st.uid === process.getuid())) {
    log.warn(`DATA_DIR ${dir} was open to other users (mode ${(st.mode & 0o777).toString(8)}); made it owner-only (700)`);
    fs.chmodSync(dir, 0o700);
  }
}

/**
 * Reads the password file only after checking it: a regular file (not a link), owned by this user, and
 * not readable or writable by anyone else. Checked on the opened file, so it cannot change in between.
 */
function readPasswordFile(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new Neo4jStartError(`The Neo4j password file ${file} is a symbolic link; refusing to read it. Replace it with the file itself (mode 600).`);
    }
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Neo4jStartError(`The Neo4j password file ${file} is not a regular file; refusing to read it.`);
    if (process.getuid && st.uid !== process.getuid()) {
      throw new Neo4jStartError(
        `The Neo4j password file ${file} belongs to user id ${st.uid}, not to this user (${process.getuid()}); refusing to read it. ` +
          'Run sanctions-graph as the user that owns DATA_DIR.',
      );
    }
    if (st.mode & 0o077) {
      throw new Neo4jStartError(
        `The Neo4j password file ${file} is open to other users (mode ${(st.mode & 0o777).toString(8)}); refusing to read it. ` +
          `Make it owner-only (chmod 600 ${file}); consider changing the password if others could have read it.`,
      );
    }
    return fs.readFileSync(fd, 'utf8').trim();
  } finally {
    fs.closeSync(fd);
  }
}

/** The password of the embedded server: generated once, kept under DATA_DIR with owner-only access. */
export function embeddedPassword(settings: Settings): string {
  const p = paths(settings);
  ensureDataDir(settings);
  if (fs.existsSync(p.password)) return readPasswordFile(p.password);
  if (fs.existsSync(path.join(p.data, 'databases', 'system'))) {
    throw new Neo4jStartError(
      `The Neo4j store in ${p.data} exists but its password file ${p.password} is gone. ` +
        `Restore the file, or delete ${p.home} to start over with an empty database.`,
    );
  }
  // A letter first: base64url may begin with '-', and neo4j-admin's `set-initial-password -x...` then
  // reads the password as an option ("Missing required parameter: '<password>'"; 1 start in 64).
  const password = `p${crypto.randomBytes(24).toString('base64url').slice(1)}`;
  try {
    // 'wx': two first starts at once (npm start and npm run ingest on an empty DATA_DIR) must agree on one
    // password; the second one reads the first one's file instead of overwriting it.
    fs.writeFileSync(p.password, password + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readPasswordFile(p.password);
  }
  return password;
}

const MB = 1024 ** 2;

/** The neo4j.conf of the embedded server, written on every start from the settings. */
export function neo4jConf(settings: Settings, dirs: { plugins: string; import: string }): string {
  const txMax = sizeBytes(settings.neo4jTxMemory);
  // All transactions together: three quarters of the heap (the rest is Neo4j's own), never below one's cap.
  const txTotal = Math.max(txMax, Math.floor((sizeBytes(settings.neo4jHeap) * 0.75) / MB) * MB);
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
    // Memory caps: one transaction (a runaway query or an oversized load fails alone, with
    // Neo.TransientError.General.TransactionMemoryLimit, and is rolled back) and all of them together,
    // so that the heap is never exhausted by queries.
    `db.memory.transaction.max=${Math.floor(txMax / MB)}m`,
    `dbms.memory.transaction.total.max=${Math.floor(txTotal / MB)}m`,
    // Every transaction ends: this bounds those that set no timeout of their own (schema, maintenance,
    // anything run by hand); API reads set QUERY_TIMEOUT and loads INGEST_TX_TIMEOUT per transaction.
    `db.transaction.timeout=${Math.round(settings.ingestTxTimeoutMs / 1000)}s`,
    'dbms.usage_report.enabled=false',
    // No plugins: an empty folder, and no procedure is allowed beyond Neo4j's built-in ones.
    `server.directories.plugins=${dirs.plugins}`,
    // LOAD CSV reads file:/// URLs from here only (the benchmark's LOAD CSV baseline uses it).
    `server.directories.import=${dirs.import}`,
    'db.logs.query.enabled=OFF',
    '',
  ].join('\n');
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

/** Stops a server proven ours: SIGTERM (Neo4j shuts down cleanly), SIGKILL after graceMs. */
async function stopProcess(server: ProcessIdentity, home: string, graceMs: number): Promise<void> {
  const ours = () => isSameProcess(server, serverCmdline(home));
  if (!ours()) return;
  try {
    process.kill(server.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (ours() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (ours()) {
    log.warn(`Neo4j (pid ${server.pid}) did not stop within ${graceMs / 1000} s; killing it`);
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  // Ended, but an orphan's pid lingers until init reaps it: wait briefly, so that when we return the pid
  // is gone for everyone (ps, kill -0), not only for isSameProcess.
  const reapDeadline = Date.now() + 5000;
  while (pidAlive(server.pid) && !ours() && Date.now() < reapDeadline) await new Promise((r) => setTimeout(r, 50));
}

/** The record of a running server, or null when there is none or it is unreadable (treated as stale). */
function readRecord(file: string): ServerRecord | null {
  try {
    const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as ServerRecord;
    return Number.isInteger(rec.server?.pid) && Number.isInteger(rec.boltPort) ? rec : null;
  } catch {
    return null;
  }
}

function writeRecord(file: string, rec: ServerRecord): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(rec), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The servers this process owns or owned (pid -> identity, and whether it stopped them on purpose). */
const owned = new Map<number, { server: ProcessIdentity; home: string; stopped: boolean; stopping?: Promise<void> }>();

let exitHookInstalled = false;

/**
 * Last resort when the process ends with a server still owned (process.exit without stop(), an uncaught
 * error): SIGTERM, from which Neo4j shuts down cleanly by itself. Nothing can be awaited in 'exit'.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const o of owned.values()) {
      if (o.stopped || !isSameProcess(o.server, serverCmdline(o.home))) continue;
      try {
        process.kill(o.server.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
  });
}

/** Stops a server we own (once, however often called) and removes its record. */
function stopOwned(server: ProcessIdentity, home: string, record: string): Promise<void> {
  const o = owned.get(server.pid) ?? { server, home, stopped: false };
  owned.set(server.pid, o);
  o.stopped = true;
  o.stopping ??= (async () => {
    if (isSameProcess(server, serverCmdline(home))) {
      log.info('Stopping Neo4j...');
      await stopProcess(server, home, 60_000);
    }
    if (readRecord(record)?.server.pid === server.pid) fs.rmSync(record, { force: true });
  })();
  return o.stopping;
}

/**
 * Starts the watchdog (watchdog.ts) of a server this process owns: it stops the server if this process
 * is killed and nobody adopts the server within NEO4J_ORPHAN_GRACE. It never keeps this process alive.
 */
function startWatchdog(settings: Settings, server: ProcessIdentity, home: string, record: string): void {
  const me = processIdentity(process.pid);
  if (!me) return; // no way to prove identities here (no /proc, no ps): the next start checks instead
  const args: WatchdogArgs = { server, cmdlineHas: serverCmdline(home), owner: me, record, graceMs: settings.neo4jOrphanGraceMs };
  const logFile = fs.openSync(path.join(home, 'logs', 'watchdog.log'), 'a');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'watchdog.ts'), JSON.stringify(args)], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'ignore', logFile],
      // Its own process group: a Ctrl-C in the terminal reaches this process, which stops Neo4j itself.
      detached: true,
    });
    child.on('error', (err) => log.warn(`The Neo4j watchdog could not be started (${err.message}); a killed run may leave Neo4j running until the next start`));
    child.on('exit', (code, signal) => {
      if (code !== 0) log.warn(`The Neo4j watchdog ended (${describeExit(code, signal)}; see ${path.join(home, 'logs', 'watchdog.log')}); a killed run may leave Neo4j running until the next start`);
    });
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
  } finally {
    fs.closeSync(logFile);
  }
}

/** Takes ownership of a server: the exit hook and the watchdog stop it if this process goes away. */
function own(settings: Settings, server: ProcessIdentity, home: string, record: string): void {
  owned.set(server.pid, { server, home, stopped: false });
  installExitHook();
  startWatchdog(settings, server, home, record);
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** Settles when a server that is not our child process ends (polled), unless this process stopped it. */
function watchGone(server: ProcessIdentity, home: string): Promise<string> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (isSameProcess(server, serverCmdline(home))) return;
      clearInterval(timer);
      if (!owned.get(server.pid)?.stopped) resolve('the process ended');
    }, 1000);
    timer.unref();
  });
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
 * Sets the initial password of a new store. neo4j-admin takes it as an argument; it goes through an
 * owner-only argument file (picocli's @file), so that it never appears on a command line (ps, /proc).
 */
function setInitialPassword(settings: Settings, classPath: string, env: NodeJS.ProcessEnv, runDir: string, password: string): void {
  const argFile = path.join(runDir, 'initial-password.args');
  fs.rmSync(argFile, { force: true });
  const quoted = `"${password.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  fs.writeFileSync(argFile, `dbms\nset-initial-password\n${quoted}\n`, { mode: 0o600, flag: 'wx' });
  try {
    const r = spawnSync(settings.javaBin, ['-cp', classPath, 'org.neo4j.cli.AdminTool', `@${argFile}`], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Neo4jStartError(`Setting the initial Neo4j password failed: ${(r.stderr || r.stdout).slice(0, 500)}`);
  } finally {
    fs.rmSync(argFile, { force: true });
  }
}

/**
 * Attaches to the embedded server of this DATA_DIR if one is running and healthy, otherwise starts one.
 */
export async function startEmbeddedNeo4j(settings: Settings): Promise<Neo4jEndpoint> {
  const p = paths(settings);
  ensureDataDir(settings);
  for (const d of [p.conf, p.data, p.logs, p.run, p.plugins, p.import]) fs.mkdirSync(d, { recursive: true });
  const password = embeddedPassword(settings);
  const user = 'neo4j';

  // 1. A server from an earlier run of this DATA_DIR?
  const earlier = readRecord(p.record);
  if (earlier) {
    const rec = earlier;
    if (isSameProcess(rec.server, serverCmdline(p.home))) {
      const uri = `bolt://127.0.0.1:${rec.boltPort}`;
      if (await canConnect(uri, user, password, 15_000)) {
        if (rec.owner.pid !== process.pid && isSameProcess(rec.owner)) {
          log.info(`Using the Neo4j that another process (pid ${rec.owner.pid}) runs for ${settings.dataDir} (bolt port ${rec.boltPort})`);
          return { uri, user, password, database: 'neo4j', owned: false, stop: async () => {}, exited: watchGone(rec.server, p.home) };
        }
        // Its owner is gone (crashed or killed): adopt it, and stop it when we stop.
        log.warn(`Reusing the Neo4j left running by an earlier run (pid ${rec.server.pid}, bolt port ${rec.boltPort}); it answers normally`);
        writeRecord(p.record, { ...rec, owner: processIdentity(process.pid)! });
        own(settings, rec.server, p.home, p.record);
        return {
          uri,
          user,
          password,
          database: 'neo4j',
          owned: true,
          stop: () => stopOwned(rec.server, p.home, p.record),
          exited: watchGone(rec.server, p.home),
        };
      }
      log.warn(`A Neo4j from an earlier run (pid ${rec.server.pid}) is running but not answering; stopping it and starting afresh`);
      await stopProcess(rec.server, p.home, 30_000);
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
  fs.writeFileSync(path.join(p.conf, 'neo4j.conf'), neo4jConf(settings, p));
  const env = { ...process.env, NEO4J_HOME: p.home, NEO4J_CONF: p.conf };
  const classPath = `${runtime.lib}/*`;

  // The initial password can only be set before the first start (neo4j-admin dbms set-initial-password).
  if (!fs.existsSync(path.join(p.data, 'databases', 'system'))) setInitialPassword(settings, classPath, env, p.run, password);

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
    ENTRY_POINT,
    `--home-dir=${p.home}`,
    `--config-dir=${p.conf}`,
  ];
  const consoleLog = fs.openSync(path.join(p.logs, 'console.log'), 'a');
  log.info(`Starting Neo4j ${NEO4J_VERSION} (bolt 127.0.0.1:${settings.boltPort}, data ${p.data})...`);
  const started = Date.now();
  // Own process group: Ctrl-C reaches us, and we stop Neo4j in order (HTTP first, driver, then Neo4j).
  const child: ChildProcess = spawn(settings.javaBin, args, { env, stdio: ['ignore', consoleLog, consoleLog], detached: true });
  fs.closeSync(consoleLog);
  let exited: string | undefined;
  const exitedLater = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = describeExit(code, signal);
      if (!owned.get(child.pid!)?.stopped) resolve(exited);
    });
  });
  child.on('error', (err) => {
    log.error(`Could not run ${settings.javaBin}: ${err.message}`);
    exited = 'could not be run';
  });
  const server = child.pid !== undefined ? processIdentity(child.pid) : null;
  if (!server) {
    await new Promise((r) => setTimeout(r, 100)); // let the 'error' or 'exit' event tell why
    throw new Neo4jStartError(`Neo4j could not be started (${exited ?? 'the process ended at once'}). Logs: ${p.logs}\n${errorLines(p.logs)}`);
  }
  writeRecord(p.record, { server, owner: processIdentity(process.pid)!, boltPort: settings.boltPort, home: p.home, startedAt: new Date().toISOString() });
  own(settings, server, p.home, p.record);
  const stop = () => stopOwned(server, p.home, p.record);

  const uri = `bolt://127.0.0.1:${settings.boltPort}`;
  const deadline = Date.now() + settings.neo4jStartTimeoutMs;
  let ready = false;
  try {
    while (!ready && exited === undefined && Date.now() < deadline) {
      ready = await canConnect(uri, user, password, 1000);
    }
  } catch (err) {
    // e.g. the password was refused: do not leave the server we just started behind.
    await stop();
    throw err;
  }
  if (!ready) {
    const why =
      exited !== undefined
        ? `Neo4j exited during start-up (${exited})`
        : `Neo4j did not accept connections within ${settings.neo4jStartTimeoutMs / 1000} s (NEO4J_START_TIMEOUT)`;
    await stop();
    throw new Neo4jStartError(`${why}. Logs: ${p.logs}\n${errorLines(p.logs)}`);
  }
  log.info(`Neo4j ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return { uri, user, password, database: 'neo4j', owned: true, stop, exited: exitedLater };
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
  if (!isSameProcess(rec.server, serverCmdline(p.home))) return false;
  await stopProcess(rec.server, p.home, 30_000);
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
      exited: null,
    };
  }
  return startEmbeddedNeo4j(settings);
}
