/**
 * Neo4j protects itself: the neo4j.conf that embedded.ts generates caps the memory of one transaction
 * (NEO4J_TX_MEMORY, half the heap by default). A write over the cap fails with MEMORY_LIMIT, a message
 * that names the setting, and leaves the graph exactly as it was.
 */
import path from 'node:path';
import { Database } from '../../server/core/neo4j/database';
import { MemoryLimitError, translateDriverError } from '../../server/core/errors';
import { ingest } from '../../ingest/ingest';
import { fingerprint, LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';

const EXCERPT = path.join(__dirname, '..', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv');

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [EXCERPT], release: '2024-05-03' });
});
afterAll(async () => {
  await db.close();
});

/** A setting of the running server, as it reports it. */
async function setting(name: string): Promise<string> {
  const rows = await db.runWrite<{ value: string }>('SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value', { name });
  return rows[0]?.value;
}

test('the server runs with a per-transaction memory cap and a timeout on every transaction', async () => {
  // Without a cap the write below would exhaust the heap instead of failing alone: check it first.
  // test/global-setup.ts starts the server with NEO4J_HEAP=2g: half of it for one transaction, 3/4 for all.
  expect(await setting('db.memory.transaction.max')).toBe('1.00GiB');
  expect(await setting('dbms.memory.transaction.total.max')).toBe('1.50GiB');
  // Transactions that set no timeout of their own end after INGEST_TX_TIMEOUT (900 s by default), not never.
  const timeout = await setting('db.transaction.timeout');
  expect(timeout).toMatch(/^[1-9]/);
  if (!process.env.INGEST_TX_TIMEOUT) expect(timeout).toBe('15m');
});

test('a write over the memory cap fails with MEMORY_LIMIT and changes nothing', async () => {
  const before = await fingerprint(db);
  expect(before.nodes).toBeGreaterThan(0);
  // 10 kB per node, up to 4 GB in one transaction: far beyond the cap of the test server (1 GB).
  const text = 'x'.repeat(10_000);
  const session = db.driver.session({ database: db.database });
  const tx = session.beginTransaction({ timeout: 300_000 });
  let failure: unknown;
  try {
    await tx.run('UNWIND range(1, $n) AS i CREATE (:MemoryCapTest {i: i, text: $text})', { n: 400_000, text });
    await tx.commit();
  } catch (err) {
    failure = translateDriverError(err);
    if (tx.isOpen()) await tx.rollback().catch(() => undefined);
  } finally {
    await session.close();
  }
  expect(failure).toBeInstanceOf(MemoryLimitError);
  const err = failure as MemoryLimitError;
  expect(err.code).toBe('MEMORY_LIMIT');
  expect(err.message).toMatch(/more memory than Neo4j allows one transaction \(NEO4J_TX_MEMORY.*rolled back/);
  // What Neo4j 5.26 reports for a transaction over db.memory.transaction.max.
  expect((err.cause as { code?: string }).code).toBe('Neo.TransientError.General.MemoryPoolOutOfMemoryError');
  expect(await fingerprint(db)).toEqual(before);
});
