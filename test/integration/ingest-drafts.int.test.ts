/**
 * Parties a release restates with other fields (drafts: staged while the load writes, applied in its
 * final transaction, ingest-apply-drafts): after loading the real SDN list of 2021-07-07 and then that of
 * 2024-05-03, every party the newer list holds has exactly the fields and kind labels a load of the newer
 * list alone gives it. The final transaction writes only the fields that differ (its memory grows with
 * what it changes); this checks that what it leaves is the whole new state, removed fields included.
 * The drafts are gone once the load returns.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

// The 2021 release whole (aliases from alt.csv, addresses, remarks' continuations); of 2024 the primary
// file only (what the shared data holds): parties also lose aliases and addresses, fields a draft removes.
const OLDER = [path.join(SHARED, 'ofac-sdn-csv-2021-07-07')];
const NEWER = [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')];

/**
 * Where a release writes a party and when it first saw it: an unchanged party keeps the provenance of
 * the release that last stated it differently, and a party listed since 2021 was first seen then.
 */
const BOOKKEEPING = ['addedSeq', 'removedSeq', 'loadedAt', 'firstSeen', 'release', 'record'];

type PartyState = { id: string; labels: string[]; props: [string, unknown][] };

/** Every listed party of the dataset: its labels and fields (sorted), bookkeeping left out. */
async function parties(db: Database): Promise<Map<string, PartyState>> {
  const rows = await db.runWrite<PartyState>(
    `MATCH (p:Party) WHERE 'ofac-sdn' IN coalesce(p.datasets, [])
     RETURN p.id AS id, labels(p) AS labels, [k IN keys(p) WHERE NOT k IN $skip | [k, p[k]]] AS props`,
    { skip: BOOKKEEPING },
  );
  return new Map(
    rows.map((r) => [r.id, { id: r.id, labels: [...r.labels].sort(), props: [...r.props].sort((a, b) => (a[0] < b[0] ? -1 : 1)) }]),
  );
}

let db: Database;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-drafts-'));
beforeAll(async () => {
  db = testDatabase();
});
afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a newer release applied over an older one leaves every party as a load of the newer one alone', async () => {
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: NEWER, release: '2024-05-03' });
  const alone = await parties(db);

  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: OLDER, release: '2021-07-07' });
  const older = await parties(db);
  // More than 25% of the 2021 list is gone by 2024: the newer load delists them (--force).
  await ingest(db, { ...LOAD_DEFAULTS, paths: NEWER, release: '2024-05-03', force: true });
  const over = await parties(db);

  // The case is worth testing: many parties of both lists changed (drafts).
  const both = [...alone.keys()].filter((id) => older.has(id));
  expect(changed(older, alone, both).length).toBeGreaterThan(1000);
  await expectSame(alone, over);
}, 900_000);

test('parties renamed, stripped of remarks and of another kind in a release are as a load of it alone', async () => {
  // The first 1,500 entries of the real 2024-05-03 list, and the same with edits a later release could
  // make: names changed, remarks gone (and with them what they stated: birth dates, identifiers, ...),
  // individuals listed as entities (other kind labels).
  const lines = fs.readFileSync(NEWER[0], 'utf8').split(/\r?\n/).slice(0, 1500);
  const edited = lines.map((l, i) => {
    if (i % 7 === 0) l = l.replace(/^(\d+),"([^"]*)"/, '$1,"$2 II"');
    if (i % 11 === 0) l = l.replace(/,"individual",/, ',-0- ,');
    if (i % 13 === 0) l = l.replace(/,"[^"]*"\s*$/, ',-0- ');
    return l;
  });
  const base = path.join(tmp, 'base', 'sdn.csv');
  const next = path.join(tmp, 'next', 'sdn.csv');
  for (const [file, content] of [[base, lines], [next, edited]] as const) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content.join('\n') + '\n');
  }

  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [next], release: '2024-05-10' });
  const alone = await parties(db);
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [base], release: '2024-05-03' });
  const before = await parties(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [next], release: '2024-05-10' });
  const over = await parties(db);

  const ids = [...alone.keys()];
  expect(changed(before, alone, ids).length).toBeGreaterThan(200);
  const relabelled = ids.filter((id) => JSON.stringify(before.get(id)!.labels) !== JSON.stringify(alone.get(id)!.labels));
  expect(relabelled.length).toBeGreaterThan(10);
  await expectSame(alone, over);
}, 600_000);

const changed = (a: Map<string, PartyState>, b: Map<string, PartyState>, ids: string[]) =>
  ids.filter((id) => JSON.stringify(a.get(id)) !== JSON.stringify(b.get(id)));

/** Every party of `alone` has the same labels and fields in `over`; no draft is left. */
async function expectSame(alone: Map<string, PartyState>, over: Map<string, PartyState>): Promise<void> {
  expect(over.size).toBe(alone.size);
  const differ = [...alone.values()].filter((p) => JSON.stringify(over.get(p.id)) !== JSON.stringify(p));
  expect(differ.slice(0, 3).map((p) => ({ alone: p, over: over.get(p.id) }))).toEqual([]);
  expect(differ.length).toBe(0);
  const [{ drafts }] = await db.runWrite<{ drafts: number }>('MATCH (d:Draft) RETURN count(d) AS drafts');
  expect(Number(drafts)).toBe(0);
}
