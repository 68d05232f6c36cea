/**
 * Every setting of sanctions-graph, read from the environment in one place.
 * The README's configuration table mirrors SETTINGS_DOC below; keep them together.
 */
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Neo4j version the embedded server runs; 5.26 is the LTS line that runs on Java 17. */
export const NEO4J_VERSION = '5.26.19';

/** Log levels, least severe first: a level logs its own messages and every more severe one's. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Settings {
  /** HTTP port of the API/explorer. */
  port: number;
  /** Interface the HTTP server binds to. */
  host: string;
  /** Where the embedded Neo4j keeps its store, logs and generated password. */
  dataDir: string;
  /** External Neo4j (cluster, Aura); when set nothing is started. */
  neo4jUri: string | undefined;
  neo4jUser: string;
  neo4jPassword: string | undefined;
  /** Database name; undefined lets the server pick its default (faster with it set). */
  neo4jDatabase: string | undefined;
  /** Bolt port of the embedded server (127.0.0.1 only). */
  boltPort: number;
  /** Heap and page cache of the embedded server. */
  neo4jHeap: string;
  neo4jPageCache: string;
  /** How long to wait for the embedded server to accept connections. */
  neo4jStartTimeoutMs: number;
  /** Memory one transaction of the embedded server may use (db.memory.transaction.max), e.g. '1g'. */
  neo4jTxMemory: string;
  /**
   * How long an embedded server whose owning process died without stopping it keeps running, waiting to
   * be adopted by the next start, before its watchdog stops it.
   */
  neo4jOrphanGraceMs: number;
  /** Allow an unencrypted NEO4J_URI (bolt://, neo4j://) to a host other than this machine. */
  neo4jAllowUnencrypted: boolean;
  /** Where the Neo4j jars fetched from Maven Central are cached (outside git). */
  neo4jCacheDir: string;
  /** Java executable used for the embedded server (needs Java 17 or 21). */
  javaBin: string;
  /** Maven executable used on first start to fetch the server's jars. */
  mvnBin: string;
  /** Load the bundled demo data into an empty database on `npm start`. */
  loadDemoData: boolean;
  /** Rows per UNWIND batch when loading. */
  ingestBatchSize: number;
  /** Upper bound of one load's write transaction. */
  ingestTxTimeoutMs: number;
  /** INGEST_READER_GRACE: how long a committed load waits before deleting what it replaced (ingest/loader.ts). */
  ingestReaderGraceMs: number;
  /** SNAPSHOT_REUSE_MS: how long a clean load snapshot serves later requests (Database.snapshot). */
  snapshotReuseMs: number;
  /** Largest CSV record, XML record or text node, or FtM line a file may hold (ingest refuses the file beyond). */
  ingestMaxRecordBytes: number;
  /** Largest name, alias, address or identifier value written to the graph (indexed; longer ones are cut, with a warning). */
  ingestMaxValueBytes: number;
  /** INGEST_HEAP_GROWTH: how far `npm run ingest` lets V8's heap grow past what is live before collecting (percent; 0: V8's own). */
  ingestHeapGrowthPercent: number;
  /** Upper bound of any read query (API). */
  queryTimeoutMs: number;
  /** Least severe messages logged. */
  logLevel: LogLevel;
  /** Where `ingest --fetch` makes each download's private folder (FETCH_DIR, default $DATA_DIR/downloads). */
  fetchDir: string;
  /** INGEST_SPOOL_DIR: where a load spools the release it streams (one private folder per load; default $DATA_DIR/spool). */
  ingestSpoolDir: string;
  /** Bulk screening (CLI and POST /api/screen/bulk). */
  screenBulk: ScreenBulkSettings;
  /** The alert webhook (ALERT_WEBHOOK_*): read at start so a wrong value stops `npm start` and `npm run ingest` at once. */
  alertWebhook: WebhookSettings;
  /**
   * Overrides of the publishers' download locations (ingest/fetch.meta.ts has the defaults): a mirror of
   * all of them (`<fetchMirrorUrl>/ofac/`, `/un/`, `/opensanctions/`) or one per publisher, which wins.
   */
  fetchMirrorUrl: string | undefined;
  fetchPublisherUrls: { ofac?: string; un?: string; opensanctions?: string };
  /** A download with no data for this long is abandoned (and retried). */
  fetchTimeoutMs: number;
  /** How often a download that failed for a transient reason is tried again. */
  fetchRetries: number;
  /** Largest file `ingest --fetch` accepts; a download growing beyond is abandoned. */
  fetchMaxBytes: number;
  /** Key that allows the reviewMatch mutation; null switches reviewing off. */
  reviewApiKey: string | null;
  /** Who may do what (server/api/auth.ts reads the keys; server/api/security.ts the HTTP rules). */
  access: AccessSettings;
  /** What one GraphQL request may cost and how long it may take (server/api/graphql.ts). */
  api: ApiLimits;
}

/** Bounds of one GraphQL request. */
export interface ApiLimits {
  /** MAX_QUERY_COST: a request whose cost (server/api/cost.ts) is above this is refused before it runs. */
  maxQueryCost: number;
  /** REQUEST_TIMEOUT: one deadline for every database read of a request; past it, TIMEOUT. */
  requestTimeoutMs: number;
}

/** API keys, anonymous reads, HTTP hardening, admission control and the audit log of the API. */
export interface AccessSettings {
  /** HOST: when it is a loopback address, anonymous reads are allowed by default. */
  host: string;
  /** JSON-lines file of API keys (owner, role, sha256 of the key); undefined: none. */
  apiKeysFile: string | undefined;
  /** The same JSON lines inline (API_KEYS), for deployments configured by environment only. */
  apiKeys: string | undefined;
  /** ALLOW_ANONYMOUS_READS; undefined: allowed only when HOST is a loopback address. */
  allowAnonymousReads: boolean | undefined;
  /** Host names (Host header, without port) the server answers for; ['*'] answers any. */
  allowedHosts: string[];
  /** Origins allowed to call the API from a browser (CORS); empty: none (CORS off). */
  corsOrigins: string[];
  /** Express's `trust proxy` (TRUST_PROXY): which hops' X-Forwarded-For to believe; false: none. */
  trustProxy: boolean | number | string;
  /** Requests per minute per client (API key, else address) to /graphql and /api/export; 0: no limit. */
  rateLimitPerMinute: number;
  /** Requests to /graphql and /api/export doing database work at once; more wait in a queue. */
  maxConcurrentQueries: number;
  /** How many requests may wait for a slot, and for how long, before they are answered 503 BUSY. */
  queryQueueLength: number;
  queryQueueWaitMs: number;
  /** Folder of the audit log (audit.log, rotated). */
  auditDir: string;
  /** Also record every read (operation, variables, who) in the audit log. */
  auditReads: boolean;
}

interface Doc {
  env: string;
  default: string;
  doc: string;
}

export const SETTINGS_DOC: Doc[] = [
  { env: 'PORT', default: '4000', doc: 'HTTP port of the API and explorer' },
  { env: 'HOST', default: '127.0.0.1', doc: 'Interface the HTTP server listens on' },
  { env: 'DATA_DIR', default: '.data', doc: 'Embedded Neo4j store, logs and generated password (git-ignored)' },
  { env: 'NEO4J_URI', default: '(unset)', doc: 'Use this Neo4j instead of starting one, e.g. neo4j+s://xxxx.databases.neo4j.io' },
  { env: 'NEO4J_USER', default: 'neo4j', doc: 'User for NEO4J_URI' },
  { env: 'NEO4J_PASSWORD', default: '(unset)', doc: 'Password for NEO4J_URI' },
  { env: 'NEO4J_DATABASE', default: 'neo4j', doc: 'Database name (the server default when unset)' },
  { env: 'NEO4J_BOLT_PORT', default: '7687', doc: 'Bolt port of the embedded Neo4j, bound to 127.0.0.1' },
  { env: 'NEO4J_HEAP', default: '2g', doc: 'Max heap of the embedded Neo4j' },
  { env: 'NEO4J_PAGECACHE', default: '2g', doc: 'Page cache of the embedded Neo4j' },
  { env: 'NEO4J_START_TIMEOUT', default: '180', doc: 'Seconds to wait for the embedded Neo4j to accept connections' },
  { env: 'NEO4J_TX_MEMORY', default: 'half of NEO4J_HEAP', doc: 'Memory one transaction of the embedded Neo4j may use; a query or load over it fails (MEMORY_LIMIT) and is rolled back' },
  {
    env: 'NEO4J_ORPHAN_GRACE',
    default: '60',
    doc: 'Seconds an embedded Neo4j whose process was killed waits to be reused by the next start before it stops itself',
  },
  {
    env: 'NEO4J_ALLOW_UNENCRYPTED',
    default: '0',
    doc: '1 allows an unencrypted NEO4J_URI (bolt://, neo4j://) to another machine; refused by default (use neo4j+s:// or bolt+s://)',
  },
  { env: 'NEO4J_CACHE_DIR', default: '~/.cache/sanctions-graph', doc: 'Where the Neo4j jars from Maven Central are kept' },
  { env: 'JAVA', default: 'java (or $JAVA_HOME/bin/java)', doc: 'Java 17 or 21 for the embedded Neo4j' },
  { env: 'MVN', default: 'mvn', doc: 'Maven, used once to fetch the Neo4j jars' },
  { env: 'LOAD_DEMO_DATA', default: '1', doc: '0 starts with an empty database' },
  { env: 'INGEST_BATCH_SIZE', default: '5000', doc: 'Rows per batched write' },
  { env: 'INGEST_TX_TIMEOUT', default: '900', doc: 'Seconds each transaction of a load (one batch, or the final commit) may take' },
  { env: 'INGEST_READER_GRACE', default: 'REQUEST_TIMEOUT + 10', doc: 'Seconds a load of `npm run ingest` waits after registering (before it writes) and after committing (before it deletes what the new release replaced), so that API requests which started before still see one release whole; 0 when no server reads the database during loads' },
  { env: 'INGEST_MAX_RECORD_SIZE', default: '8m', doc: 'Largest CSV record, XML record or text node, or FtM line in a file to load (e.g. 512k, 8m); a file with a larger one is refused, naming its line' },
  { env: 'INGEST_MAX_VALUE_SIZE', default: '4k', doc: 'Largest name, alias, address or identifier (UTF-8 bytes, at most 8000: Neo4j indexes them); longer ones are cut to it, with a warning naming the record' },
  {
    env: 'INGEST_HEAP_GROWTH',
    default: '25',
    doc: "Percent by which `npm run ingest` lets Node's heap grow beyond what it keeps alive before the next full collection (V8's --heap-growing-percent); 0 leaves it to V8, which on a machine with much memory lets garbage reach several times the live heap (1.7 GB of RSS in the UN x64 load, which runs within a 768 MB heap). No hard cap: a load that needs more memory gets it",
  },
  { env: 'QUERY_TIMEOUT', default: '20', doc: 'Seconds any read query may take' },
  {
    env: 'SNAPSHOT_REUSE_MS',
    default: 'min(1000, INGEST_READER_GRACE - REQUEST_TIMEOUT - 5 s); 0 when that is not above 0',
    doc: 'Milliseconds a request may use the load snapshot (which loads it sees) that an earlier request read while no load was open, instead of reading its own: one Neo4j round trip less per request. Safe because a load waits INGEST_READER_GRACE after registering before it writes; keep it below INGEST_READER_GRACE - REQUEST_TIMEOUT - 5 s of any `npm run ingest` run beside the server; 0 reads the snapshot for every request',
  },
  { env: 'REQUEST_TIMEOUT', default: 'QUERY_TIMEOUT', doc: 'Seconds all the reads of one GraphQL request may take together; past it the request ends in TIMEOUT (HTTP 504)' },
  { env: 'MAX_QUERY_COST', default: '250000', doc: 'Largest cost of one GraphQL request (every field counted, lists by their size, database reads extra); above it the request is refused (QUERY_TOO_COSTLY)' },
  { env: 'LOG_LEVEL', default: 'info', doc: 'Least severe messages logged (to stderr): debug, info, warn or error' },
  {
    env: 'INGEST_SPOOL_DIR',
    default: '$DATA_DIR/spool',
    doc: 'Where a load makes its private spool folder (0700) for the release it streams (about twice the size of the release while it runs; removed after, and on SIGINT/SIGTERM; folders of loads killed outright are removed by the next load), and where POST /api/screen/bulk spools an upload (0600 file in a 0700 folder, removed when the answer ends or the client goes away, and when the server stops on a signal; those of a server killed outright by the next start)',
  },
  {
    env: 'SCREEN_PREPARED_CANDIDATES',
    default: '25000',
    doc: 'Parties of the name index screening keeps prepared for scoring (about 2 KB each: 25,000 is about 50 MB; the demo lists have 16,000). After a load they are prepared in the background, a slice at a time, up to this number; beyond it the least recently screened are dropped. 0 prepares each candidate per screen',
  },
  { env: 'CHROMIUM_PATH', default: '/usr/bin/chromium', doc: 'Chromium that prints case reports to PDF (GET /api/investigations/:id/report.pdf; the browser tests use it too); none there: that route answers 501 and the HTML report still works' },
  { env: 'ALERT_WEBHOOK_URL', default: '(unset)', doc: 'Where the alerts of each load are POSTed as JSON (http:// or https://); unset: alerts are only stored (GraphQL `alerts`) and printed by `npm run ingest`' },
  { env: 'ALERT_WEBHOOK_SECRET', default: '(unset)', doc: 'Shared secret the webhook POST is signed with (HMAC-SHA256 of the body in X-Sanctions-Graph-Signature: sha256=<hex>); required with ALERT_WEBHOOK_URL (alerts are never sent unsigned)' },
  { env: 'ALERT_WEBHOOK_RETRIES', default: '3', doc: 'Tries of a webhook POST after the first; a delivery that still fails is logged and kept on the alerts (delivered: false), never failing the load' },
  { env: 'ALERT_WEBHOOK_BACKOFF_MS', default: '1000', doc: 'Milliseconds before the first retry of a webhook POST, doubled for each next one' },
  { env: 'ALERT_WEBHOOK_TIMEOUT_MS', default: '10000', doc: 'Milliseconds one webhook POST may take' },
  { env: 'SCREEN_BULK_MAX_ROWS', default: '100000', doc: 'Most rows of one bulk screening file (`npm run screen`, POST /api/screen/bulk); a longer file is refused at that row' },
  { env: 'SCREEN_BULK_CONCURRENCY', default: '2', doc: 'Rows of one bulk screening screened at once (results keep the file order)' },
  { env: 'SCREEN_BULK_UPLOAD_MAX', default: '256m', doc: 'Largest file POST /api/screen/bulk takes (e.g. 64m, 1g); a larger upload is refused (413) and its spooled part removed' },
  { env: 'SCREEN_BULK_UPLOAD_IDLE', default: '30', doc: 'Seconds an upload to POST /api/screen/bulk may go without sending a byte before it is refused (408)' },
  { env: 'SCREEN_BULK_MAX_RUNS', default: 'MAX_CONCURRENT_QUERIES / 4, at least 1', doc: 'Bulk screenings the API runs at once (one per client besides); more are answered 503 BUSY with Retry-After' },
  { env: 'FETCH_DIR', default: '$DATA_DIR/downloads', doc: '`ingest --fetch` downloads into a new private folder (0700) in here, and keeps it' },
  { env: 'FETCH_MAX_SIZE', default: '2g', doc: 'Largest file `ingest --fetch` downloads (e.g. 500m); a larger one is abandoned' },
  {
    env: 'FETCH_BASE_URL',
    default: '(unset)',
    doc: 'A mirror of all publishers for `ingest --fetch`: files are fetched from <url>/ofac/, <url>/un/ and <url>/opensanctions/ (tests, air-gapped sites)',
  },
  { env: 'FETCH_OFAC_URL', default: 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/', doc: 'Where `ingest --fetch` gets OFAC files (SDN.CSV, ...)' },
  { env: 'FETCH_UN_URL', default: 'https://scsanctions.un.org/resources/xml/en/', doc: 'Where `ingest --fetch` gets the UN consolidated.xml' },
  { env: 'FETCH_OPENSANCTIONS_URL', default: 'https://data.opensanctions.org/datasets/latest/', doc: 'Where `ingest --fetch` gets <dataset>/entities.ftm.json' },
  { env: 'FETCH_TIMEOUT', default: '60', doc: 'Seconds a download may go without receiving data before it is abandoned' },
  { env: 'REVIEW_API_KEY', default: '(unset)', doc: 'Key that allows the reviewMatch mutation (header x-api-key), at least 16 characters; unset switches reviewing off' },
  { env: 'API_KEYS_FILE', default: '(unset)', doc: 'JSON-lines file of API keys: {"owner":"alice","role":"viewer|reviewer|admin","sha256":"<hex>"} per line (`npx tsx server/api/api-key.ts <owner> <role>` makes one)' },
  { env: 'API_KEYS', default: '(unset)', doc: 'The same JSON lines as API_KEYS_FILE, inline' },
  { env: 'ALLOW_ANONYMOUS_READS', default: '(1 if HOST is loopback, else 0)', doc: 'Reads without an API key; reviewing always needs a key' },
  { env: 'ALLOWED_HOSTS', default: 'localhost,127.0.0.1,[::1] (and HOST)', doc: 'Host names the server answers for (Host header, against DNS rebinding), comma-separated; * for any' },
  { env: 'CORS_ORIGINS', default: '(unset)', doc: 'Origins (e.g. https://tools.example.org) whose pages may call the API from a browser; unset: none' },
  { env: 'TRUST_PROXY', default: '(unset)', doc: 'Which reverse proxies to believe about the client address (X-Forwarded-For): loopback, a hop count, or addresses' },
  { env: 'RATE_LIMIT', default: '1200', doc: 'Requests per minute per client (API key, else address) to /graphql and /api/export; 0 for no limit' },
  { env: 'MAX_CONCURRENT_QUERIES', default: '8', doc: 'Requests doing database work at once (/graphql, /api/export); more wait in a queue' },
  { env: 'QUERY_QUEUE', default: '64', doc: 'Requests that may wait for a slot; beyond, 503 BUSY with Retry-After' },
  { env: 'QUERY_QUEUE_WAIT', default: '5', doc: 'Seconds a request may wait for a slot before it is answered 503 BUSY' },
  { env: 'AUDIT_DIR', default: '$DATA_DIR/audit', doc: 'Folder of the audit log (audit.log, JSON lines, rotated daily or at 10 MB, 30 kept): every review' },
  { env: 'AUDIT_READS', default: '0', doc: '1 also records every read in the audit log (operation, variables, key owner or address)' },
  { env: 'FETCH_RETRIES', default: '2', doc: 'Retries of a download that failed for a transient reason (dropped connection, timeout, HTTP 5xx/429)' },
];

export class SettingsError extends Error {}

/** A review key short enough to guess is refused rather than silently accepted. */
function reviewKey(env: NodeJS.ProcessEnv): string | null {
  const raw = env.REVIEW_API_KEY;
  if (raw === undefined || raw === '') return null;
  if (raw.length < 16) throw new SettingsError('REVIEW_API_KEY must be at least 16 characters (e.g. openssl rand -hex 16)');
  return raw;
}

/** A comma-separated list; empty entries dropped. */
function list(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

/** The host names a HOST stands for in the Host header: itself unless it is a wildcard (0.0.0.0, ::). */
function hostNames(host: string): string[] {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return [];
  return [host.includes(':') && !host.startsWith('[') ? `[${host}]` : host];
}

/** The access settings alone (the API reads them when it is not handed loaded settings). */
export function accessSettings(env: NodeJS.ProcessEnv = process.env): AccessSettings {
  const host = env.HOST || '127.0.0.1';
  const dataDir = path.resolve(REPO_ROOT, env.DATA_DIR || '.data');
  const trust = env.TRUST_PROXY;
  const allowAnonymousReads = env.ALLOW_ANONYMOUS_READS === undefined || env.ALLOW_ANONYMOUS_READS === '' ? undefined : bool(env, 'ALLOW_ANONYMOUS_READS', false);
  for (const origin of list(env, 'CORS_ORIGINS') ?? []) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) throw new SettingsError(`CORS_ORIGINS: ${JSON.stringify(origin)} must be an origin such as https://tools.example.org (no path, no trailing /)`);
  }
  return {
    host,
    apiKeysFile: env.API_KEYS_FILE ? path.resolve(env.API_KEYS_FILE) : undefined,
    apiKeys: env.API_KEYS || undefined,
    allowAnonymousReads,
    allowedHosts: [...new Set((list(env, 'ALLOWED_HOSTS') ?? ['localhost', '127.0.0.1', '[::1]', ...hostNames(host)]).map((h) => h.toLowerCase()))],
    corsOrigins: list(env, 'CORS_ORIGINS') ?? [],
    trustProxy: trust === undefined || trust === '' ? false : /^\d+$/.test(trust) ? Number(trust) : /^(1|true)$/i.test(trust) ? true : trust,
    rateLimitPerMinute: int(env, 'RATE_LIMIT', 1200, 0, 1_000_000),
    // 4 per core of a 2-core machine: a request alternates between Node (JSON, re-ranking) and Neo4j.
    maxConcurrentQueries: int(env, 'MAX_CONCURRENT_QUERIES', 8, 1, 1000),
    queryQueueLength: int(env, 'QUERY_QUEUE', 64, 0, 100_000),
    queryQueueWaitMs: int(env, 'QUERY_QUEUE_WAIT', 5, 0, 600) * 1000,
    auditDir: env.AUDIT_DIR ? path.resolve(env.AUDIT_DIR) : path.join(dataDir, 'audit'),
    auditReads: bool(env, 'AUDIT_READS', false),
  };
}

export interface ScreenBulkSettings {
  /** Most rows one file may hold (SCREEN_BULK_MAX_ROWS). */
  maxRows: number;
  /** Rows screened at once (SCREEN_BULK_CONCURRENCY). */
  concurrency: number;
  /** Largest upload to POST /api/screen/bulk, bytes (SCREEN_BULK_UPLOAD_MAX). */
  uploadMaxBytes: number;
  /** Longest an upload may go without a byte, ms (SCREEN_BULK_UPLOAD_IDLE). */
  uploadIdleMs: number;
  /** Bulk runs of the API at once (SCREEN_BULK_MAX_RUNS). */
  maxRuns: number;
}

/** Bulk screening's bounds (the API and the CLI read them when not handed loaded settings). */
export function screenBulkSettings(env: NodeJS.ProcessEnv = process.env): ScreenBulkSettings {
  return {
    maxRows: int(env, 'SCREEN_BULK_MAX_ROWS', 100_000, 1, 10_000_000),
    concurrency: int(env, 'SCREEN_BULK_CONCURRENCY', 2, 1, 64),
    // 100,000 rows of a few hundred bytes are some 30 MB: room to spare, and a bound on the disk one client takes.
    uploadMaxBytes: boundedSize(env, 'SCREEN_BULK_UPLOAD_MAX', '256m', 1024, 64 * 1024 ** 3),
    uploadIdleMs: int(env, 'SCREEN_BULK_UPLOAD_IDLE', 30, 1, 3600) * 1000,
    // Bulk files must not take every slot from single screens and the explorer.
    maxRuns: int(env, 'SCREEN_BULK_MAX_RUNS', Math.max(1, Math.floor(int(env, 'MAX_CONCURRENT_QUERIES', 8, 1, 1000) / 4)), 1, 1000),
  };
}

/**
 * SNAPSHOT_REUSE_MS (server/core/neo4j/database.ts Database.snapshot): how long a clean load snapshot may be
 * reused. A load registering just after it waits INGEST_READER_GRACE before writing; a request that takes
 * the reused snapshot at most this long after it was read ends within REQUEST_TIMEOUT (plus the driver's
 * 5 s of retries), so it is over before that load writes anything. The default keeps that margin; a value
 * that breaks it is refused.
 */
export function snapshotReuseMs(env: NodeJS.ProcessEnv = process.env): number {
  const { requestTimeoutMs } = apiLimits(env);
  const graceMs = int(env, 'INGEST_READER_GRACE', requestTimeoutMs / 1000 + 10, 0, 3600) * 1000;
  const safe = Math.max(0, Math.min(1000, graceMs - requestTimeoutMs - 5000));
  const raw = env.SNAPSHOT_REUSE_MS;
  if (raw === undefined || raw === '') return safe;
  const ms = int(env, 'SNAPSHOT_REUSE_MS', safe, 0, 60_000);
  if (ms > Math.max(0, graceMs - requestTimeoutMs - 5000)) {
    throw new SettingsError(
      `SNAPSHOT_REUSE_MS=${ms} is more than INGEST_READER_GRACE - REQUEST_TIMEOUT - 5 s (${Math.max(0, graceMs - requestTimeoutMs - 5000)} ms): ` +
        'a request could then read while a load that registered after its snapshot writes; lower it or raise INGEST_READER_GRACE',
    );
  }
  return ms;
}

/** The alert webhook (server/core/alerts.ts): ALERT_WEBHOOK_URL, _SECRET, _RETRIES, _BACKOFF_MS, _TIMEOUT_MS. */
export interface WebhookSettings {
  url: string | null;
  secret: string | null;
  /** Tries after the first (3). */
  retries: number;
  /** Wait before the first retry, doubled for each next one (ms). */
  backoffMs: number;
  /** Time allowed to one POST (ms). */
  timeoutMs: number;
}

export function alertWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const url = env.ALERT_WEBHOOK_URL || null;
  const secret = env.ALERT_WEBHOOK_SECRET || null;
  if (url !== null) {
    let ok: boolean;
    try {
      ok = ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new SettingsError(`ALERT_WEBHOOK_URL=${JSON.stringify(url)} is not an http:// or https:// URL`);
    if (secret === null) throw new SettingsError('ALERT_WEBHOOK_URL is set without ALERT_WEBHOOK_SECRET: alerts are never sent unsigned');
  }
  return {
    url,
    secret,
    retries: int(env, 'ALERT_WEBHOOK_RETRIES', 3, 0, 20),
    backoffMs: int(env, 'ALERT_WEBHOOK_BACKOFF_MS', 1000, 0, 600_000),
    timeoutMs: int(env, 'ALERT_WEBHOOK_TIMEOUT_MS', 10_000, 1, 600_000),
  };
}

/** CHROMIUM_PATH: the Chromium that prints case reports to PDF (server/core/report/pdf.ts). */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/** SCREEN_PREPARED_CANDIDATES (server/api/screen.ts preparedFromIndex): candidates kept prepared per name index. */
export function screenPreparedCandidates(env: NodeJS.ProcessEnv = process.env): number {
  return int(env, 'SCREEN_PREPARED_CANDIDATES', 25_000, 0, 10_000_000);
}

/** INGEST_SPOOL_DIR, default $DATA_DIR/spool: beside the store, not the system's (often small, RAM-backed) temp folder. */
export function ingestSpoolDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.INGEST_SPOOL_DIR ? path.resolve(env.INGEST_SPOOL_DIR) : path.join(path.resolve(REPO_ROOT, env.DATA_DIR || '.data'), 'spool');
}

/** The bounds of one GraphQL request (the API reads them when it is not handed loaded settings). */
export function apiLimits(env: NodeJS.ProcessEnv = process.env): ApiLimits {
  const queryTimeoutS = int(env, 'QUERY_TIMEOUT', 20, 1, 3600);
  return {
    maxQueryCost: int(env, 'MAX_QUERY_COST', 250_000, 1, 1_000_000_000),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT', queryTimeoutS, 1, 3600) * 1000,
  };
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min = 1, max = 65535 * 1000): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SettingsError(`${name}=${JSON.stringify(raw)} is not a whole number between ${min} and ${max}`);
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, dflt: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new SettingsError(`${name}=${JSON.stringify(raw)} must be 1/0, true/false, yes/no or on/off`);
}

/** An http(s) base URL, made to end with '/' so that file names resolve below it. */
function baseUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new SettingsError(`${name}=${JSON.stringify(raw)} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SettingsError(`${name}=${JSON.stringify(raw)} must start with https:// or http://`);
  if (u.search || u.hash) throw new SettingsError(`${name}=${JSON.stringify(raw)} must be a plain base URL, without ?query or #fragment`);
  return u.href.endsWith('/') ? u.href : `${u.href}/`;
}

/**
 * LOG_LEVEL. The logger (logger.ts) starts at this level when the process starts; loadSettings refuses
 * a value that is not a level, like any other malformed setting.
 */
export function logLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = env.LOG_LEVEL;
  if (raw === undefined || raw === '') return 'info';
  const level = LOG_LEVELS.find((l) => l === raw.toLowerCase());
  if (!level) throw new SettingsError(`LOG_LEVEL=${JSON.stringify(raw)} must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** Bytes of a size setting such as 512m or 2g. */
export function sizeBytes(size: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(size);
  if (!m) throw new SettingsError(`${JSON.stringify(size)} must look like 512m or 2g`);
  return Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2].toLowerCase() || ' ');
}

/** Bytes of a size setting (512k, 8m, 2g, or plain bytes), between min and max. */
function boundedSize(env: NodeJS.ProcessEnv, name: string, dflt: string, min: number, max: number): number {
  const bytes = sizeBytes(size(env, name, dflt));
  if (bytes < min || bytes > max) throw new SettingsError(`${name}=${env[name]} must be between ${min} and ${max} bytes`);
  return bytes;
}

/** NEO4J_TX_MEMORY: by default half the heap (1g of the default 2g), and always below the heap. */
function txMemory(env: NodeJS.ProcessEnv, heap: string): string {
  const raw = env.NEO4J_TX_MEMORY;
  const value = raw ? size(env, 'NEO4J_TX_MEMORY', raw) : `${Math.floor(sizeBytes(heap) / 2 / 1024 ** 2)}m`;
  if (sizeBytes(value) >= sizeBytes(heap) || sizeBytes(value) < 1024 ** 2) {
    throw new SettingsError(`NEO4J_TX_MEMORY=${value} must be at least 1m and less than NEO4J_HEAP (${heap})`);
  }
  return value;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|\[0*(:0*){0,6}:0*1\])$/i;

/**
 * An unencrypted NEO4J_URI (bolt://, neo4j://) to another machine sends the password and every query in
 * clear text: refused unless NEO4J_ALLOW_UNENCRYPTED says otherwise. Loopback addresses are fine.
 */
export function checkNeo4jUriTransport(uri: string, allowUnencrypted: boolean): void {
  const m = /^(neo4j|bolt)(\+s|\+ssc)?:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?]*)/i.exec(uri);
  if (!m || m[2] || allowUnencrypted || LOOPBACK_HOST.test(m[3])) return;
  throw new SettingsError(
    `NEO4J_URI=${uri.replace(/\/\/[^@/]*@/, '//')} is not encrypted but ${m[3]} is not this machine: the password and every query ` +
      `would cross the network in clear text. Use ${m[1]}+s:// (or ${m[1]}+ssc:// for a self-signed certificate), ` +
      'or set NEO4J_ALLOW_UNENCRYPTED=1 if the network is trusted.',
  );
}

function size(env: NodeJS.ProcessEnv, name: string, dflt: string): string {
  const raw = env[name] || dflt;
  if (!/^\d+[kmg]?$/i.test(raw)) throw new SettingsError(`${name}=${JSON.stringify(raw)} must look like 512m or 2g`);
  return raw.toLowerCase();
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const neo4jUri = env.NEO4J_URI || undefined;
  if (neo4jUri && !/^(neo4j|bolt)(\+s|\+ssc)?:\/\//.test(neo4jUri)) {
    throw new SettingsError(`NEO4J_URI=${neo4jUri} must start with neo4j://, neo4j+s://, bolt:// or bolt+s://`);
  }
  if (neo4jUri && !env.NEO4J_PASSWORD) {
    throw new SettingsError('NEO4J_URI is set but NEO4J_PASSWORD is not: set both (and NEO4J_USER if not "neo4j")');
  }
  const neo4jAllowUnencrypted = bool(env, 'NEO4J_ALLOW_UNENCRYPTED', false);
  if (neo4jUri) checkNeo4jUriTransport(neo4jUri, neo4jAllowUnencrypted);
  const neo4jHeap = size(env, 'NEO4J_HEAP', '2g');
  const javaHome = env.JAVA_HOME;
  return {
    port: int(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(REPO_ROOT, env.DATA_DIR || '.data'),
    neo4jUri,
    neo4jUser: env.NEO4J_USER || 'neo4j',
    neo4jPassword: env.NEO4J_PASSWORD || undefined,
    neo4jDatabase: env.NEO4J_DATABASE || (neo4jUri ? undefined : 'neo4j'),
    boltPort: int(env, 'NEO4J_BOLT_PORT', 7687, 1, 65535),
    neo4jHeap,
    neo4jPageCache: size(env, 'NEO4J_PAGECACHE', '2g'),
    neo4jStartTimeoutMs: int(env, 'NEO4J_START_TIMEOUT', 180, 1, 3600) * 1000,
    neo4jTxMemory: txMemory(env, neo4jHeap),
    neo4jOrphanGraceMs: int(env, 'NEO4J_ORPHAN_GRACE', 60, 0, 86_400) * 1000,
    neo4jAllowUnencrypted,
    neo4jCacheDir: path.resolve(
      env.NEO4J_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'sanctions-graph'),
    ),
    javaBin: env.JAVA || (javaHome ? path.join(javaHome, 'bin', 'java') : 'java'),
    mvnBin: env.MVN || 'mvn',
    loadDemoData: bool(env, 'LOAD_DEMO_DATA', true),
    ingestBatchSize: int(env, 'INGEST_BATCH_SIZE', 5000, 1, 1_000_000),
    ingestTxTimeoutMs: int(env, 'INGEST_TX_TIMEOUT', 900, 1, 86_400) * 1000,
    // A request's reads may also retry for the driver's 5 s after its deadline: 10 s more than it.
    ingestReaderGraceMs: int(env, 'INGEST_READER_GRACE', apiLimits(env).requestTimeoutMs / 1000 + 10, 0, 3600) * 1000,
    snapshotReuseMs: snapshotReuseMs(env),
    ingestMaxRecordBytes: boundedSize(env, 'INGEST_MAX_RECORD_SIZE', '8m', 1024, 1024 ** 3),
    ingestMaxValueBytes: boundedSize(env, 'INGEST_MAX_VALUE_SIZE', '4k', 64, 8000),
    ingestHeapGrowthPercent: int(env, 'INGEST_HEAP_GROWTH', 25, 0, 400),
    queryTimeoutMs: int(env, 'QUERY_TIMEOUT', 20, 1, 3600) * 1000,
    logLevel: logLevel(env),
    fetchDir: env.FETCH_DIR ? path.resolve(env.FETCH_DIR) : path.join(path.resolve(REPO_ROOT, env.DATA_DIR || '.data'), 'downloads'),
    ingestSpoolDir: ingestSpoolDir(env),
    screenBulk: screenBulkSettings(env),
    alertWebhook: alertWebhookSettings(env),
    fetchMirrorUrl: baseUrl(env, 'FETCH_BASE_URL'),
    fetchPublisherUrls: {
      ofac: baseUrl(env, 'FETCH_OFAC_URL'),
      un: baseUrl(env, 'FETCH_UN_URL'),
      opensanctions: baseUrl(env, 'FETCH_OPENSANCTIONS_URL'),
    },
    fetchTimeoutMs: int(env, 'FETCH_TIMEOUT', 60, 1, 3600) * 1000,
    fetchRetries: int(env, 'FETCH_RETRIES', 2, 0, 10),
    fetchMaxBytes: boundedSize(env, 'FETCH_MAX_SIZE', '2g', 1024, 1024 ** 4),
    reviewApiKey: reviewKey(env),
    access: accessSettings(env),
    api: apiLimits(env),
  };
}
