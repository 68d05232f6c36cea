/**
 * A Neo4j run the way an operator runs one for sanctions-graph's NEO4J_URI mode: a server process of its
 * own (own home, store, conf, Bolt port and password), started and stopped by the test and by nothing of
 * the project. Only the jars are shared: the Neo4j Community jars the project caches from Maven Central
 * (ensureNeo4jRuntime), which are what Neo4j's own tarball puts in lib/. Nothing here goes through
 * server/core/neo4j/embedded.ts, so no record, watchdog or supervisor of the project knows this server.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { loadSettings } from '../server/core/settings';
import { ensureNeo4jRuntime } from '../server/core/neo4j/runtime';

export interface OperatorNeo4j {
  readonly home: string;
  readonly boltPort: number;
  readonly user: string;
  readonly password: string;
  readonly uri: string;
  /** The server's pid while it runs, else undefined. */
  pid(): number | undefined;
  /** Starts the server on its store and waits until Bolt accepts the password. */
  start(): Promise<void>;
  /** SIGTERM (Neo4j shuts down cleanly) and waits for the process to end. */
  stop(): Promise<void>;
}

/**
 * The neo4j.conf an operator would write for one small server on this machine. No HTTP (Bolt is all the
 * project uses), loopback only, memory fixed so that it shares the machine with the test run's own Neo4j.
 */
function conf(boltPort: number, heap: string, pageCache: string): string {
  return [
    'server.default_listen_address=127.0.0.1',
    'server.default_advertised_address=127.0.0.1',
    `server.bolt.listen_address=127.0.0.1:${boltPort}`,
    `server.bolt.advertised_address=127.0.0.1:${boltPort}`,
    'server.http.enabled=false',
    'server.https.enabled=false',
    'dbms.security.auth_enabled=true',
    `server.memory.heap.initial_size=${heap}`,
    `server.memory.heap.max_size=${heap}`,
    `server.memory.pagecache.size=${pageCache}`,
    'dbms.usage_report.enabled=false',
    '',
  ].join('\n');
}

export async function operatorNeo4j(opts: { home: string; boltPort: number; password: string; heap?: string; pageCache?: string }): Promise<OperatorNeo4j> {
  const { home, boltPort, password } = opts;
  const heap = opts.heap ?? '512m';
  const settings = loadSettings({ ...process.env, NEO4J_URI: '' });
  const runtime = await ensureNeo4jRuntime(settings);
  const confDir = path.join(home, 'conf');
  const logs = path.join(home, 'logs');
  for (const d of [confDir, logs, path.join(home, 'data'), path.join(home, 'run')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(confDir, 'neo4j.conf'), conf(boltPort, heap, opts.pageCache ?? '128m'));
  const env = { ...process.env, NEO4J_HOME: home, NEO4J_CONF: confDir };
  const classPath = `${runtime.lib}/*`;

  // What `neo4j-admin dbms set-initial-password` does, once, before the first start. The password is the
  // test's throwaway one, so it may show on this short-lived command line.
  const set = spawnSync(settings.javaBin, ['-cp', classPath, 'org.neo4j.cli.AdminTool', 'dbms', 'set-initial-password', password], { env, encoding: 'utf8' });
  if (set.status !== 0) throw new Error(`set-initial-password failed: ${(set.stderr || set.stdout).slice(0, 500)}`);

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const uri = `bolt://127.0.0.1:${boltPort}`;

  const server: OperatorNeo4j = {
    home,
    boltPort,
    user: 'neo4j',
    password,
    uri,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    async start() {
      if (server.pid()) throw new Error('the operator Neo4j is already running');
      const out = fs.openSync(path.join(logs, 'console.log'), 'a');
      // The JVM options of Neo4j's own launch script (bin/neo4j) that 5.x needs on Java 17/21.
      const args = [
        `-Xms${heap}`,
        `-Xmx${heap}`,
        '-XX:+UseG1GC',
        '--add-opens=java.base/java.nio=ALL-UNNAMED',
        '--add-opens=java.base/java.io=ALL-UNNAMED',
        '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
        '--add-opens=java.base/java.lang=ALL-UNNAMED',
        '--enable-native-access=ALL-UNNAMED',
        '-Dio.netty.tryReflectionSetAccessible=true',
        '-cp',
        classPath,
        'org.neo4j.server.CommunityEntryPoint',
        `--home-dir=${home}`,
        `--config-dir=${confDir}`,
      ];
      // Its own process group: a signal meant for the test run's processes never reaches it by accident.
      const c = spawn(settings.javaBin, args, { env, stdio: ['ignore', out, out], detached: true });
      fs.closeSync(out);
      child = c;
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', password), { connectionTimeout: 2000, maxConnectionPoolSize: 1 });
      const deadline = Date.now() + 120_000;
      try {
        for (;;) {
          if (!server.pid()) throw new Error(`the operator Neo4j exited during start-up; see ${logs}`);
          try {
            await driver.verifyConnectivity({ database: 'neo4j' });
            return;
          } catch (err) {
            if (Date.now() > deadline) throw new Error(`the operator Neo4j did not answer within 120 s; see ${logs}`, { cause: err });
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      } finally {
        await driver.close();
      }
    },
    async stop() {
      const pid = server.pid();
      if (!pid) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => server.pid() && process.kill(pid, 'SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return server;
}
