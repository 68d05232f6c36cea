/**
 * What keeping history costs today's reads (server/core/as-of.ts, cypher/load-purge-rels.cypher): on a
 * store holding the real SDN releases of 2021-07-07 (four files), 2024-04-26 and 2024-05-03, so with the
 * history the newer ones replaced (the 2021 addresses, ...), today's clean reads of the path,
 * neighbourhood-hop and node queries with history left out by a check of the relationship's type
 * (database.ts liveIn, the `'live'` texts) against the texts of a store without history (no check at
 * all: `{{visible:x}}` = true, `{{degree:x}}` a bare count, as before history was kept), same parameters,
 * interleaved, in the same run; and the same reads as of 2024-04-30, for scale.
 *
 *   node --import tsx bench/as-of.ts      (its own Neo4j in .data/bench-asof; BENCH_ASOF_RUNS, 200)
 *
 * Appends one line to bench/results/as-of.jsonl. Ratios > 1 mean slower than before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { query, queryWith } from '../server/core/neo4j/database';
import { REPO_ROOT, NEO4J_VERSION } from '../server/core/settings';
import { ingest } from '../ingest/ingest';
import { cutOf } from '../server/core/as-of';
import { DEFAULT_PATH_REL_TYPES, FACT_KIND_NAMES, FACT_KINDS, LABELS } from '../server/core/model';
import { freshNeo4jIn } from './growth';

const RUNS = Number(process.env.BENCH_ASOF_RUNS || 200);
const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions');


const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const { settings, endpoint, db } = await freshNeo4jIn(path.join(REPO_ROOT, '.data', 'bench-asof'));
  try {
    await db.write('database-reset');
    await db.applySchema();
    const load = { progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs };
    await ingest(db, { ...load, paths: [path.join(SHARED, 'ofac-sdn-csv-2021-07-07')], release: '2021-07-07' });
    await ingest(db, { ...load, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv')], release: '2024-04-26' });
    await ingest(db, { ...load, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], release: '2024-05-03' });
    const snap = await db.snapshot();
    if (!snap.clean || !snap.history) throw new Error('the store is not clean, or holds no history, after the loads: the bench measures clean reads beside history');
    const [{ past }] = await db.runWrite<{ past: number }>("MATCH ()-[r]->() WHERE type(r) STARTS WITH 'PAST_' RETURN count(r) AS past");
    const cut = cutOf('2024-04-30', await db.read('as-of-loads', {}), snap)!;
    const asOf = { ...snap, clean: false, asOfLoads: cut.loads, asOfDate: cut.date };

    // Pairs 3 network hops apart, from the parties with the most links (deterministic).
    const pairs = await db.runWrite<{ from: string; to: string; eid: string }>(
      `MATCH (a:Party) WHERE NOT a:Placeholder
       WITH a, COUNT { (a)-[:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK]-() } AS d ORDER BY d DESC, a.id LIMIT 60
       MATCH (a)-[:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK]-()-[:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK]-()-[:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK]-(c:Party)
       WHERE c <> a AND NOT EXISTS { (a)-[:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK]-(c) }
       WITH a, min(c.id) AS to RETURN a.id AS from, to, elementId(a) AS eid ORDER BY from LIMIT 30`,
    );
    const ranks = FACT_KIND_NAMES.map((k) => ({ label: LABELS[k], rank: neo4j.int(FACT_KINDS[k].rank) }));
    const cases: { name: string; text: { before: string; now: string; asOf: string }; params: (i: number) => Record<string, unknown> }[] = [
      {
        name: 'shortest path (4 hops)',
        text: { before: queryWith('api-paths-shortest', { maxHops: 4 }, true), now: queryWith('api-paths-shortest', { maxHops: 4 }, 'live'), asOf: queryWith('api-paths-shortest', { maxHops: 4 }, 'asOf') },
        params: (i) => ({ from: pairs[i % pairs.length].from, to: pairs[i % pairs.length].to, types: DEFAULT_PATH_REL_TYPES, exclude: [] }),
      },
      {
        name: 'neighbourhood hop (all types)',
        text: { before: query('api-neighborhood-hop', true), now: query('api-neighborhood-hop', 'live'), asOf: query('api-neighborhood-hop', 'asOf') },
        params: (i) => ({ frontier: [pairs[i % pairs.length].eid], seen: [], types: null, perNode: neo4j.int(200), scan: neo4j.int(401), ranks }),
      },
      {
        name: 'nodes with degree',
        text: { before: query('api-subgraph-nodes', true), now: query('api-subgraph-nodes', 'live'), asOf: query('api-subgraph-nodes', 'asOf') },
        params: (i) => ({ eids: pairs.slice(0, 1 + (i % pairs.length)).map((p) => p.eid) }),
      },
    ];
    const session = db.driver.session({ database: db.database, defaultAccessMode: neo4j.session.READ });
    const results: Record<string, unknown>[] = [];
    try {
      const run = async (text: string, params: Record<string, unknown>) => {
        const t = process.hrtime.bigint();
        const res = await session.executeRead((tx) => tx.run(text, params));
        return { ms: Number(process.hrtime.bigint() - t) / 1e6, rows: res.records.length };
      };
      for (const c of cases) {
        const ms: Record<'before' | 'now' | 'asOf', number[]> = { before: [], now: [], asOf: [] };
        for (const k of ['before', 'now', 'asOf'] as const) await run(c.text[k], { ...c.params(0), ...snap, ...(k === 'asOf' ? asOf : {}) }); // plans, warm caches
        for (let i = 0; i < RUNS; i++) {
          // Interleaved, in turn first, so that load on the machine falls on both alike.
          const order = (['before', 'now', 'asOf'] as const).map((_, j, all) => all[(i + j) % 3]);
          for (const k of order) ms[k].push((await run(c.text[k], { ...c.params(i), ...snap, ...(k === 'asOf' ? asOf : {}) })).ms);
        }
        const row = {
          query: c.name,
          beforeP50: pct(ms.before, 50),
          nowP50: pct(ms.now, 50),
          asOfP50: pct(ms.asOf, 50),
          nowP95: pct(ms.now, 95),
          beforeP95: pct(ms.before, 95),
          nowVsBefore: pct(ms.now, 50) / pct(ms.before, 50),
        };
        console.error(JSON.stringify(row));
        results.push(row);
      }
    } finally {
      await session.close();
    }
    const out = path.join(REPO_ROOT, 'bench', 'results', 'as-of.jsonl');
    const load1 = os.loadavg()[0];
    fs.appendFileSync(out, JSON.stringify({ at: new Date().toISOString(), host: { cpus: os.cpus().length, node: process.version, neo4j: NEO4J_VERSION }, loadAverage: load1, runs: RUNS, pastRelationships: past, pairs: pairs.length, results }) + '\n');
    console.error(`results appended to ${path.relative(REPO_ROOT, out)}`);
  } finally {
    await db.close();
    await endpoint.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
