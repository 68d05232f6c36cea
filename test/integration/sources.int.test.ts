/**
 * Every sample list in ../shared/data/sanctions loads through the one ingest path, and what the database
 * then holds is counted from the raw files in this test: listed parties and links (regular expressions
 * over the raw XML, CSV and JSON lines, no parser code). Aliases, distinct addresses and identifiers are
 * compared with what the parser read (the parsers' own tests compare those with the raw files). Also:
 * the OFAC Consolidated list in four formats and four releases as one dataset, and an OpenSanctions
 * delta applied on top of a full export.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { detectFormat, expandPaths, releaseFor } from '../../ingest/formats';
import type { ParsedRelease } from '../../server/core/model';
import { Database } from '../../server/core/neo4j/database';
import { apiQuery, LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.close();
});

const dir = (name: string) => path.join(SHARED, name);
/** The records of a release as its parser reads them (a load spools them instead of returning them). */
async function parseAll(paths: string[], release?: string): Promise<ParsedRelease> {
  const files = expandPaths(paths);
  const r = releaseFor(files, release);
  return (await detectFormat(files)).parse(files, { release: r.release, releaseFrom: r.from });
}

/** Through the GraphQL API, so that moving the query functions does not touch these tests. */
const getEntity = async (_db: Database, id: string) =>
  (await apiQuery<{ entity: { id: string; kind: string; datasets: string[]; listedOn: string | null; programs: string[]; delistedOn: string | null } | null }>(
    db, 'query($id: ID!) { entity(id: $id) { id kind datasets listedOn programs delistedOn } }', { id })).entity;
type Change = { id: string; name: string; fields: string[] };
const changes = async (_db: Database, args: { dataset: string; from?: string; to?: string }) =>
  (await apiQuery<{ changes: { from: string | null; to: string; added: Change[]; removed: Change[]; modified: Change[] } }>(
    db, 'query($dataset: String!, $from: String, $to: String) { changes(dataset: $dataset, from: $from, to: $to) { from to added { id name fields } removed { id name fields } modified { id name fields } } }', args)).changes;

/** What a fresh dataset must hold after loading this parse, for the counts taken from the parser. */
function parsedFacts(p: ParsedRelease) {
  return {
    aliases: p.parties.reduce((n, x) => n + x.aliases.length, 0),
    addresses: new Set(p.addresses.map((a) => a.address.key)).size,
    identifiers: new Set(p.identifiers.map((i) => i.identifier.key)).size,
  };
}

const read = (file: string) => fs.readFileSync(path.join(SHARED, file), 'utf8');
const blocks = (text: string, tag: string) => [...text.matchAll(new RegExp(`<${tag}[ >][\\s\\S]*?</${tag}>`, 'g'))].map((m) => m[0]);

/** Distinct "Linked To:" statements (entry, name) of OFAC remarks, as a reader of the remarks counts them. */
function linkedToStatements(entries: [uid: string, remarks: string][]): number {
  const st = new Set<string>();
  for (const [uid, remarks] of entries) {
    for (const m of remarks.matchAll(/Linked To: ([^;")]+?)\.?(?=;|"|\)|$)/g)) st.add(`${uid}|${m[1].toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim()}`);
  }
  return st.size;
}
const csvEntries = (file: string): [string, string][] => read(file).split('\r\n').filter((l) => /^\d+,/.test(l)).map((l) => [l.split(',')[0], l]);

/**
 * Listed parties and links of each sample, counted from the raw file. Links: UN reference numbers
 * (KPe.001) named in another entry's COMMENTS1 or DESIGNATION; ENHANCED_XML <relationship> and ADVANCED
 * <ProfileRelationship> elements; "Linked To:" statements of OFAC remarks; FtM relationship entities.
 */
const RAW: Record<string, () => { entities: number; links?: number; linkPairs?: number }> = {
  'un-consolidated-xml-2025-11-18': () => {
    const un = read('un-consolidated-xml-2025-11-18/consolidated.xml');
    const entries = [...blocks(un, 'INDIVIDUAL'), ...blocks(un, 'ENTITY')];
    // Pairs of entries, either way round: one pair mentioned in two sentences with different wording
    // ("associated with", "leader of") is two links, and which wording counts is the parser's to say.
    const pairs = new Set<string>();
    for (const b of entries) {
      const ref = /<REFERENCE_NUMBER>([^<]*)</.exec(b)![1];
      const texts = [...b.matchAll(/<(COMMENTS1|DESIGNATION)>([\s\S]*?)<\/\1>/g)].map((m) => m[2]);
      for (const t of texts) {
        for (const m of t.matchAll(/\b([A-Z]{2}[ie])\.?(\d{3})\b/g)) {
          const other = `${m[1]}.${m[2]}`;
          if (other !== ref) pairs.add([`un-${ref}`, `un-${other}`].sort().join(' '));
        }
      }
    }
    return { entities: entries.length, linkPairs: pairs.size };
  },
  'ofac-cons-enhanced-xml-2025-01-10': () => {
    const xml = read('ofac-cons-enhanced-xml-2025-01-10/CONS_ENHANCED.XML');
    return { entities: (xml.match(/<entity id="\d+">/g) ?? []).length, links: new Set(xml.match(/<relationship id="\d+">/g)).size };
  },
  'ofac-cons-advanced-xml-2020-03-17': () => {
    const xml = read('ofac-cons-advanced-xml-2020-03-17/cons_advanced.xml');
    return { entities: (xml.match(/<DistinctParty /g) ?? []).length, links: (xml.match(/<ProfileRelationship /g) ?? []).length };
  },
  'ofac-cons-classic-xml-2018-04-06': () => {
    const entries = blocks(read('ofac-cons-classic-xml-2018-04-06/consolidated.xml'), 'sdnEntry');
    const remarks = entries.map((e): [string, string] => [/<uid>(\d+)</.exec(e)![1], /<remarks>([^<]*)</.exec(e)?.[1] ?? '']);
    return { entities: entries.length, links: linkedToStatements(remarks) };
  },
  'ofac-cons-csv-2025-12-19': () => {
    const entries = csvEntries('ofac-cons-csv-2025-12-19/cons_prim.csv');
    return { entities: entries.length, links: linkedToStatements(entries) };
  },
  'opensanctions-ftm/zala': () => {
    const lines = read('opensanctions-ftm/zala/entities.ftm.json').trim().split('\n').map((l) => JSON.parse(l) as { id: string; schema: string });
    const count = (schemas: string[]) => new Set(lines.filter((x) => schemas.includes(x.schema)).map((x) => x.id)).size;
    return { entities: count(['Person', 'Company', 'Organization', 'LegalEntity', 'Vessel', 'Airplane']), links: count(['Ownership', 'Family', 'Directorship', 'Associate', 'UnknownLink', 'Membership', 'Employment', 'Representation']) };
  },
  'ofac-sdn-csv-subset-2025-05-16': () => {
    const entries = csvEntries('ofac-sdn-csv-subset-2025-05-16/sdn.csv');
    return { entities: entries.length, links: linkedToStatements(entries) };
  },
};

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
    const raw = RAW[folder]();
    const { entities, links, ...facts } = stored(summary);
    if (raw.linkPairs === undefined) expect({ entities, links }).toEqual(raw);
    else {
      const [{ pairs }] = await db.runWrite<{ pairs: number }>(
        `MATCH (a:Party)-[r]->(b:Party) WHERE r.dataset = $dataset AND a <> b
         WITH DISTINCT CASE WHEN a.id < b.id THEN [a.id, b.id] ELSE [b.id, a.id] END AS pair RETURN count(pair) AS pairs`,
        { dataset },
      );
      expect({ entities, linkPairs: pairs }).toEqual(raw);
    }
    expect(facts).toEqual(parsedFacts(await parseAll([dir(folder)], 'release' in options ? options.release : undefined)));
  });

  test('UN DPRK entries keep their reference numbers as ids and their listing dates', async () => {
    const kpi = await db.read<{ id: string }>('api-seeds', { ids: ['un-KPi.033', 'un-KPe.001'] });
    expect(kpi.length).toBe(2);
    const e = await getEntity(db, 'un-KPe.001');
    expect(e).toMatchObject({ kind: 'Organization', datasets: ['un-sc'] });
    expect(e!.listedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(e!.programs).toContain('UN-DPRK');
  });

  test('ENHANCED_XML ownership is stored owner -> asset, as the raw file states each relationship', async () => {
    // <entity id="A"> ... <relationship><type>Owned or Controlled By</type><relatedEntity entityId="B">:
    // A is owned by B, so B is the owner. "Owns, controls, or operates" states it the other way round.
    const xml = read('ofac-cons-enhanced-xml-2025-01-10/CONS_ENHANCED.XML');
    const expected = new Set<string>();
    const wordings = new Map<string, number>();
    for (const e of blocks(xml, 'entity')) {
      const id = /<entity id="(\d+)"/.exec(e)![1];
      for (const r of e.matchAll(/<relationship id="\d+">\s*<type refId="\d+">([^<]*)<\/type>\s*<relatedEntity entityId="(\d+)"/g)) {
        const [, wording, other] = r;
        wordings.set(wording, (wordings.get(wording) ?? 0) + 1);
        if (wording === 'Owned or Controlled By') expected.add(`ofac-${other} -> ofac-${id} | ${wording}`);
        if (wording === 'Owns, controls, or operates') expected.add(`ofac-${id} -> ofac-${other} | ${wording}`);
      }
    }
    expect(wordings.get('Owned or Controlled By')).toBe(278);
    expect(wordings.get('Owns, controls, or operates')).toBe(4);
    const rows = await db.runWrite<{ owner: string; asset: string; label: string }>(
      "MATCH (o)-[r:OWNERSHIP {dataset: 'ofac-cons-enhanced'}]->(a) RETURN o.id AS owner, a.id AS asset, r.label AS label",
    );
    expect(new Set(rows.map((r) => `${r.owner} -> ${r.asset} | ${r.label}`))).toEqual(expected);
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
    expect(advanced.summary.entities.total).toBe(advanced.counts.parties);
    const enhanced = await load('ofac-cons-enhanced-xml-2025-01-10', true);
    expect(enhanced.summary.entities.total).toBe(enhanced.counts.parties);
    const csv = await load('ofac-cons-csv-2025-12-19');
    expect(csv.summary.entities.total).toBe(csv.counts.parties);
    expect(csv.summary.releases).toEqual(['2018-04-06', '2020-03-17', '2025-01-10', '2025-12-19']);
    // Enhanced XML of 2025-01-10 against the CSV of 2025-12-19: exactly the set differences of the ids.
    const a = new Set((await parseAll([dir('ofac-cons-enhanced-xml-2025-01-10')])).parties.map((p) => p.id));
    const b = new Set((await parseAll([dir('ofac-cons-csv-2025-12-19')])).parties.map((p) => p.id));
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
    const baseIds = new Set((await parseAll([dir('opensanctions-ftm/eu-fsf-t1')], '2024-05-20')).parties.map((p) => p.id));
    const stated = (await parseAll([dir('opensanctions-ftm/deltas-2024-05-27')])).parties;
    expect(stated.length).toBeGreaterThan(0);
    for (const p of stated) {
      expect((await getEntity(db, p.id))!.datasets).toContain('opensanctions-eu_fsf');
      if (!baseIds.has(p.id)) expect(set.added.map((c) => c.id)).toContain(p.id);
    }
    const deleted = (parsed.removedIds ?? []).filter((id) => baseIds.has(id));
    expect(set.removed.map((c) => c.id).sort()).toEqual(deleted.sort());
    // Parties of the export the delta does not mention are still listed.
    const untouched = [...baseIds].filter((id) => !stated.some((p) => p.id === id) && !deleted.includes(id));
    for (const id of untouched) expect((await getEntity(db, id))!.datasets).toContain('opensanctions-eu_fsf');
  });

  test('a delta with no full export loaded first is refused', async () => {
    await expect(ingest(db, { ...LOAD_DEFAULTS, paths: [dir('opensanctions-ftm/deltas-2024-05-27')], dataset: 'opensanctions-other' })).rejects.toThrow(
      /no release loaded yet; a delta file applies on top of one/,
    );
  });
});
