/**
 * SNAPSHOT_REUSE_MS (server/core/neo4j/database.ts Database.snapshot): a clean load snapshot serves later
 * readers for a while without a round trip; one that shows a load open never does; this process's own
 * writes forget it. The clock is the test's, so nothing depends on how fast the machine is.
 */
import os from 'node:os';
import { Database } from '../../server/core/neo4j/database';
import { testDatabase, testNeo4j, resetDatabase } from '../helpers';

let clock = 0;
let loader: Database;
let reader: Database;

/** Registers a load as ingest/loader.ts beginLoad does (another process would: `loader` reuses nothing). */
async function registerLoad(): Promise<number> {
  return loader.inWriteTransaction(60_000, async (run) => {
    await run('load-lock', {});
    const [reg] = await run('load-register', { dataset: 'snapshot-reuse-test', release: '2024-05-03', host: os.hostname(), owner: 'snapshot-reuse-test' });
    return Number(reg.seq);
  });
}

beforeAll(async () => {
  loader = testDatabase();
  reader = new Database(testNeo4j(), 20_000, { snapshotReuseMs: 1000, now: () => clock });
  await resetDatabase(loader);
});

afterAll(async () => {
  await reader?.close();
  await loader?.close();
});

test('a clean snapshot is reused for SNAPSHOT_REUSE_MS, then read again; one with a load open is never reused', async () => {
  clock = 10_000;
  const first = await reader.snapshot();
  expect(first.clean).toBe(true);

  const seq = await registerLoad();
  // What a reader reading now sees: the new load hidden.
  const fresh = await loader.snapshot();
  expect(fresh.clean).toBe(false);
  expect(fresh.hidden).toContain(seq);

  // Within the window: the clean snapshot read before the registration (the load writes nothing for
  // INGEST_READER_GRACE, so a request using it ends before the load's first write).
  clock = 10_999;
  expect(await reader.snapshot()).toBe(first);

  // Past it: read again, and it shows the load.
  clock = 11_000;
  const after = await reader.snapshot();
  expect(after).not.toBe(first);
  expect(after.clean).toBe(false);
  expect(after.hidden).toContain(seq);

  // Not clean: not kept, so the next reader reads again (and sees the load gone once it is forgotten).
  await loader.write('load-forget', { seq });
  clock = 11_001;
  const gone = await reader.snapshot();
  expect(gone.clean).toBe(true);
  expect(gone.hidden).not.toContain(seq);
});

test("the process's own writes forget the reusable snapshot", async () => {
  clock = 20_000;
  const first = await reader.snapshot();
  expect(first.clean).toBe(true);
  clock = 20_100;
  expect(await reader.snapshot()).toBe(first);

  // This process writes (its own load could register without waiting for its readers): the next read is fresh.
  await reader.runWrite('RETURN 1 AS one');
  const seq = await registerLoad();
  clock = 20_200;
  const after = await reader.snapshot();
  expect(after).not.toBe(first);
  expect(after.hidden).toContain(seq);
  await loader.write('load-forget', { seq });
});

test('with SNAPSHOT_REUSE_MS 0 every reader reads its own snapshot', async () => {
  const own = new Database(testNeo4j(), 20_000, { snapshotReuseMs: 0, now: () => clock });
  try {
    clock = 30_000;
    const a = await own.snapshot();
    const b = await own.snapshot();
    expect(a.clean).toBe(true);
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
  } finally {
    await own.close();
  }
});
