/**
 * The one driver of the process and the named-query runner. Queries live in cypher/<name>.cypher, one
 * per file, and take values only as $parameters. Reads run in read transactions (routed to replicas
 * on a cluster, and unable to write); loads write in batches of explicit write transactions that
 * readers see all at once (visibleIn).
 */
import fs from 'node:fs';
import path from 'node:path';
import neo4j, { Driver, ManagedTransaction, QueryResult, RecordShape, Transaction } from 'neo4j-driver';
import { REPO_ROOT, snapshotReuseMs } from '../settings';
import { TimeoutError, translateDriverError } from '../errors';
import type { Neo4jEndpoint } from './embedded';
import { isAllowedLabel, isAllowedRelType, REL_TYPE_NAMES } from '../model';

export const CYPHER_DIR = path.join(REPO_ROOT, 'cypher');

const cache = new Map<string, string>();

/**
 * What `{{visible:x}}` in a query stands for: node or relationship `x` is part of the graph a reader
 * sees. Loads write in many small transactions (ingest/loader.ts); what a load adds carries its number
 * (`addedSeq`), what it takes away is marked (`removedSeq`) and stays until the load has committed and
 * no reader can still be using it. A reader takes a snapshot when it starts (`$seq`: the last load
 * number then, `$hidden`: the loads not committed then) and sees what was added by a committed load it
 * knows and not removed by one: the previous release or the new one, never a mix. Queries that use it
 * get `$seq` and `$hidden` from Database.read (one snapshot per request under withDeadline).
 */
export function visibleIn(x: string): string {
  return (
    `(coalesce(${x}.addedSeq, 0) <= $seq AND NOT coalesce(${x}.addedSeq, 0) IN $hidden ` +
    `AND (${x}.removedSeq IS NULL OR ${x}.removedSeq > $seq OR ${x}.removedSeq IN $hidden))`
  );
}

/**
 * What a load replaced is kept, as history, once it is purged (cypher/load-purge-rels.cypher): a
 * relationship the newer release no longer states becomes one of type `PAST_<type>` between the same
 * nodes, with its properties (added and removed load numbers among them). Today's queries never match
 * it: a typed pattern names the live types only, and `{{visible:x}}` / `{{degree:x}}` leave it out
 * (a check of the relationship's type, read with the relationship itself: no property is read, so the
 * unfiltered reads stay unfiltered). Reads "as of a date" (server/core/as-of.ts) read both.
 */
export const PAST_PREFIX = 'PAST_';
const PAST_TYPES = REL_TYPE_NAMES.map((t) => PAST_PREFIX + t);
const PAST_TYPE_EXPRESSION = PAST_TYPES.join('|');

/**
 * The relationship variables a query declares (`-[r]-`, `-[r:TYPE]->`): in a clean read only these
 * need liveIn; a node is never history, and a check on every node a path expands is not free.
 */
function relationshipsOf(text: string): Set<string> {
  return new Set([...text.matchAll(/\[\s*(\w+)\s*[:\]]/g)].map((m) => m[1]));
}

/** `x` (a node or a relationship) is not history: for a node always true (no label is a PAST_ type). */
export function liveIn(x: string): string {
  return `NOT ${x}:${PAST_TYPE_EXPRESSION}`;
}

/**
 * What `{{visible:x}}` stands for in a read as of a date (server/core/as-of.ts): `x` was added by a load
 * the date sees and not removed by one (`$asOfLoads`: the committed loads of each dataset up to the
 * last one whose release is on or before the date, and 0 for what carries no load number). History
 * (PAST_ relationships) counts like the rest.
 */
export function visibleAsOf(x: string): string {
  return `(coalesce(${x}.addedSeq, 0) IN $asOfLoads AND NOT coalesce(${x}.removedSeq, -1) IN $asOfLoads)`;
}

/**
 * What `{{degree:x}}` stands for: how many relationships of node `x` a reader sees. With nothing hidden
 * it is a bare pattern count, which Neo4j answers from the node's degree store without reading the
 * relationships (GetDegree: a program of 8,000 members counted in 1 db hit instead of 8,000), less the
 * node's history, counted the same way by type; any predicate, even `WHERE true`, makes it expand every
 * relationship.
 */
export function degreeIn(x: string, clean: QueryMode): string {
  if (clean === 'asOf') return `COUNT { (${x})-[${x}_deg]-() WHERE ${visibleAsOf(`${x}_deg`)} }`;
  if (clean === 'live') return `(COUNT { (${x})--() } - COUNT { (${x})-[:${PAST_TYPE_EXPRESSION}]-() })`;
  return clean ? `COUNT { (${x})--() }` : `COUNT { (${x})-[${x}_deg]-() WHERE ${visibleIn(`${x}_deg`)} }`;
}

/**
 * How a named query is read: `false` filtered by the load snapshot; `true` clean (nothing to hide, no
 * history in the store: no check at all); `'live'` clean with history in the store (liveIn); `'asOf'`:
 * as of a date (asOfText).
 */
export type QueryMode = boolean | 'live' | 'asOf';

/**
 * A read query's text as of a date: what it matches of today's graph, it matches of the graph as the
 * date saw it, with no change to the query file:
 * - `{{visible:x}}` and `{{degree:x}}` as visibleAsOf says;
 * - a typed relationship pattern `[r:A|B]` also matches its history `[r:A|B|PAST_A|PAST_B]`, and
 *   `type(r)` reads a history relationship's live type;
 * - a party's delisting (`x.delistedOn`, and in `x {.*}` also its datasets) shows only if it happened
 *   on or before the date (`$asOfDate`): a party delisted later was listed, in the datasets it left.
 */
function asOfText(text: string): string {
  const delisted = (x: string) => `(CASE WHEN ${x}.delistedOn <= $asOfDate THEN ${x}.delistedOn END)`;
  return text
    .replace(/\{\{degree:(\w+)\}\}/g, (_, x: string) => degreeIn(x, 'asOf'))
    .replace(/\{\{visible:(\w+)\}\}/g, (_, x: string) => visibleAsOf(x))
    .replace(/\[(\s*\w*\s*):\s*([A-Z][A-Z_]*(?:\s*\|\s*[A-Z][A-Z_]*)*)/g, (_, v: string, types: string) => {
      const names = types.split('|').map((t) => t.trim());
      return `[${v}:${[...names, ...names.map((t) => PAST_PREFIX + t)].join('|')}`;
    })
    .replace(/\btype\((\w+)\)/g, (_, x: string) => `replace(type(${x}), '${PAST_PREFIX}', '')`)
    .replace(/\b(\w+)\.delistedOn\b(?!\s*<=)/g, (_, x: string) => delisted(x))
    .replace(/\b(\w+) \{\.\*\}/g, (_, x: string) =>
      `${x} {.*, delistedOn: ${delisted(x)}, datasets: CASE WHEN ${x}.delistedOn > $asOfDate ` +
      `THEN coalesce(${x}.datasets, []) + [d IN coalesce(${x}.formerDatasets, []) WHERE NOT d IN coalesce(${x}.datasets, [])] ` +
      `ELSE ${x}.datasets END}`,
    );
}

/**
 * The text of cypher/<name>.cypher. Names are file names we ship, never client input. `clean`: the
 * database holds nothing a reader must not see (LoadSnapshot.clean), so `{{visible:x}}` is `true`, or
 * only the check that `x` is not history (liveIn) once the store holds some (`'live'`): reading the two
 * properties on every relationship a path query expands doubled its time. `'asOf'`: see asOfText.
 * `{{degree:x}}`: see degreeIn.
 */
export function query(name: string, clean: QueryMode = false): string {
  const key = `${name}#${String(clean)}`;
  let text = cache.get(key);
  if (text === undefined) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid query name ${name}`);
    text = fs.readFileSync(path.join(CYPHER_DIR, `${name}.cypher`), 'utf8');
    text =
      clean === 'asOf'
        ? asOfText(text)
        : text
            .replace(/\{\{degree:(\w+)\}\}/g, (_, x: string) => degreeIn(x, clean))
            .replace(/\{\{visible:(\w+)\}\}/g, (_, x: string) =>
              clean === 'live' ? (relationshipsOf(text!).has(x) ? liveIn(x) : 'true') : clean ? 'true' : visibleIn(x),
            );
    cache.set(key, text);
  }
  return text;
}

/** A reader's view of the loads (see visibleIn). */
export interface LoadSnapshot {
  seq: number;
  hidden: number[];
  /** Nothing to hide: no load open, nothing removed awaiting its purge. */
  clean: boolean;
  /** The store holds history (PAST_ relationships: load-purge-rels); clean reads then leave it out. */
  history?: boolean;
  /** A read as of a date (server/core/as-of.ts): the loads it sees (visibleAsOf) and the date. */
  asOfLoads?: number[];
  asOfDate?: string;
}

/** Whether a query text reads through the load snapshot. */
const needsSnapshot = (text: string) => text.includes('$hidden');

/** How a read with this snapshot reads its query (QueryMode). */
const modeOf = (snap: LoadSnapshot): QueryMode => (snap.asOfLoads ? 'asOf' : snap.clean && snap.history ? 'live' : snap.clean);

/** Tries of a snapshot read that fails with a transient error (Database.snapshot). */
const SNAPSHOT_ATTEMPTS = 3;

/** Largest whole number a slot may take: the API's cap on path length. */
export const MAX_SLOT_INT = 6;

/**
 * A query whose relationship type, label or path-length bound is fixed per call: `{{name}}` slots in
 * the file are filled only with names on the model's allow-list, or a whole number from 1 to
 * MAX_SLOT_INT. Cypher cannot take these as $parameters (a type in MERGE would lose its index-backed
 * plan; a quantifier bound {1,n} must be a literal).
 */
export function queryWith(name: string, slots: Record<string, string | number>, clean: QueryMode = false): string {
  return query(name, clean).replace(/\{\{(\w+)\}\}/g, (_, slot: string) => {
    const value = slots[slot];
    if (typeof value === 'number') {
      if (!Number.isInteger(value) || value < 1 || value > MAX_SLOT_INT) throw new Error(`query ${name}: slot ${slot} must be 1 to ${MAX_SLOT_INT}, got ${value}`);
      return String(value);
    }
    if (value === undefined || !(isAllowedRelType(value) || isAllowedLabel(value))) {
      throw new Error(`query ${name}: slot ${slot} must be a model label or relationship type, got ${JSON.stringify(value)}`);
    }
    return value;
  });
}

/** Statements of a multi-statement file (schema.cypher): split at ";" ending a line, comments dropped. */
export function statements(name: string): string[] {
  return query(name)
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*\/\/.*$/gm, '').trim())
    .filter((s) => s !== '');
}

/**
 * The names schema.cypher gives its constraints and indexes, one per statement: what `schema-online` looks
 * for. A statement without a name (Neo4j would make one up) could never be found there, so it is refused.
 */
export function schemaNames(): string[] {
  return statements('schema').map((s) => {
    const name = /^CREATE (?:CONSTRAINT|(?:FULLTEXT |TEXT |RANGE |POINT |VECTOR )?INDEX) (\w+) IF NOT EXISTS\b/.exec(s)?.[1];
    if (!name) throw new Error(`cypher/schema.cypher: every statement names its constraint or index and says IF NOT EXISTS: ${s.slice(0, 80)}`);
    return name;
  });
}

export type Params = Record<string, unknown>;

/** Runs a named query inside the transaction of inWriteTransaction (slots as for queryWith). */
export type TxRun = (name: string, params: Params, slots?: Record<string, string | number>) => Promise<RecordShape[]>;

export class Database {
  readonly driver: Driver;
  readonly database: string | undefined;
  /**
   * Chains every session of this process (causal consistency): on a cluster, a read waits until the
   * member serving it has caught up with what this process last wrote or read, so a request's snapshot
   * and its reads, and a load's reads after its own writes, never see an older state. Free on one server.
   */
  private readonly bookmarks = neo4j.bookmarkManager();

  /** SNAPSHOT_REUSE_MS: how long a clean snapshot serves later readers (snapshot()). */
  private readonly reuseMs: number;
  /**
   * The last clean snapshot read and when (see snapshot()); `writes` counts this process's writes begun.
   * An object changed in place, never replaced: the request-scoped copies of withDeadline (objects created
   * from this one) share it.
   */
  private readonly reusable: { snap: LoadSnapshot | null; at: number; writes: number } = { snap: null, at: 0, writes: 0 };

  constructor(
    readonly endpoint: Pick<Neo4jEndpoint, 'uri' | 'user' | 'password' | 'database'>,
    /** Upper bound of one read (QUERY_TIMEOUT). */
    readonly queryTimeoutMs = 20_000,
    readonly options: {
      /** SNAPSHOT_REUSE_MS (settings.ts snapshotReuseMs, which also explains why it is safe). */
      snapshotReuseMs?: number;
      /** The clock the reuse is measured with (tests). */
      now?: () => number;
    } = {},
  ) {
    this.database = endpoint.database;
    this.reuseMs = options.snapshotReuseMs ?? snapshotReuseMs();
    this.driver = neo4j.driver(endpoint.uri, neo4j.auth.basic(endpoint.user, endpoint.password), {
      // Integers come back as JS numbers: our counts and ids stay far below 2^53.
      disableLosslessIntegers: true,
      connectionAcquisitionTimeout: 30_000,
      // Reads retry transient failures for this long, then the API answers 503 rather than hanging.
      maxTransactionRetryTime: 5_000,
      userAgent: 'sanctions-graph',
    });
  }

  async verify(): Promise<void> {
    try {
      await this.driver.verifyConnectivity({ database: this.database });
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  /** Runs a named query in a read transaction and returns plain objects. */
  async read<T extends RecordShape = RecordShape>(
    name: string,
    params: Params = {},
    timeoutMs = this.queryTimeoutMs,
    slots?: Record<string, string | number>,
  ): Promise<T[]> {
    let text = slots ? queryWith(name, slots) : query(name);
    // A read as of a date reads every query's as-of text (also one that reads nothing through the
    // snapshot: `type(r)` of a history relationship is its live type).
    if (needsSnapshot(text) || params.asOfLoads !== undefined) {
      const snap = params.hidden === undefined ? await this.snapshot() : (params as unknown as LoadSnapshot);
      params = { ...params, ...snap };
      const mode = modeOf(snap);
      if (mode !== false) text = slots ? queryWith(name, slots, mode) : query(name, mode);
    }
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ, bookmarkManager: this.bookmarks });
    try {
      const res = await session.executeRead((tx: ManagedTransaction) => tx.run<T>(text, params), { timeout: timeoutMs });
      return res.records.map((r) => r.toObject());
    } catch (err) {
      throw translateDriverError(err);
    } finally {
      await session.close();
    }
  }

  /**
   * The loads a reader starting now sees (see visibleIn). The last load number is read first: a load
   * that registers after it has a larger number and stays hidden even if the list of open loads, read
   * next, already missed or included it.
   */
  async snapshot(): Promise<LoadSnapshot> {
    // A clean snapshot read less than SNAPSHOT_REUSE_MS ago still holds for a request starting now: a load
    // that registered since has written nothing yet and will not before this request ends (it waits
    // INGEST_READER_GRACE; settings.ts snapshotReuseMs). Only a clean one: a load open or a purge pending
    // can change what readers see at any moment. Searches answered from the name index then need no
    // round trip at all.
    const reuseMs = this.reuseMs;
    const now = this.options.now ?? Date.now;
    const held = this.reusable;
    if (reuseMs > 0 && held.snap && now() - held.at < reuseMs) return held.snap;
    const takenAt = now();
    const writes = held.writes;
    const snap = await this.readSnapshot();
    // Timed from before the read: the load may have registered right after the read's statement ran. Not
    // kept when this process began a write meanwhile (its own load may have registered without the grace).
    if (reuseMs > 0 && snap.clean && held.writes === writes && takenAt >= held.at) {
      held.snap = snap;
      held.at = takenAt;
    }
    return snap;
  }

  /** Forgets the reusable snapshot: this process is about to write (its own load, a reset). */
  private forgetSnapshot(): void {
    this.reusable.snap = null;
    this.reusable.at = 0;
    this.reusable.writes++;
  }

  private async readSnapshot(): Promise<LoadSnapshot> {
    // An auto-commit read: one round trip (RUN and PULL sent together) where a managed transaction takes
    // two (its COMMIT waits for the results). Every request reads this first, and a search answered from
    // the name index is otherwise a tenth of a millisecond. One statement, so it reads one state either
    // way; retried as executeRead retries (a transient error: a leader switch, a member catching up).
    for (let attempt = 1; ; attempt++) {
      const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ, bookmarkManager: this.bookmarks });
      try {
        const res = await session.run(query('load-snapshot'), {}, { timeout: 10_000 });
        const r = res.records[0];
        return {
          seq: Number(r?.get('seq') ?? 0),
          hidden: ((r?.get('hidden') as unknown[]) ?? []).map(Number),
          clean: r?.get('clean') === true,
          history: r?.get('history') === true,
        };
      } catch (err) {
        if (attempt < SNAPSHOT_ATTEMPTS && neo4j.isRetryableError(err)) continue;
        throw translateDriverError(err);
      } finally {
        await session.close();
      }
    }
  }

  /** Runs a named query in its own auto-commit write transaction (schema, maintenance). */
  async write<T extends RecordShape = RecordShape>(name: string, params: Params = {}): Promise<T[]> {
    return this.runWrite<T>(query(name), params);
  }

  async runWrite<T extends RecordShape = RecordShape>(text: string, params: Params = {}): Promise<T[]> {
    this.forgetSnapshot();
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE, bookmarkManager: this.bookmarks });
    try {
      const res: QueryResult<T> = await session.run<T>(text, params);
      return res.records.map((r) => r.toObject());
    } catch (err) {
      throw translateDriverError(err);
    } finally {
      await session.close();
    }
  }

  /**
   * Runs `work` inside one explicit write transaction: everything commits together or nothing does.
   * If the process dies half-way, Neo4j rolls the transaction back. (A load is many of these, made one
   * for readers by its load number: ingest/loader.ts.)
   */
  async inWriteTransaction<R>(timeoutMs: number, work: (run: TxRun) => Promise<R>): Promise<R> {
    this.forgetSnapshot();
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE, bookmarkManager: this.bookmarks });
    let tx: Transaction | undefined;
    try {
      tx = session.beginTransaction({ timeout: timeoutMs });
      const t = tx;
      const result = await work(async (name, params, slots) => {
        const text = slots ? queryWith(name, slots) : query(name);
        if (needsSnapshot(text) && params.hidden === undefined) params = { ...params, ...(await this.snapshot()) };
        return (await t.run(text, params)).records.map((r) => r.toObject());
      });
      await tx.commit();
      return result;
    } catch (err) {
      if (tx?.isOpen()) await tx.rollback().catch(() => undefined);
      throw translateDriverError(err);
    } finally {
      await session.close();
    }
  }

  /**
   * Applies cypher/schema.cypher; every statement is idempotent (IF NOT EXISTS). Runs on every start and
   * before every load: when every index and constraint it names is there and online (one read), nothing
   * more is run. Its 26 statements are a transaction each: about 150 ms of a load of the SDN list.
   */
  async applySchema(): Promise<void> {
    const names = schemaNames();
    // The check only saves time: if it cannot be made (a user not allowed to list indexes), apply as before.
    const online = await this.read<{ online: number }>('schema-online', { names }).then(
      ([r]) => r.online,
      () => -1,
    );
    if (online === names.length) return;
    for (const s of statements('schema')) await this.runWrite(s);
    await this.runWrite('CALL db.awaitIndexes(300)');
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

/**
 * `db` with its reads bounded by one deadline (ms since the epoch), e.g. one request's: each read gets
 * the time left as its transaction timeout (at most its own), none starts once the deadline has passed,
 * and a read stopped by that timeout fails with `timedOut()`. Nothing of `db` is used until a read.
 */
export function withDeadline(db: Database, deadline: number, timedOut: () => Error): Database {
  const bounded = Object.create(db) as Database;
  // One snapshot for all the reads of a request: its answer shows one state of the lists.
  let snapshot: Promise<LoadSnapshot> | undefined;
  bounded.snapshot = () => (snapshot ??= db.snapshot());
  bounded.read = async <T extends RecordShape = RecordShape>(
    name: string,
    params: Params = {},
    timeoutMs?: number,
    slots?: Record<string, string | number>,
  ): Promise<T[]> => {
    const own = timeoutMs ?? db.queryTimeoutMs;
    const left = Math.ceil(deadline - Date.now());
    if (left <= 0) throw timedOut();
    try {
      const text = slots ? queryWith(name, slots) : query(name);
      if (needsSnapshot(text) && params.hidden === undefined) params = { ...params, ...(await bounded.snapshot()) };
      return await db.read<T>(name, params, Math.min(own, left), slots);
    } catch (err) {
      throw err instanceof TimeoutError && left <= own ? timedOut() : err;
    }
  };
  return bounded;
}
