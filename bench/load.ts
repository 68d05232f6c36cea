/**
 * Load benchmark (issue 10): is the server fair under load? The real server (`server/main.ts`, its own
 * DATA_DIR .data/bench-load, demo data) is started as a child process and driven with autocannon over
 * 127.0.0.1, one autocannon instance per client, each client with its own API key (so that per-client
 * rate limits see clients, not the one loopback address):
 *
 *  1. calm:    BENCH_LOAD_CLIENTS - BENCH_LOAD_ABUSIVE honest clients (45) on the explorer's mix
 *              (load-traffic.ts: search, entity, 1-2 hop neighbourhood, paths, export) for
 *              BENCH_LOAD_SECONDS (300), after an unrecorded warm-up;
 *  2. abusive: the same honest clients plus BENCH_LOAD_ABUSIVE (5) abusive ones (alias amplification,
 *              ALL_SHORTEST through program hubs, 3-hop neighbourhoods of hubs, 100-word searches),
 *              for as long.
 *
 * Reported per run and per query type: requests, answers by outcome (status, and the GraphQL error
 * code of a 200 that carries errors), timeouts (no answer within BENCH_LOAD_TIMEOUT, 10 s), p50/p99 of
 * successful answers; /healthz latency probed every 500 ms, and the server's own event-loop delay that
 * /healthz reports (p99 of each 10 s window: their median and worst, and the longest stall; the bench
 * process's own loop delay is given beside it); RSS of the Node server and of Neo4j. The figures are ratios of the
 * abusive run against the calm run of the same invocation (honest p99 and throughput; the issue's goal:
 * p99 within 3x, no honest timeout, no honest error other than a deliberate 429).
 *
 * One JSON line is appended to bench/results/load.jsonl. Run alone with BENCH_ONLY=load npm run bench.
 * Other settings: BENCH_LOAD_WARMUP (seconds, default min(30, a quarter of the run)), BENCH_LOAD_SEED,
 * BENCH_LOAD_ALIASES (aliased possibleMatches per hit of the amplification, 400), BENCH_LOAD_FRESH=1
 * (wipe .data/bench-load and reload the demo data), BENCH_LOAD_START_TIMEOUT (seconds, 900). Server
 * settings (RATE_LIMIT, MAX_CONCURRENT_QUERIES, QUERY_TIMEOUT, ...) pass through from the environment.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { REPO_ROOT } from '../server/core/settings';
import { sha256Hex } from '../server/api/auth';
import { rssMiB, startServer, type LoadServer } from './load-server';
import { ABUSIVE_CLASSES, abusiveClient, buildWorkload, honestClient, HONEST_MIX, type LoadRequest, type Workload } from './load-traffic';

function num(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${v} must be a non-negative number`);
  return n;
}

/** Server settings that shape what the bench measures; recorded with the results as set (or "default"). */
const SERVER_SETTINGS = ['RATE_LIMIT', 'MAX_CONCURRENT_QUERIES', 'QUERY_QUEUE', 'QUERY_QUEUE_WAIT', 'QUERY_TIMEOUT', 'REQUEST_TIMEOUT', 'MAX_QUERY_COST', 'NEO4J_HEAP', 'NEO4J_PAGECACHE', 'NEO4J_TX_MEMORY'];

type Role = 'honest' | 'abusive';

/** One role's requests of one query type: latencies of successful and of refused answers, outcomes. */
interface Entry {
  type: string;
  ms: number[];
  refusedMs: number[];
  outcomes: Record<string, number>;
}

/** Every request's outcome and latency, by role and query type. */
class Recorder {
  readonly byKey = new Map<string, { ms: number[]; refusedMs: number[]; outcomes: Record<string, number> }>();
  private entry(role: Role, type: string) {
    const k = `${role}/${type}`;
    let e = this.byKey.get(k);
    if (!e) this.byKey.set(k, (e = { ms: [], refusedMs: [], outcomes: {} }));
    return e;
  }
  /** Successful answers per client (fairness: does every honest client get served?). */
  readonly okByClient = new Map<string, number>();
  /** `ms` is null for a request that got no answer. */
  add(client: ClientSpec, type: string, outcome: string, ms: number | null): void {
    const e = this.entry(client.role, type);
    e.outcomes[outcome] = (e.outcomes[outcome] ?? 0) + 1;
    if (ms !== null) (outcome === 'ok' ? e.ms : e.refusedMs).push(ms);
    if (outcome === 'ok') this.okByClient.set(client.key, (this.okByClient.get(client.key) ?? 0) + 1);
  }
  /** Fewest, median and most successful answers of one role's clients. */
  spread(clients: ClientSpec[]): { min: number; median: number; max: number } | null {
    const n = clients.map((c) => this.okByClient.get(c.key) ?? 0).sort((a, b) => a - b);
    return n.length ? { min: n[0], median: n[Math.floor(n.length / 2)], max: n[n.length - 1] } : null;
  }
  entries(role: Role): Entry[] {
    return [...this.byKey.entries()].filter(([k]) => k.startsWith(`${role}/`)).map(([k, v]) => ({ type: k.slice(role.length + 1), ...v }));
  }
}

function pct(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

/**
 * What an answer was: 'ok' for a 2xx without GraphQL errors, else the status, with the first GraphQL
 * error code when there is one (e.g. "200:BAD_USER_INPUT", "400:QUERY_TOO_COSTLY", "503:BUSY").
 */
function outcomeOf(status: number, body: string, graphql: boolean): string {
  const ok = status >= 200 && status < 300;
  if (ok && !graphql) return 'ok';
  // Only an answer with errors needs parsing; a successful one can be large.
  if (ok && !body.includes('"errors"')) return 'ok';
  let code: string | undefined;
  try {
    // GraphQL errors, or the export's {"error": {"code", "message"}}.
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[]; error?: { code?: string } };
    if (ok && !parsed.errors?.length) return 'ok';
    code = graphql ? parsed.errors?.[0]?.extensions?.code : parsed.error?.code;
  } catch {
    /* not JSON */
  }
  return code ? `${status}:${code}` : String(status);
}

/** Figures of a set of requests in a run of `seconds`. */
function stats({ ms, refusedMs, outcomes }: Omit<Entry, 'type'>, seconds: number, timeoutMs: number) {
  const sorted = [...ms].sort((a, b) => a - b);
  const refused = [...refusedMs].sort((a, b) => a - b);
  const requests = Object.values(outcomes).reduce((s, n) => s + n, 0);
  const ok = outcomes.ok ?? 0;
  const errors = Object.fromEntries(Object.entries(outcomes).filter(([o]) => o !== 'ok'));
  const count = (re: RegExp) => Object.entries(outcomes).reduce((s, [o, n]) => s + (re.test(o) ? n : 0), 0);
  const timeouts = count(/^timeout$/);
  const rateLimited = count(/^429/);
  // Unanswered requests counted at the timeout (refusals are left out): a floor of the p99 a client saw.
  const withTimeouts = [...sorted, ...Array<number>(timeouts).fill(timeoutMs)].sort((a, b) => a - b);
  return {
    requests,
    ok,
    okPerS: round(ok / seconds, 2),
    errors,
    errorsOtherThan429: requests - ok - rateLimited,
    rateLimited,
    timeouts,
    p50Ms: round(pct(sorted, 50)),
    p90Ms: round(pct(sorted, 90)),
    p99Ms: round(pct(sorted, 99)),
    maxMs: round(sorted.length ? sorted[sorted.length - 1] : null),
    p99WithTimeoutsMs: round(pct(withTimeouts, 99)),
    // How long a refusal (any answer but a success) took to come: an abusive client should wait or be refused.
    refusedP50Ms: round(pct(refused, 50)),
    refusedP99Ms: round(pct(refused, 99)),
  };
}
type Stats = ReturnType<typeof stats>;

/** Figures of one role's requests, in all and by query type. */
function summarise(entries: Entry[], seconds: number, timeoutMs: number) {
  const outcomes: Record<string, number> = {};
  for (const e of entries) for (const [o, n] of Object.entries(e.outcomes)) outcomes[o] = (outcomes[o] ?? 0) + n;
  const all = { ms: entries.flatMap((e) => e.ms), refusedMs: entries.flatMap((e) => e.refusedMs), outcomes };
  const byType = entries.sort((a, b) => a.type.localeCompare(b.type)).map((e) => [e.type, stats(e, seconds, timeoutMs)] as const);
  return { ...stats(all, seconds, timeoutMs), byType: Object.fromEntries(byType) };
}

interface ClientSpec {
  role: Role;
  key: string;
  next: () => LoadRequest;
}

/**
 * One client: an autocannon instance of one connection for `seconds`, sending `next()` requests. Its
 * outcomes go to `rec`. A request still unanswered when the next one is built was lost: to the timeout
 * when autocannon says so right after (it reconnects, then emits 'timeout'), else to a closed connection.
 */
function runClient(url: string, c: ClientSpec, seconds: number, timeoutS: number, rec: Recorder) {
  let pending: { type: string; graphql: boolean } | null = null;
  let outcome = 'ok';
  let lost: { type: string } | null = null;
  let connError = false;
  const setupRequest = (req: autocannon.Request): autocannon.Request => {
    if (pending) {
      lost = pending;
      const was = lost;
      setImmediate(() => {
        if (lost === was) rec.add(c, was.type, connError ? 'connError' : 'closed', null);
        if (lost === was) lost = null;
      });
    }
    connError = false;
    const r = c.next();
    pending = { type: r.type, graphql: r.path === '/graphql' };
    return { ...req, method: r.method, path: r.path, body: r.body ?? '', headers: { ...req.headers, ...r.headers, 'x-api-key': c.key } };
  };
  const instance = autocannon(
    {
      url,
      connections: 1,
      duration: seconds,
      timeout: timeoutS,
      requests: [
        {
          setupRequest,
          onResponse: (status: number, body: string) => {
            outcome = outcomeOf(status, body, pending?.graphql ?? false);
          },
        },
      ],
      setupClient: (client) => {
        // @types/autocannon declares only some of the events a client emits (lib/httpClient.js).
        const events = client as unknown as NodeJS.EventEmitter;
        events.on('response', (_status: number, _bytes: number, ms: number) => {
          if (pending) rec.add(c, pending.type, outcome, ms);
          pending = null;
        });
        events.on('timeout', () => {
          if (lost) rec.add(c, lost.type, 'timeout', null);
          lost = null;
        });
        events.on('connError', () => {
          connError = true;
        });
      },
    },
    () => undefined,
  );
  const done = new Promise<void>((resolve) => instance.once('done', () => resolve()));
  return { done, stop: () => instance.stop() };
}

/**
 * Latency of GET /healthz every `everyMs`, one probe at a time, and the server's own event-loop delay it
 * reports (p99 and max of its last 10 s window, server/api/event-loop.ts).
 */
function healthzProbe(url: string, everyMs: number, timeoutMs: number) {
  const ms: number[] = [];
  const loopP99: number[] = [];
  const loopMax: number[] = [];
  let failures = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const t = performance.now();
    fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) })
      .then(async (r) => {
        const body = (await r.json().catch(() => null)) as { eventLoopDelay?: { p99Ms: number; maxMs: number } | null } | null;
        if (r.status !== 200) return void failures++;
        ms.push(performance.now() - t);
        if (body?.eventLoopDelay) {
          loopP99.push(body.eventLoopDelay.p99Ms);
          loopMax.push(body.eventLoopDelay.maxMs);
        }
      })
      .catch(() => failures++)
      .finally(() => (busy = false));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const s = [...ms].sort((a, b) => a - b);
      const windows = [...loopP99].sort((x, y) => x - y);
      return {
        probes: ms.length + failures,
        failures,
        p50Ms: round(pct(s, 50)),
        p99Ms: round(pct(s, 99)),
        maxMs: round(s.length ? s[s.length - 1] : null),
        // The server's event-loop delay: the median and the worst of its 10 s windows' p99, and the longest stall.
        eventLoopP99MedianMs: round(pct(windows, 50)),
        eventLoopP99MaxMs: round(windows.length ? windows[windows.length - 1] : null),
        eventLoopMaxMs: round(loopMax.length ? Math.max(...loopMax) : null),
      };
    },
  };
}

/** RSS of the server and of Neo4j every 2 s. */
function memorySampler(server: LoadServer) {
  const node: number[] = [];
  const neo4j: number[] = [];
  const neo4jPid = server.neo4jPid();
  const sample = () => {
    const a = rssMiB(server.pid);
    const b = rssMiB(neo4jPid);
    if (a !== null) node.push(a);
    if (b !== null) neo4j.push(b);
  };
  sample();
  const timer = setInterval(sample, 2_000);
  const stats = (xs: number[]) => ({ meanMiB: round(xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null, 0), maxMiB: round(xs.length ? Math.max(...xs) : null, 0) });
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { node: stats(node), neo4j: { pid: neo4jPid, ...stats(neo4j) } };
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One run: these clients for `seconds`, with the probes; null `label` is the unrecorded warm-up. */
async function run(server: LoadServer, clients: ClientSpec[], seconds: number, timeoutS: number, label: string | null, running: Set<() => void>) {
  const rec = new Recorder();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const probe = healthzProbe(server.url, 500, timeoutS * 1000);
  const mem = memorySampler(server);
  // Other work on the machine moves every figure: its load is recorded beside them.
  const loadAvgAtStart = round(os.loadavg()[0], 2);
  const started = performance.now();
  const cs = clients.map((c) => runClient(server.url, c, seconds, timeoutS, rec));
  const stops = cs.map((c) => c.stop);
  for (const s of stops) running.add(s);
  await Promise.all(cs.map((c) => c.done));
  for (const s of stops) running.delete(s);
  const elapsed = (performance.now() - started) / 1000;
  loop.disable();
  const healthz = probe.stop();
  const memory = mem.stop();
  if (label === null) return null;
  const result = {
    seconds: round(elapsed, 1)!,
    loadAvg1m: { atStart: loadAvgAtStart, atEnd: round(os.loadavg()[0], 2) },
    honestClients: clients.filter((c) => c.role === 'honest').length,
    abusiveClients: clients.filter((c) => c.role === 'abusive').length,
    honest: summarise(rec.entries('honest'), elapsed, timeoutS * 1000),
    abusive: clients.some((c) => c.role === 'abusive') ? summarise(rec.entries('abusive'), elapsed, timeoutS * 1000) : null,
    honestOkPerClient: rec.spread(clients.filter((c) => c.role === 'honest')),
    healthz,
    benchLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
    memory,
  };
  return result;
}

type RunResult = NonNullable<Awaited<ReturnType<typeof run>>>;

function printRun(name: string, r: RunResult): void {
  const line = (label: string, s: Stats) =>
    `  ${label.padEnd(22)} ${String(s.requests).padStart(6)} req ${String(s.okPerS).padStart(7)} ok/s  p50 ${String(s.p50Ms).padStart(7)} ms  p99 ${String(s.p99Ms).padStart(7)} ms` +
    `  timeouts ${s.timeouts}  errors ${JSON.stringify(s.errors)}${s.refusedP50Ms === null ? '' : ` (answered in p50 ${s.refusedP50Ms} ms)`}`;
  console.error(`${name}: ${r.seconds} s, ${r.honestClients} honest + ${r.abusiveClients} abusive clients (load average ${r.loadAvg1m.atStart} -> ${r.loadAvg1m.atEnd})`);
  console.error(line('honest (all)', r.honest));
  console.error(`  successful answers per honest client: min ${r.honestOkPerClient?.min}, median ${r.honestOkPerClient?.median}, max ${r.honestOkPerClient?.max}`);
  for (const [t, s] of Object.entries(r.honest.byType)) console.error(line(`  ${t}`, s));
  if (r.abusive) {
    console.error(line('abusive (all)', r.abusive));
    for (const [t, s] of Object.entries(r.abusive.byType)) console.error(line(`  ${t}`, s));
  }
  console.error(
    `  /healthz p50 ${r.healthz.p50Ms} ms, p99 ${r.healthz.p99Ms} ms, max ${r.healthz.maxMs} ms (${r.healthz.failures} of ${r.healthz.probes} failed); ` +
      `server event-loop delay p99 ${r.healthz.eventLoopP99MedianMs} ms (worst 10 s window ${r.healthz.eventLoopP99MaxMs} ms, longest stall ${r.healthz.eventLoopMaxMs} ms); ` +
      `bench's own loop delay p99 ${r.benchLoopDelayP99Ms} ms; RSS node ${r.memory.node.maxMiB} MiB, neo4j ${r.memory.neo4j.maxMiB} MiB (max)`,
  );
}

function gitState() {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  const dirty = git('status', '--porcelain', '--', 'server', 'ingest', 'cypher');
  return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedServerFiles: dirty === null ? null : dirty.split('\n').filter(Boolean).length };
}

export async function loadBench(): Promise<Record<string, unknown>> {
  const seconds = num('BENCH_LOAD_SECONDS', 300);
  const clients = Math.round(num('BENCH_LOAD_CLIENTS', 50));
  const abusiveCount = Math.round(num('BENCH_LOAD_ABUSIVE', Math.round(clients / 10)));
  const honestCount = clients - abusiveCount;
  const timeoutS = num('BENCH_LOAD_TIMEOUT', 10);
  const warmup = num('BENCH_LOAD_WARMUP', Math.min(30, Math.round(seconds / 4)));
  const seed = Math.round(num('BENCH_LOAD_SEED', 20240503));
  const aliases = Math.round(num('BENCH_LOAD_ALIASES', 400));
  if (honestCount < 1 || seconds < 1) throw new Error('BENCH_LOAD_CLIENTS must exceed BENCH_LOAD_ABUSIVE, and BENCH_LOAD_SECONDS be at least 1');

  // One API key per client (viewer role): rate limits then count each client, not 127.0.0.1. Only the
  // hashes reach the server; the keys live in this process.
  const keys = Array.from({ length: clients }, (_, i) => ({
    owner: i < honestCount ? `bench-honest-${i + 1}` : `bench-abusive-${i - honestCount + 1}`,
    key: `sg_${crypto.randomBytes(32).toString('base64url')}`,
  }));
  const apiKeys = keys.map((k) => JSON.stringify({ owner: k.owner, role: 'viewer', sha256: sha256Hex(k.key) })).join('\n');

  const host = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAvg1mAtStart: round(os.loadavg()[0], 2) };
  console.error(`load: starting the server (.data/bench-load; the first start loads the demo data) — load average ${host.loadAvg1mAtStart} on ${host.cpus} cpus`);
  const running = new Set<() => void>();
  const owned: { stopServer?: () => Promise<void> } = {};
  // Whatever happens (a signal, an error), the clients stop and the server and its Neo4j go down.
  const onSignal = (sig: NodeJS.Signals) => {
    console.error(`load: ${sig}: stopping the clients and the server`);
    for (const s of running) s();
    void (owned.stopServer?.() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const s = await startServer({
      dataDir: path.join(REPO_ROOT, '.data', 'bench-load'),
      env: { API_KEYS: apiKeys },
      fresh: process.env.BENCH_LOAD_FRESH === '1',
      startTimeoutMs: num('BENCH_LOAD_START_TIMEOUT', 900) * 1000,
      onSpawn: (stop) => (owned.stopServer = stop),
    });
    console.error(`load: server ready at ${s.url} (pid ${s.pid}, neo4j pid ${s.neo4jPid()}; log ${path.relative(REPO_ROOT, s.logFile)})`);

    const setupKey = keys[0].key;
    const post = async (body: { query: string; variables: Record<string, unknown> }) => {
      const r = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': setupKey },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const answer = (await r.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
      if (answer.errors?.length) throw new Error(`load bench: a set-up query was refused (HTTP ${r.status}): ${answer.errors[0].message}`);
      return answer;
    };
    const workload: Workload = await buildWorkload(seed, post);
    console.error(
      `load: ${workload.names.length} names, ${workload.linkedPairs.length} linked pairs, hubs ${workload.hubs.map((h) => `${h.id} (${h.degree})`).join(', ')}; ` +
        `amplification: search "${workload.commonWord}" x ${aliases} aliased possibleMatches`,
    );

    const honest: ClientSpec[] = keys.slice(0, honestCount).map((k, i) => ({ role: 'honest', key: k.key, next: honestClient(workload, seed + 1 + i) }));
    const abusive: ClientSpec[] = keys.slice(honestCount).map((k, i) => ({ role: 'abusive', key: k.key, next: abusiveClient(workload, seed + 1000 + i, i, aliases) }));

    if (warmup > 0) {
      console.error(`load: warm-up, ${honestCount} honest clients for ${warmup} s (not recorded)`);
      await run(s, honest, warmup, timeoutS, null, running);
    }
    console.error(`load: calm run, ${honestCount} honest clients for ${seconds} s`);
    const calm = (await run(s, honest, seconds, timeoutS, 'calm', running))!;
    printRun('calm', calm);
    await sleep(5_000);
    console.error(`load: abusive run, ${honestCount} honest + ${abusive.length} abusive clients for ${seconds} s`);
    const abusiveRun = (await run(s, [...honest, ...abusive], seconds, timeoutS, 'abusive', running))!;
    printRun('abusive', abusiveRun);

    const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : round(a / b, 2));
    const ratios = {
      honestP99: ratio(abusiveRun.honest.p99Ms, calm.honest.p99Ms),
      honestP99WithTimeouts: ratio(abusiveRun.honest.p99WithTimeoutsMs, calm.honest.p99WithTimeoutsMs),
      honestP50: ratio(abusiveRun.honest.p50Ms, calm.honest.p50Ms),
      honestThroughput: ratio(abusiveRun.honest.okPerS, calm.honest.okPerS),
      healthzP99: ratio(abusiveRun.healthz.p99Ms, calm.healthz.p99Ms),
      eventLoopP99: ratio(abusiveRun.healthz.eventLoopP99MedianMs, calm.healthz.eventLoopP99MedianMs),
    };
    const goal = {
      calmNoErrorsButDeliberate429: calm.honest.errorsOtherThan429 === 0,
      honestP99Within3x: ratios.honestP99 !== null && ratios.honestP99 <= 3,
      noHonestTimeout: abusiveRun.honest.timeouts === 0 && calm.honest.timeouts === 0,
      abusiveHonestErrorsOtherThan429: abusiveRun.honest.errorsOtherThan429,
    };
    const result = {
      at: new Date().toISOString(),
      host,
      code: gitState(),
      settings: {
        seconds,
        warmupSeconds: warmup,
        honestClients: honestCount,
        abusiveClients: abusive.length,
        timeoutS,
        seed,
        amplificationAliases: aliases,
        identity: 'one API key (viewer) per client',
        honestMix: Object.fromEntries(HONEST_MIX),
        abusiveClasses: ABUSIVE_CLASSES,
        server: Object.fromEntries(SERVER_SETTINGS.map((k) => [k, process.env[k] ?? 'default'])),
      },
      workload: { names: workload.names.length, linkedPairs: workload.linkedPairs.length, hubs: workload.hubs.map((h) => ({ id: h.id, degree: h.degree })) },
      calm,
      abusive: abusiveRun,
      ratios,
      goal,
    };
    console.error(
      `load: honest p99 abusive/calm ${ratios.honestP99}x (goal <= 3), p50 ${ratios.honestP50}x, throughput ${ratios.honestThroughput}x; ` +
        `honest timeouts calm ${calm.honest.timeouts}, abusive ${abusiveRun.honest.timeouts}; honest errors other than 429: calm ${calm.honest.errorsOtherThan429}, abusive ${abusiveRun.honest.errorsOtherThan429}`,
    );
    const out = path.join(REPO_ROOT, 'bench', 'results', 'load.jsonl');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.appendFileSync(out, JSON.stringify(result) + '\n');
    console.error(`load results appended to ${path.relative(REPO_ROOT, out)}`);
    return result;
  } finally {
    for (const stop of running) stop();
    console.error('load: stopping the server');
    await owned.stopServer?.();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
