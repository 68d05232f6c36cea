/**
 * What ranking paths by evidence costs (paths(rank: EVIDENCE), server/core/paths/evidence.ts): on the
 * real OFAC SDN set of 2021-07-07 (the four files: links, addresses and identifiers) plus the
 * Consolidated list's ENHANCED_XML of 2025-01-10 (typed ownership), the same pairs of parties asked
 * with rank HOPS (mode K_SHORTEST, the baseline: one SHORTEST 50 search over every type) and rank
 * EVIDENCE (one SHORTEST 50 search per weight class, then ranked), both limit 10 and 4 hops,
 * interleaved in the same run through the API's query function (reads included).
 *
 *   node --import tsx bench/paths-evidence.ts   (its own Neo4j in .data/bench-paths-evidence; BENCH_PATHS_RUNS, 5)
 *
 * Appends one line to bench/results/paths-evidence.jsonl. The ratio EVIDENCE/HOPS at p50 is the figure;
 * absolute times are context (the machine is shared).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, NEO4J_VERSION } from '../server/core/settings';
import { ingest } from '../ingest/ingest';
import { paths } from '../server/api/paths';
import { freshNeo4jIn } from './growth';

const RUNS = Number(process.env.BENCH_PATHS_RUNS || 5);
const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const { settings, endpoint, db } = await freshNeo4jIn(path.join(REPO_ROOT, '.data', 'bench-paths-evidence'));
  try {
    await db.write('database-reset');
    await db.applySchema();
    const load = { progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs };
    await ingest(db, { ...load, paths: [path.join(SHARED, 'ofac-sdn-csv-2021-07-07')], release: '2021-07-07' });
    await ingest(db, { ...load, paths: [path.join(SHARED, 'ofac-cons-enhanced-xml-2025-01-10', 'CONS_ENHANCED.XML')] });
    // Pairs two to three steps apart over links, shared addresses or identifiers, from the best-connected parties (deterministic).
    const pairs = await db.runWrite<{ from: string; to: string }>(
      `MATCH (a:Party) WHERE NOT a:Placeholder
       WITH a, COUNT { (a)-[:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK]-() } AS d ORDER BY d DESC, a.id LIMIT 40
       MATCH (a)-[:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK]-()-[:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK|HAS_ADDRESS]-()-[:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK|HAS_ADDRESS]-(c:Party)
       WHERE c <> a
       WITH a, min(c.id) AS to RETURN a.id AS from, to ORDER BY from LIMIT 30`,
    );
    if (pairs.length < 10) throw new Error(`only ${pairs.length} pairs found`);
    const hops: number[] = [];
    const evidence: number[] = [];
    let found = { hops: 0, evidence: 0 };
    const time = async (f: () => Promise<unknown[]>): Promise<[number, number]> => {
      const t = process.hrtime.bigint();
      const r = await f();
      return [Number(process.hrtime.bigint() - t) / 1e6, r.length];
    };
    // One untimed round: plans cached and pages warm for both.
    for (const p of pairs) {
      await paths(db, { ...p, mode: 'K_SHORTEST', maxHops: 4, limit: 10 });
      await paths(db, { ...p, rank: 'EVIDENCE', maxHops: 4, limit: 10 });
    }
    for (let run = 0; run < RUNS; run++) {
      for (const p of pairs) {
        // Alternate which goes first, so neither always gets the warmer cache.
        const pairRuns: [string, () => Promise<unknown[]>][] = [
          ['hops', () => paths(db, { ...p, mode: 'K_SHORTEST', maxHops: 4, limit: 10 })],
          ['evidence', () => paths(db, { ...p, rank: 'EVIDENCE', maxHops: 4, limit: 10 })],
        ];
        if (run % 2) pairRuns.reverse();
        for (const [name, f] of pairRuns) {
          const [ms, n] = await time(f);
          (name === 'hops' ? hops : evidence).push(ms);
          if (run === 0) found = { ...found, [name]: found[name as 'hops' | 'evidence'] + n };
        }
      }
    }
    const result = {
      at: new Date().toISOString(),
      host: { cpus: os.cpus().length, load: os.loadavg()[0], neo4j: NEO4J_VERSION },
      data: 'ofac-sdn-csv-2021-07-07 + ofac-cons-enhanced-xml-2025-01-10',
      pairs: pairs.length,
      runs: RUNS,
      pathsFound: found,
      hopsMs: { p50: pct(hops, 50), p95: pct(hops, 95) },
      evidenceMs: { p50: pct(evidence, 50), p95: pct(evidence, 95) },
      ratioP50: pct(evidence, 50) / pct(hops, 50),
      ratioP95: pct(evidence, 95) / pct(hops, 95),
    };
    console.log(JSON.stringify(result));
    fs.appendFileSync(path.join(REPO_ROOT, 'bench', 'results', 'paths-evidence.jsonl'), JSON.stringify(result) + '\n');
  } finally {
    await db.close();
    await endpoint.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
