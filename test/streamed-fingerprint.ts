/**
 * test/helpers.ts fingerprint, for graphs too large to hold: the same rows (every node's labels and
 * properties, every relationship's ends, type and properties, with the same exclusions), streamed from
 * the server record by record instead of collected, sorted and joined. A row's place in the sorted list
 * is replaced by an order-free sum: the hash is the sum, modulo 2^256, of each row's SHA-256 (a multiset
 * hash: rows may come in any order, and a row present twice counts twice). The x16 kill test's graph has
 * about a million nodes and several million relationships; the whole list of rows as strings, sorted,
 * then joined into one string, took gigabytes in the test process. Its hashes differ from fingerprint's;
 * compare them only with each other.
 */
import crypto from 'node:crypto';
import neo4j from 'neo4j-driver';
import { Database, visibleIn } from '../server/core/neo4j/database';
import { fingerprintNodes, fingerprintSkip } from './helpers';

export type Fingerprint = { hash: string; nodes: number; relationships: number; openLoads: number };

const MOD = 1n << 256n;

export async function streamedFingerprint(db: Database, opts: { visible?: boolean } = {}): Promise<Fingerprint> {
  // As fingerprint: bookkeeping (a load's number, its own records) is no difference; seen by readers
  // ({visible: true}), neither is the mark of what a load in progress (or a dead one) replaces.
  const snap = opts.visible ? await db.snapshot() : { seq: 0, hidden: [] };
  const seen = (x: string) => (opts.visible ? visibleIn(x) : 'true');
  const skip = fingerprintSkip(opts);
  const params = { seq: snap.seq, hidden: snap.hidden, skip };
  const byKey = (pairs: [string, unknown][]) => [...pairs].sort((a, b) => a[0].localeCompare(b[0]));
  let sum = 0n;
  const add = (line: string) => {
    sum = (sum + BigInt(`0x${crypto.createHash('sha256').update(line).digest('hex')}`)) % MOD;
  };

  /** Each row of `text` (one column), handed to `each` as it arrives; the number of rows. */
  const stream = async (text: string, each: (row: unknown) => void): Promise<number> => {
    const session = db.driver.session({ database: db.database, defaultAccessMode: neo4j.session.READ });
    let n = 0;
    try {
      for await (const record of session.run(text, params)) {
        each(record.get(0));
        n++;
      }
    } finally {
      await session.close();
    }
    return n;
  };
  const nodes = await stream(
    `MATCH (n) WHERE ${fingerprintNodes('n', opts)}
     RETURN [labels(n), [k IN keys(n) WHERE NOT k IN $skip | [k, n[k]]]] AS n`,
    (n) => {
      const [labels, props] = n as [string[], [string, unknown][]];
      add(JSON.stringify([[...labels].sort(), byKey(props)]));
    },
  );
  const relationships = await stream(
    `MATCH (a)-[r]->(b) WHERE ${seen('r')}
     RETURN [coalesce(a.id, a.name), type(r), coalesce(b.id, b.name), [k IN keys(r) WHERE NOT k IN $skip | [k, r[k]]]] AS r`,
    (r) => {
      const [a, type, b, props] = r as [string, string, string, [string, unknown][]];
      add(JSON.stringify([a, type, b, byKey(props)]));
    },
  );
  const [{ open }] = opts.visible
    ? [{ open: 0 }]
    : await db.runWrite<{ open: number }>("MATCH (n) WHERE n:Draft OR (n:Load AND n.state = 'open') RETURN count(n) AS open");
  return { hash: sum.toString(16).padStart(64, '0'), nodes, relationships, openLoads: Number(open) };
}
