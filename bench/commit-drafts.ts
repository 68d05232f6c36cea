/**
 * Memory of a load's final transaction when the release restates many loaded parties with other fields
 * (drafts, issue 11): on the real SDN list of 2024-05-03, a draft for every party as a release renaming
 * each would stage (cypher/bench-make-drafts.cypher), applied
 * - `ours`: as a load applies them now (ingest-apply-drafts, DRAFT_CHUNK ids a query, only the fields that
 *   differ written, the drafts deleted after the commit);
 * - `whole`: as before (bench-apply-drafts-whole: one query, every field removed and set again, the
 *   drafts deleted in the same transaction), the baseline of the same run;
 * each in a transaction that is measured (Neo4j's estimatedUsedHeapMemory, SHOW TRANSACTIONS, from
 * another session while it is open) and rolled back, alternating, BENCH_DRAFTS_RUNS (3) times each.
 *
 *   node --import tsx bench/commit-drafts.ts      (its own Neo4j in .data/bench-drafts)
 *
 * Appends one line to bench/results/ingest.jsonl (`kind: "commit-drafts"`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, NEO4J_VERSION } from '../server/core/settings';
import { ingest } from '../ingest/ingest';
import { DRAFT_CHUNK, DRAFT_FIELDS } from '../ingest/loader';
import { LABELS, PARTY_KIND_NAMES } from '../server/core/model';
import type { Database } from '../server/core/neo4j/database';
import { freshNeo4jIn } from './growth';

const RUNS = Number(process.env.BENCH_DRAFTS_RUNS || 3);
const FILE = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const SEQ = 1_000_000;
const DATASET = 'ofac-sdn';

class RolledBack extends Error {}

/** Runs `apply` in a write transaction, measures its memory while it is open, and rolls it back. */
async function measure(db: Database, apply: (run: Parameters<Parameters<Database['inWriteTransaction']>[1]>[0]) => Promise<number>): Promise<{ mb: number; applied: number; seconds: number }> {
  let out = { mb: 0, applied: 0, seconds: 0 };
  const t = process.hrtime.bigint();
  await db
    .inWriteTransaction(600_000, async (run) => {
      const applied = await apply(run);
      const seconds = Number(process.hrtime.bigint() - t) / 1e9;
      const [{ bytes }] = await db.read<{ bytes: number }>('bench-tx-memory', {});
      out = { mb: Number(bytes) / 2 ** 20, applied, seconds };
      throw new RolledBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RolledBack) && !((err as Error).cause instanceof RolledBack)) throw err;
    });
  return out;
}

async function main(): Promise<void> {
  const { settings, endpoint, db } = await freshNeo4jIn(path.join(REPO_ROOT, '.data', 'bench-drafts'));
  try {
    await db.write('database-reset');
    await db.applySchema();
    await ingest(db, { progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs, paths: [FILE], release: '2024-05-03' });
    const allKindLabels = [...PARTY_KIND_NAMES, LABELS.Placeholder];
    const [{ drafts }] = await db.write<{ drafts: number }>('bench-make-drafts', { seq: SEQ, dataset: DATASET, allKindLabels });
    const ids = (await db.read<{ id: string }>('ingest-draft-ids', { seq: SEQ })).map((r) => r.id);
    const base = { seq: SEQ, dataset: DATASET, release: '2024-05-10', allKindLabels };
    const ways = {
      ours: async (run: Parameters<Parameters<Database['inWriteTransaction']>[1]>[0]) => {
        let applied = 0;
        for (let i = 0; i < ids.length; i += DRAFT_CHUNK) {
          const [r] = await run('ingest-apply-drafts', { ...base, ids: ids.slice(i, i + DRAFT_CHUNK), fields: DRAFT_FIELDS });
          applied += Number(r.applied);
        }
        return applied;
      },
      whole: async (run: Parameters<Parameters<Database['inWriteTransaction']>[1]>[0]) => {
        const [r] = await run('bench-apply-drafts-whole', { ...base, nullProps: Object.fromEntries(DRAFT_FIELDS.map((k) => [k, null])) });
        return Number(r.applied);
      },
    };
    const results: Record<string, { mb: number; seconds: number }[]> = { ours: [], whole: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const [name, apply] of Object.entries(ways)) {
        const r = await measure(db, apply);
        if (r.applied !== Number(drafts)) throw new Error(`${name} applied ${r.applied} of ${drafts} drafts`);
        results[name].push({ mb: r.mb, seconds: r.seconds });
        console.error(`${name}: ${r.mb.toFixed(1)} MB, ${r.seconds.toFixed(1)} s`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const mb = { ours: median(results.ours.map((r) => r.mb)), whole: median(results.whole.map((r) => r.mb)) };
    const line = {
      at: new Date().toISOString(),
      kind: 'commit-drafts',
      host: { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION },
      drafts: Number(drafts),
      change: 'every party renamed (name and digest differ)',
      runs: RUNS,
      txMemoryMB: mb,
      kBPerDraft: { ours: (mb.ours * 1024) / Number(drafts), whole: (mb.whole * 1024) / Number(drafts) },
      ratio: mb.ours / mb.whole,
      seconds: { ours: median(results.ours.map((r) => r.seconds)), whole: median(results.whole.map((r) => r.seconds)) },
      loadAvg: os.loadavg(),
    };
    const out = path.join(REPO_ROOT, 'bench', 'results', 'ingest.jsonl');
    fs.appendFileSync(out, JSON.stringify(line) + '\n');
    console.error(JSON.stringify(line));
  } finally {
    await db.close();
    await endpoint.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
