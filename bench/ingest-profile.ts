/**
 * Where one load's time goes (not a benchmark: no ratio, nothing appended to bench/results): the real
 * SDN file loaded twice into an emptied store of a fresh Neo4j of its own (.data/ingest-profile), the
 * second load with the loader's phase timings (LOG_LEVEL=debug) and, for the first batch of every write
 * query, Neo4j's PROFILE of it (operators, rows, db hits) printed to stderr. Run it under
 * `node --cpu-prof` for Node's share:
 *
 *   LOG_LEVEL=debug node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/ingest-profile.ts
 */
import path from 'node:path';
import type { ManagedTransaction } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import { REPO_ROOT } from '../server/core/settings';
import { DEFAULT_SOURCES } from './scale/generate';
import { Database, query, queryWith, type TxRun } from '../server/core/neo4j/database';
import { ingest } from '../ingest/ingest';
import { freshNeo4jIn } from './growth';
import { graphCounts } from './ingest-baseline';

type Plan = { operatorType: string; rows: number; dbHits: number; children: Plan[] };

function printPlan(p: Plan, depth = 0): void {
  console.error(`${'  '.repeat(depth)}${p.operatorType} rows=${p.rows} dbHits=${p.dbHits}`);
  for (const c of p.children) printPlan(c, depth + 1);
}

/** A Database whose load transactions PROFILE the first run of each write query. */
class ProfilingDatabase extends Database {
  private readonly seen = new Set<string>();
  override async inWriteTransaction<R>(timeoutMs: number, work: (run: TxRun) => Promise<R>): Promise<R> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(async (tx: ManagedTransaction) =>
        work(async (name, params, slots) => {
          const text = slots ? queryWith(name, slots) : query(name);
          const key = slots ? `${name}:${JSON.stringify(slots)}` : name;
          if (!name.startsWith('ingest-') || this.seen.has(key)) return (await tx.run(text, params)).records.map((r) => r.toObject());
          this.seen.add(key);
          const t = Date.now();
          const res = await tx.run(`PROFILE ${text}`, params);
          console.error(`PROFILE ${key} (${Date.now() - t} ms)`);
          const plan = res.summary.profile as unknown as Plan | false;
          if (plan) printPlan(plan, 1);
          return res.records.map((r) => r.toObject());
        }),
        { timeout: timeoutMs },
      );
    } finally {
      await session.close();
    }
  }
}

async function main(): Promise<void> {
  const { settings, endpoint, db: plain } = await freshNeo4jIn(path.join(REPO_ROOT, '.data', 'ingest-profile'));
  const db = new ProfilingDatabase(endpoint, 600_000);
  const opts = { paths: [DEFAULT_SOURCES.sdn], release: DEFAULT_SOURCES.ofacRelease, progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs };
  try {
    for (const round of ['warm-up', 'profiled']) {
      await plain.write('database-reset');
      await plain.applySchema();
      const t = process.hrtime.bigint();
      await ingest(round === 'warm-up' ? plain : db, opts);
      console.error(`${round}: ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s; ${JSON.stringify(await graphCounts(plain))}`);
    }
  } finally {
    await db.close();
    await plain.close();
    await endpoint.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
