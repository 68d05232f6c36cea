/**
 * The GraphQL API over HTTP, for what the other API tests do not reach: `changes` between two real
 * OFAC SDN releases, the search filters `datasets` and `countries`, and the detail fields of `Entity`
 * (addresses, birth dates, nationalities, vessel, delistedOn). The database holds the SDN lists of
 * 2024-04-26 and 2024-05-03 (one dataset, two releases) and the UN list of 2025-11-18.
 *
 * Every expectation is read from the raw files in this test (CSV fields split by OFAC's own quoting
 * rules, XML elements by regular expressions), never from the parsers or the loader under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { Database } from '../../server/core/neo4j/database';
import { readRelease, releaseId } from '../../server/core/releases';
import { LOAD_DEFAULTS, rawOfacRows, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';

const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');

// sdn.csv columns (OFAC's legacy CSV specification).
const [ENT_NUM, NAME, , , , CALL_SIGN, VESS_TYPE, TONNAGE, GRT, VESS_FLAG, VESS_OWNER, REMARKS] = Array.from({ length: 12 }, (_, i) => i);

const rows0426 = rawOfacRows(SDN_0426);
const rows0503 = rawOfacRows(SDN_0503);
const row = (entNum: string) => rows0503.find((r) => r[ENT_NUM] === entNum)!;
// Independently: the ent_num column of each file.
const older = new Map(rows0426.map((r) => [r[ENT_NUM]!, r]));
const newer = new Map(rows0503.map((r) => [r[ENT_NUM]!, r]));
const added = [...newer.keys()].filter((u) => !older.has(u)).map((u) => `ofac-${u}`).sort();
const removed = [...older.keys()].filter((u) => !newer.has(u)).map((u) => `ofac-${u}`).sort();

/** The `; `-separated statements of an entry's remarks, without the closing full stop. */
const statements = (r: (string | null)[]) => (r[REMARKS] ?? '').replace(/\.$/, '').split('; ');

/** The <INDIVIDUAL> / <ENTITY> block of the UN file with this reference number. */
const unXml = fs.readFileSync(UN, 'utf8');
function unBlock(ref: string): string {
  for (const m of unXml.matchAll(/<(INDIVIDUAL|ENTITY)>([\s\S]*?)<\/\1>/g)) if (m[2].includes(`<REFERENCE_NUMBER>${ref}</REFERENCE_NUMBER>`)) return m[2];
  throw new Error(`no ${ref} in ${UN}`);
}
const xmlText = (s: string) => s.replace(/&amp;/g, '&').replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim();
const tag = (block: string, name: string) => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(block);
  return m ? xmlText(m[1]) : null;
};

let db: Database;
let api: TestApi;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426], release: '2024-04-26' });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [UN] });
  api = await startApi(db);
});
afterAll(async () => {
  await api?.close();
  await db.close();
});

const ENTITY = `query($id: ID!) { entity(id: $id) { id name kind datasets delistedOn birthDates nationalities
  addresses { full city country } vessel { label value } } }`;
const entity = async (id: string) => {
  const { status, body } = await api.gql(ENTITY, { id });
  expect({ id, status, errors: body.errors }).toEqual({ id, status: 200, errors: undefined });
  return body.data!.entity;
};

describe('changes over HTTP: OFAC SDN 2024-04-26 -> 2024-05-03', () => {
  const CHANGES = `query($dataset: String!, $from: String, $to: String) { changes(dataset: $dataset, from: $from, to: $to) {
    dataset from to added { id name } removed { id name } modified { id fields } addedCount linksAdded linksRemoved } }`;

  test('the raw files differ by 305 added and 8 removed entries (the shared data README says so too)', () => {
    expect(rows0426.length).toBe(14668);
    expect(rows0503.length).toBe(14965);
    expect(added.length).toBe(305);
    expect(removed.length).toBe(8);
  });

  test('added and removed are exactly the set differences of the ent_nums, with the names of the files', async () => {
    const { status, body } = await api.gql(CHANGES, { dataset: 'ofac-sdn' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const set = body.data!.changes;
    expect(set).toMatchObject({ dataset: 'ofac-sdn', from: '2024-04-26', to: '2024-05-03' });
    expect(set.added.map((c: { id: string }) => c.id).sort()).toEqual(added);
    expect(set.removed.map((c: { id: string }) => c.id).sort()).toEqual(removed);
    // Names as the files write them: the later file for added parties, the earlier one for removed.
    for (const c of set.added as { id: string; name: string }[]) expect(c.name).toBe(newer.get(c.id.slice(5))![NAME]);
    for (const c of set.removed as { id: string; name: string }[]) expect(c.name).toBe(older.get(c.id.slice(5))![NAME]);
    // No entry's own line differs between the two files, so a party is modified only through its links:
    // exactly the parties named by a "Linked To:" statement of an added or removed entry (the link now
    // comes from a listed party, or no longer does). 42 statements came with the added entries, 8 went.
    expect([...newer.keys()].filter((u) => older.has(u) && older.get(u)!.join('\t') !== newer.get(u)!.join('\t'))).toEqual([]);
    const linkedTo = (r: (string | null)[]) => [...new Set(statements(r).flatMap((st) => /^Linked To: (.+)$/.exec(st)?.slice(1) ?? []))];
    const came = added.flatMap((id) => linkedTo(newer.get(id.slice(5))!));
    const went = removed.flatMap((id) => linkedTo(older.get(id.slice(5))!));
    expect([came.length, went.length]).toEqual([42, 8]);
    const named = new Set([...came, ...went]);
    const touched = [...newer.keys()].filter((u) => older.has(u) && named.has(newer.get(u)![NAME]!)).map((u) => `ofac-${u}`).sort();
    expect(touched.length).toBe(8);
    expect(set.modified.map((c: { id: string }) => c.id).sort()).toEqual(touched);
    for (const c of set.modified) expect(c.fields).toEqual(['links']);
    expect({ linksAdded: set.linksAdded, linksRemoved: set.linksRemoved }).toEqual({ linksAdded: came.length, linksRemoved: went.length });
  });

  test('explicit bounds give the same; the first release compares with nothing; wrong bounds are BAD_USER_INPUT', async () => {
    const explicit = (await api.gql(CHANGES, { dataset: 'ofac-sdn', from: '2024-04-26', to: '2024-05-03' })).body.data!.changes;
    expect(explicit.added.length).toBe(305);
    expect(explicit.removed.length).toBe(8);
    const first = (await api.gql(CHANGES, { dataset: 'ofac-sdn', to: '2024-04-26' })).body.data!.changes;
    expect(first.from).toBeNull();
    // Everything is added: counted in full, listed in pages (api-limits.int.test.ts pages through them).
    expect(first.addedCount).toBe(rows0426.length);
    expect(first.added.length).toBe(1000);
    expect(first.removed).toEqual([]);
    for (const [vars, message] of [
      [{ dataset: 'ofac-sdn', from: '2024-05-03', to: '2024-04-26' }, /earlier release/],
      [{ dataset: 'ofac-sdn', to: '2023-01-01' }, /no loaded release 2023-01-01; loaded: 2024-04-26, 2024-05-03/],
      [{ dataset: 'nope' }, /no dataset "nope"/],
    ] as const) {
      const { body } = await api.gql(CHANGES, vars);
      expect(body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors![0].message).toMatch(message);
    }
  });

  test('releases are stored in parts of 2,000 parties by id, then link keys; loading one again replaces its parts; one stored whole by an earlier version compares the same', async () => {
    const parts = async () =>
      db.runWrite<{ release: string; kind: string; sizes: number[]; ids: string[] }>(
        `MATCH (r:Release {dataset: 'ofac-sdn'}) MATCH (p:ReleasePart {release: r.id, load: r.partsLoad})
         WITH r, p ORDER BY p.at
         RETURN r.date AS release, p.kind AS kind, collect(size(coalesce(p.ids, p.keys))) AS sizes,
                reduce(ids = [], x IN collect(coalesce(p.ids, [])) | ids + x) AS ids
         ORDER BY release, kind`,
      );
    const stray = async () => (await db.runWrite<{ n: number }>('MATCH (p:ReleasePart) WHERE NOT EXISTS { MATCH (r:Release {id: p.release, partsLoad: p.load}) } RETURN count(p) AS n'))[0].n;
    const full = (n: number) => [...Array<number>(Math.floor(n / 2000)).fill(2000), ...(n % 2000 ? [n % 2000] : [])];
    const check = async () => {
      const got = await parts();
      expect(got.map((p) => [p.release, p.kind])).toEqual([['2024-04-26', 'linkKeys'], ['2024-04-26', 'parties'], ['2024-05-03', 'linkKeys'], ['2024-05-03', 'parties']]);
      for (const [p, rows] of [[got[1], rows0426], [got[3], rows0503]] as const) {
        expect(p.sizes).toEqual(full(rows.length));
        // Every entry once, in JavaScript's order of the ids.
        const ids = rows.map((r) => `ofac-${r[ENT_NUM]}`).sort();
        expect(p.ids).toEqual(ids);
      }
      for (const p of [got[0], got[2]]) expect(p.sizes.slice(0, -1).every((n) => n === 2000) && p.sizes.length > 0).toBe(true);
      expect(await stray()).toBe(0);
      // The count each load stores (the release's parties) is what the graph lists.
      const counts = await db.runWrite<{ name: string; stored: number; listed: number }>(
        'MATCH (d:Dataset) RETURN d.name AS name, d.entityCount AS stored, COUNT { MATCH (p:Party) WHERE d.name IN p.datasets } AS listed ORDER BY name',
      );
      expect(counts).toEqual([
        { name: 'ofac-sdn', stored: rows0503.length, listed: rows0503.length },
        { name: 'un-sc', stored: 1000, listed: 1000 },
      ]);
    };
    await check();
    const before = (await api.gql(CHANGES, { dataset: 'ofac-sdn' })).body;
    expect(before.errors).toBeUndefined();
    // The same release again: its parts are the new load's, the earlier load's gone, the changes the same.
    await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
    await check();
    expect((await api.gql(CHANGES, { dataset: 'ofac-sdn' })).body).toEqual(before);
    // As versions before parts stored them: the arrays on the Release node, no parts.
    for (const date of ['2024-04-26', '2024-05-03']) {
      const id = releaseId('ofac-sdn', date);
      const whole = (await readRelease((name, params) => db.read(name, params), id))!;
      await db.runWrite(
        `MATCH (r:Release {id: $id})
         SET r.ids = $ids, r.names = $names, r.digests = $digests, r.linkKeys = $linkKeys
         REMOVE r.partsLoad, r.entityCount, r.linkKeyCount
         WITH r MATCH (p:ReleasePart {release: r.id}) DELETE p`,
        { id, ...whole },
      );
    }
    expect((await parts()).length).toBe(0);
    expect((await api.gql(CHANGES, { dataset: 'ofac-sdn' })).body).toEqual(before);
    expect((await api.gql(CHANGES, { dataset: 'ofac-sdn', to: '2024-04-26' })).body.data!.changes.addedCount).toBe(rows0426.length);
  });

  test('every removed party is delisted on 2024-05-03 and listed in no dataset; a kept one is not', async () => {
    for (const id of removed) expect(await entity(id)).toMatchObject({ id, name: older.get(id.slice(5))![NAME], delistedOn: '2024-05-03', datasets: [] });
    expect(await entity('ofac-48262')).toMatchObject({ delistedOn: null, datasets: ['ofac-sdn'] });
  });
});

describe('Entity detail fields, against the raw text', () => {
  test('birth dates and nationalities (with citizenships) as the remarks state them', async () => {
    // 48262: one of each; 7835: "alt. DOB" and "alt. nationality"; 10901: nationality and citizen.
    for (const entNum of ['48262', '7835', '10901']) {
      const st = statements(row(entNum));
      const dobs = st.flatMap((s) => /^(?:alt\. )?DOB (.+)$/.exec(s)?.slice(1) ?? []);
      const nationalities = st.flatMap((s) => /^(?:alt\. )?(?:nationality|citizen) (.+)$/.exec(s)?.slice(1) ?? []);
      expect(dobs.length).toBeGreaterThan(0);
      expect(nationalities.length).toBeGreaterThan(0);
      const e = await entity(`ofac-${entNum}`);
      expect(e).toMatchObject({ name: row(entNum)[NAME], kind: 'Person', birthDates: dobs });
      expect([...new Set(e.nationalities)].sort()).toEqual([...new Set(nationalities)].sort());
    }
  });

  test('vessel details are the vessel columns of sdn.csv; a non-vessel has none', async () => {
    // Labels per column of OFAC's CSV specification; only non-empty columns.
    const columns: [number, string][] = [[CALL_SIGN, 'Call sign'], [VESS_TYPE, 'Vessel type'], [TONNAGE, 'Tonnage'], [GRT, 'Gross registered tonnage'], [VESS_FLAG, 'Flag'], [VESS_OWNER, 'Owner']];
    // 4238 MAR AZUL fills five of the six columns; 4243 EBANO fills four, another four.
    for (const entNum of ['4238', '4243']) {
      const r = row(entNum);
      expect(r[2]).toBe('vessel');
      const expected = columns.filter(([c]) => r[c] !== null).map(([c, label]) => ({ label, value: r[c] }));
      expect(expected.length).toBeGreaterThanOrEqual(4);
      const e = await entity(`ofac-${entNum}`);
      expect(e.kind).toBe('Vessel');
      expect(e.vessel).toEqual(expected);
    }
    expect((await entity('ofac-48262')).vessel).toEqual([]);
  });

  test('addresses of a UN entry: street, city and country of each <ENTITY_ADDRESS>', async () => {
    // KPe.002 KOREA RYONBONG GENERAL CORPORATION has two addresses, each with street, city and country.
    for (const ref of ['KPe.002', 'KPe.010']) {
      const block = unBlock(ref);
      const expected = [...block.matchAll(/<ENTITY_ADDRESS>([\s\S]*?)<\/ENTITY_ADDRESS>/g)].map((m) => {
        const [street, city, country] = ['STREET', 'CITY', 'COUNTRY'].map((t) => tag(m[1], t));
        return { full: [street, city, country].join(', '), city, country };
      });
      expect(expected.length).toBeGreaterThanOrEqual(2);
      const e = await entity(`un-${ref}`);
      expect(e.name).toBe(tag(block, 'FIRST_NAME'));
      expect([...e.addresses].sort((a, b) => a.full.localeCompare(b.full))).toEqual(expected.sort((a, b) => a.full.localeCompare(b.full)));
    }
  });

  test('a UN individual: birth date, nationality and address country', async () => {
    // CDi.001 ERIC BADEGE: born 1971, of the Democratic Republic of the Congo, living in Rwanda.
    const block = unBlock('CDi.001');
    const year = tag(/<INDIVIDUAL_DATE_OF_BIRTH>([\s\S]*?)<\/INDIVIDUAL_DATE_OF_BIRTH>/.exec(block)![1], 'YEAR');
    const nationality = tag(/<NATIONALITY>([\s\S]*?)<\/NATIONALITY>/.exec(block)![1], 'VALUE');
    const country = tag(/<INDIVIDUAL_ADDRESS>([\s\S]*?)<\/INDIVIDUAL_ADDRESS>/.exec(block)![1], 'COUNTRY');
    const e = await entity('un-CDi.001');
    expect(e).toMatchObject({ kind: 'Person', datasets: ['un-sc'], birthDates: [year], nationalities: [nationality] });
    expect(e.addresses.map((a: { country: string }) => a.country)).toEqual([country]);
  });
});

const SEARCH = `query($q: String!, $first: Int, $datasets: [String!], $countries: [String!]) {
  search(query: $q, first: $first, datasets: $datasets, countries: $countries) {
    total hits { entity { id name datasets nationalities addresses { country } } } } }`;
type Hit = { entity: { id: string; name: string; datasets: string[]; nationalities: string[]; addresses: { country: string | null }[] } };
const search = async (vars: Record<string, unknown>): Promise<Hit[]> => {
  const { status, body } = await api.gql(SEARCH, { first: 100, ...vars });
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
  return body.data!.search.hits;
};
const ids = (hits: Hit[]) => hits.map((h) => h.entity.id);

describe('search filters', () => {
  test('datasets: every hit is listed in the dataset; a UN party is found, an OFAC party found without the filter is not', async () => {
    const unName = tag(unBlock('KPe.001'), 'FIRST_NAME')!; // KOREA MINING DEVELOPMENT TRADING CORPORATION
    // An SDN entry whose name shares the words: OFAC lists the same company under its own id.
    const ofac = rows0503.find((r) => r[NAME] === unName)!;
    expect(ofac).toBeDefined();
    const unfiltered = ids(await search({ q: unName }));
    expect(unfiltered).toEqual(expect.arrayContaining(['un-KPe.001', `ofac-${ofac[ENT_NUM]}`]));

    const un = await search({ q: unName, datasets: ['un-sc'] });
    expect(ids(un)).toContain('un-KPe.001');
    expect(ids(un)).not.toContain(`ofac-${ofac[ENT_NUM]}`);
    for (const h of un) expect(h.entity.datasets).toContain('un-sc');

    const sdn = await search({ q: unName, datasets: ['ofac-sdn'] });
    expect(ids(sdn)).toContain(`ofac-${ofac[ENT_NUM]}`);
    expect(ids(sdn)).not.toContain('un-KPe.001');
    for (const h of sdn) expect(h.entity.datasets).toContain('ofac-sdn');
    // A delisted party is in no dataset, so a dataset filter never finds it.
    const gone = older.get(removed[0].slice(5))!;
    expect(ids(await search({ q: gone[NAME] }))).toContain(`ofac-${gone[ENT_NUM]}`);
    expect(ids(await search({ q: gone[NAME], datasets: ['ofac-sdn'] }))).not.toContain(`ofac-${gone[ENT_NUM]}`);
  });

  test('countries: nationality, citizenship or address country; every hit satisfies the filter', async () => {
    const has = (h: Hit, countries: string[]) =>
      [...h.entity.nationalities, ...h.entity.addresses.map((a) => a.country ?? '')].some((c) => countries.map((x) => x.toLowerCase()).includes(c.toLowerCase()));
    // 48262 JON, Yun Gun: "nationality Korea, North" in the raw remarks, and no Russia anywhere.
    const jon = row('48262');
    expect(statements(jon)).toContain('nationality Korea, North');
    expect(jon[REMARKS]).not.toMatch(/Russia/);
    expect(ids(await search({ q: jon[NAME], countries: ['Korea, North'] }))).toContain('ofac-48262');
    expect(ids(await search({ q: jon[NAME], countries: ['korea, north'] }))).toContain('ofac-48262'); // any case
    expect(ids(await search({ q: jon[NAME] }))).toContain('ofac-48262');
    expect(ids(await search({ q: jon[NAME], countries: ['Russia'] }))).not.toContain('ofac-48262');
    // 10901 by "citizen Colombia" as well as "nationality Venezuela".
    const gonzalez = row('10901');
    expect(statements(gonzalez)).toEqual(expect.arrayContaining(['nationality Venezuela', 'alt. citizen Colombia']));
    expect(ids(await search({ q: gonzalez[NAME], countries: ['Colombia'] }))).toContain('ofac-10901');
    // CDi.001 ERIC BADEGE by the country of his address (Rwanda), which is not his nationality.
    const badege = unBlock('CDi.001');
    expect(tag(/<INDIVIDUAL_ADDRESS>([\s\S]*?)<\/INDIVIDUAL_ADDRESS>/.exec(badege)![1], 'COUNTRY')).toBe('Rwanda');
    expect(badege).not.toMatch(/<VALUE>Rwanda<\/VALUE>/);
    expect(ids(await search({ q: 'eric badege', countries: ['Rwanda'] }))).toContain('un-CDi.001');
    expect(ids(await search({ q: 'eric badege', countries: ['Korea, North'] }))).not.toContain('un-CDi.001');

    // A broad query: every hit satisfies the filter, and there are hits to check.
    for (const countries of [['Korea, North'], ['Rwanda', 'Colombia']]) {
      const hits = await search({ q: 'kim', countries });
      const broad = await search({ q: 'kim' });
      for (const h of hits) expect({ id: h.entity.id, ok: has(h, countries) }).toEqual({ id: h.entity.id, ok: true });
      for (const h of broad) if (has(h, countries)) expect(ids(hits)).toContain(h.entity.id);
      if (countries[0] === 'Korea, North') expect(hits.length).toBeGreaterThan(0);
    }
  });
});
