/**
 * Every sample list in ../shared/data/sanctions loads through the one ingest path, and what the database
 * then holds equals what the parser read (the parsers' own tests compare the parser with counts taken
 * independently from the raw files): listed parties, aliases, distinct addresses and identifiers, and
 * links. Also: the OFAC Consolidated list in four formats and four releases as one dataset, and an
 * OpenSanctions delta applied on top of a full export.
 */
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { linkKey } from '../../server/core/releases';
import { changes, getEntity } from '../../server/api/queries';
import type { ParsedRelease } from '../../server/core/model';
import { Database } from '../../server/core/neo4j/database';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.close();
});

const dir = (name: string) => path.join(SHARED, name);

/** What a fresh dataset must hold after loading this parse. */
function expected(p: ParsedRelease) {
  // A link's identity as stored: owner -> asset for links stated in the passive, one per source id.
  const links = new Set(p.links.map((l) => {
    const to = l.to.id ?? l.to.name!;
    const [from, other] = l.inverse ? [to, l.from] : [l.from, to];
    return `${l.type}|${linkKey({ from, to: other, type: l.type, label: l.label, sourceId: l.sourceId ?? null })}`;
  }));
  return {
    entities: p.parties.length,
    aliases: p.parties.reduce((n, x) => n + x.aliases.length, 0),
    addresses: new Set(p.addresses.map((a) => a.address.key)).size,
    identifiers: new Set(p.identifiers.map((i) => i.identifier.key)).size,
    links: links.size,
  };
}

function stored(s: { entities: { total: number }; aliases: number; addresses: number; identifiers: { total: number }; links: number }) {
  return { entities: s.entities.total, aliases: s.aliases, addresses: s.addresses, identifiers: s.identifiers.total, links: s.links };
}

describe('every sample source loads, and the database holds what the parser read', () => {
  test.each([
    ['UN Security Council consolidated list (XML)', 'un-consolidated-xml-2025-11-18', {}, 'un-sc', '2025-11-18'],
    ['OFAC Consolidated, ENHANCED_XML', 'ofac-cons-enhanced-xml-2025-01-10', { dataset: 'ofac-cons-enhanced' }, 'ofac-cons-enhanced', '2025-01-10'],
    ['OFAC Consolidated, ADVANCED XML', 'ofac-cons-advanced-xml-2020-03-17', { dataset: 'ofac-cons-advanced' }, 'ofac-cons-advanced', '2020-03-17'],
    ['OFAC Consolidated, classic XML', 'ofac-cons-classic-xml-2018-04-06', { dataset: 'ofac-cons-classic' }, 'ofac-cons-classic', '2018-04-06'],
    ['OFAC Consolidated, CSV set', 'ofac-cons-csv-2025-12-19', { dataset: 'ofac-cons-csv' }, 'ofac-cons-csv', '2025-12-19'],
    ['OpenSanctions FtM (zala)', 'opensanctions-ftm/zala', { dataset: 'opensanctions-zala', release: '2024-05-27' }, 'opensanctions-zala', '2024-05-27'],
    ['OFAC SDN subset, four CSV files', 'ofac-sdn-csv-subset-2025-05-16', { dataset: 'ofac-sdn-subset' }, 'ofac-sdn-subset', '2025-05-16'],
  ] as const)('%s', async (_name, folder, options, dataset, release) => {
    const { parsed, summary } = await ingest(db, { ...LOAD_DEFAULTS, paths: [dir(folder)], ...options });
    expect(parsed.dataset).toBe(dataset);
    expect(summary.release).toBe(release);
    expect(stored(summary)).toEqual(expected(parsed));
    expect(summary.entities.total).toBeGreaterThan(5);
  });

  test('UN DPRK entries keep their reference numbers as ids and their listing dates', async () => {
    const kpi = await db.read<{ id: string }>('api-seeds', { ids: ['un-KPi.033', 'un-KPe.001'] });
    expect(kpi.length).toBe(2);
    const e = await getEntity(db, 'un-KPe.001');
    expect(e).toMatchObject({ kind: 'Organization', datasets: ['un-sc'] });
    expect(e!.listedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(e!.programs).toContain('UN-DPRK');
  });

  test('ENHANCED_XML "Owned or Controlled By" is stored owner -> asset, with the source wording', async () => {
    const rows = await db.runWrite<{ owner: string; asset: string; label: string }>(
      "MATCH (o:Party)-[r:OWNERSHIP {dataset: 'ofac-cons-enhanced'}]->(a:Party) WHERE r.label = 'Owned or Controlled By' RETURN o.id AS owner, a.id AS asset, r.label AS label LIMIT 5",
    );
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('the OFAC Consolidated list, four formats and four releases, as one dataset', () => {
  test('each release replaces the one before; a big shrink needs --force; the change set spans formats', async () => {
    const load = (folder: string, force = false) => ingest(db, { ...LOAD_DEFAULTS, paths: [dir(folder)], force });
    const classic = await load('ofac-cons-classic-xml-2018-04-06');
    expect(classic.parsed.dataset).toBe('ofac-cons');
    // 2018 -> 2020 drops more than a quarter of the list: refused unless forced, and nothing changes.
    await expect(load('ofac-cons-advanced-xml-2020-03-17')).rejects.toThrow(/would delist \d+ of its 639 listed parties/);
    const advanced = await load('ofac-cons-advanced-xml-2020-03-17', true);
    expect(advanced.summary.entities.total).toBe(advanced.parsed.parties.length);
    const enhanced = await load('ofac-cons-enhanced-xml-2025-01-10', true);
    expect(enhanced.summary.entities.total).toBe(enhanced.parsed.parties.length);
    const csv = await load('ofac-cons-csv-2025-12-19');
    expect(csv.summary.entities.total).toBe(csv.parsed.parties.length);
    expect(csv.summary.releases).toEqual(['2018-04-06', '2020-03-17', '2025-01-10', '2025-12-19']);
    // Enhanced XML of 2025-01-10 against the CSV of 2025-12-19: exactly the set differences of the ids.
    const a = new Set(enhanced.parsed.parties.map((p) => p.id));
    const b = new Set(csv.parsed.parties.map((p) => p.id));
    const set = await changes(db, { dataset: 'ofac-cons' });
    expect(set.from).toBe('2025-01-10');
    expect(set.added.map((c) => c.id).sort()).toEqual([...b].filter((id) => !a.has(id)).sort());
    expect(set.removed.map((c) => c.id).sort()).toEqual([...a].filter((id) => !b.has(id)).sort());
  });
});

describe('OpenSanctions: a delta release on top of a full export', () => {
  test('ADD and MOD restate parties, DEL delists; the change set shows it', async () => {
    const base = await ingest(db, { ...LOAD_DEFAULTS, paths: [dir('opensanctions-ftm/eu-fsf-t1')], release: '2024-05-20' });
    expect(base.parsed.dataset).toBe('opensanctions-eu_fsf');
    const { parsed } = await ingest(db, { ...LOAD_DEFAULTS, paths: [dir('opensanctions-ftm/deltas-2024-05-27')] });
    expect(parsed.mode).toBe('delta');
    expect(parsed.dataset).toBe('opensanctions-eu_fsf');
    const set = await changes(db, { dataset: 'opensanctions-eu_fsf' });
    expect(set.to).toBe(parsed.release);
    expect(set.from).toBe('2024-05-20');
    // Every party the delta states is listed now; every party it deletes that was listed is removed.
    const baseIds = new Set(base.parsed.parties.map((p) => p.id));
    for (const p of parsed.parties) {
      expect((await getEntity(db, p.id))!.datasets).toContain('opensanctions-eu_fsf');
      if (!baseIds.has(p.id)) expect(set.added.map((c) => c.id)).toContain(p.id);
    }
    const deleted = (parsed.removedIds ?? []).filter((id) => baseIds.has(id));
    expect(set.removed.map((c) => c.id).sort()).toEqual(deleted.sort());
    // Parties of the export the delta does not mention are still listed.
    const untouched = [...baseIds].filter((id) => !parsed.parties.some((p) => p.id === id) && !deleted.includes(id));
    for (const id of untouched) expect((await getEntity(db, id))!.datasets).toContain('opensanctions-eu_fsf');
  });

  test('a delta with no full export loaded first is refused', async () => {
    await expect(ingest(db, { ...LOAD_DEFAULTS, paths: [dir('opensanctions-ftm/deltas-2024-05-27')], dataset: 'opensanctions-other' })).rejects.toThrow(
      /no release loaded yet; a delta file applies on top of one/,
    );
  });
});
