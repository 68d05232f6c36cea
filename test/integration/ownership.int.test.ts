/**
 * Query.ownership on real data: OpenSanctions' ZALA FtM records (../shared/data/sanctions/opensanctions-ftm/zala,
 * loaded as the dataset opensanctions-zala), through the GraphQL API, against values worked out by hand
 * from the records:
 *
 * LLC CST (NK-abdzbEBkqyT29GyREbiURZ) is owned, per its Ownership records (owner, percentage, start, end):
 *   JSC Kalashnikov Concern  no percentage ("subsidiary of")  undated
 *   JSC Kalashnikov Concern  49                               2016-03-29 ->
 *   ZAKHAROV                 50                               2015-11-25 -> 2023-03-02
 *   ZAKHAROV                 48                               2015-11-25 -> 2023-12-21
 *   ZAKHAROV                 51                               2015-11-25 ->
 *   Svetlana Zakharova       1                                2022-01-17 -> 2023-03-02
 *   TransKomplektHolding     2                                2019-05-24 -> 2023-12-21
 * Listed (programs: the party's programId or a Sanction entity): Kalashnikov, Svetlana Zakharova and
 * TransKomplektHolding with no dated designation (listed on any date), ZAKHAROV from 2023-07-01 (his
 * earliest dated Sanction: UA-SA1644, startDate 2023-07-01). Directors (Directorship): ZAKHAROV ("Leader
 * or official of", undated) and Абашкін Костянтин Ігорьович (listed, undated; general director from
 * 2017-10-23).
 *
 * (A test of OFAC's own ownership links, which state no percentage, loads the Consolidated list too.)
 *
 * So, under OFAC's rule:
 * - 2016-01-01, before the 49% stake starts: only the undated statement without a percentage: known 0%,
 *   up to 100%: POSSIBLY, share unknown, never assumed. ZAKHAROV is not listed yet.
 * - 2016-06-01 and 2019-01-01: Kalashnikov's 49% (its undated statement adds nothing beside its 49%): < 50%.
 * - 2019-06-01, after TransKomplektHolding's 2% started (2019-05-24): 49% + 2% = 51% >= 50%: blocked.
 * - 2022-06-01: 49% + 2% + 1% (Svetlana Zakharova) = 52%.
 * - 2023-09-01: ZAKHAROV listed, his 48% and 51% both in force (one holding, 48% to 51%): 48% + 49% + 2%
 *   = 99% known, up to 100%.
 * - 2026-01-01: 51% + 49% = 100%; two chains of one link; both directors listed: control.
 */
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { Database } from '../../server/core/neo4j/database';
import { OWNERSHIP_BOUNDS } from '../../server/core/ownership/stakes';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, testDatabase, type TestApi } from '../helpers';

const ZALA = path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json');
const CONS = path.join(SHARED, 'ofac-cons-enhanced-xml-2025-01-10', 'CONS_ENHANCED.XML');
const CST = 'NK-abdzbEBkqyT29GyREbiURZ';
const KALASHNIKOV = 'NK-nR5AXM9AVPq4pQaSPSaVam';
const ZAKHAROV = 'NK-aU5ybkbRFJucf8YMwsJvDw';
const TKH = 'NK-DSxJ9ZzHxBBMyEMnnTBhai';
const SVETLANA = 'NK-DQ98GPMgdVH8DSZd8g9Xtc';

const OWNERSHIP = `query Ownership($id: ID!, $rule: OwnershipRule, $asOf: String) {
  ownership(id: $id, rule: $rule, asOf: $asOf) {
    total totalHigh blocked verdict unknownShares arithmetic listed truncated asOf rule
    control { id name role }
    chains { share counted arithmetic path { length nodes { id label } edges { source target type label percentage record } } }
  }
}`;

let db: Database;
let api: TestApi;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], dataset: 'opensanctions-zala', release: '2024-05-27' });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [CONS] });
  api = await startApi(db);
}, 300_000);
afterAll(async () => {
  await api?.close();
  await db?.close();
});

async function ownership(id: string, rule: 'OFAC' | 'EU', asOf?: string) {
  const res = await api.gql(OWNERSHIP, { id, rule, asOf });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.ownership;
}

const ABASHKIN = 'NK-mCEmxFfuhfdjpC8gsxH74o';
/** The sentence about the company itself: the last one but for control. */
const companyLine = (o: { arithmetic: string[] }) => o.arithmetic.filter((l) => !/^Control|^Listed parties direct/.test(l)).at(-1)!;

describe('LLC CST (ZALA Aero), from the ZALA records', () => {
  test('2026-01-01: 51% + 49% = 100% held by listed owners: blocked under OFAC, two chains, the sum written out', async () => {
    const o = await ownership(CST, 'OFAC', '2026-01-01');
    expect(o).toMatchObject({ total: 100, totalHigh: 100, blocked: true, verdict: 'BLOCKED', unknownShares: false, listed: true, truncated: false, asOf: '2026-01-01', rule: 'OFAC' });
    expect(companyLine(o)).toContain('51% + 49% = 100% >= 50%');
    const chains = o.chains.map((c: any) => [c.path.nodes.map((n: any) => n.id), c.share, c.counted]);
    expect(chains).toEqual([
      [[ZAKHAROV, CST], 51, 51],
      [[KALASHNIKOV, CST], 49, 49],
    ]);
    // Each chain's link is the record that states the stake, with its percentage.
    expect(o.chains[0].path.edges).toEqual([expect.objectContaining({ source: ZAKHAROV, target: CST, type: 'OWNERSHIP', percentage: '51' })]);
    expect(o.chains[0].path.edges[0].record).toMatch(/entities\.ftm\.json:\d+ \(ru-dfe0a021cb69f99e198bb8cbbcb93e81130b32a7\)/);
    expect(o.chains[1].arithmetic).toMatch(/^JSC Kalashnikov Concern \(listed\) holds 49% of LLC CST/);
    // Control is not part of OFAC's rule, and is said so.
    expect(o.arithmetic.at(-1)).toMatch(/not counted by OFAC's 50 percent rule/);
    expect(o.control.map((c: any) => c.id).sort()).toEqual([ABASHKIN, ZAKHAROV].sort());
  });

  test('the EU test: more than 50% (100%), and control by listed directors reported apart', async () => {
    const o = await ownership(CST, 'EU', '2026-01-01');
    expect(o).toMatchObject({ total: 100, blocked: true, rule: 'EU' });
    expect(o.control).toContainEqual({ id: ZAKHAROV, name: 'Alexander Vyacheslavovich ZAKHAROV', role: 'Leader or official of' });
    expect(o.arithmetic.at(-1)).toMatch(/^Control \(a separate EU test, not a share\): .*Alexander Vyacheslavovich ZAKHAROV \(Leader or official of\)/);
  });

  test('as of a date: stakes in force and parties listed then, the verdict changing when a stake starts', async () => {
    const at = async (asOf: string) => {
      const o = await ownership(CST, 'OFAC', asOf);
      return { total: o.total, totalHigh: o.totalHigh, verdict: o.verdict, unknownShares: o.unknownShares, owners: o.chains.map((c: any) => c.path.nodes[0].id) };
    };
    expect(await at('2016-06-01')).toEqual({ total: 49, totalHigh: 49, verdict: 'NOT_BLOCKED', unknownShares: false, owners: [KALASHNIKOV] });
    expect(await at('2019-01-01')).toEqual({ total: 49, totalHigh: 49, verdict: 'NOT_BLOCKED', unknownShares: false, owners: [KALASHNIKOV] });
    expect(await at('2019-06-01')).toEqual({ total: 51, totalHigh: 51, verdict: 'BLOCKED', unknownShares: false, owners: [KALASHNIKOV, TKH] });
    expect(await at('2022-06-01')).toEqual({ total: 52, totalHigh: 52, verdict: 'BLOCKED', unknownShares: false, owners: [KALASHNIKOV, TKH, SVETLANA] });
    expect(await at('2023-09-01')).toEqual({ total: 99, totalHigh: 100, verdict: 'BLOCKED', unknownShares: false, owners: [ZAKHAROV, KALASHNIKOV, TKH] });
    const o = await ownership(CST, 'OFAC', '2023-09-01');
    expect(companyLine(o)).toContain('Alexander Vyacheslavovich ZAKHAROV (listed) holds 48% to 51%; 2 statements: 48, 51');
    expect(companyLine(o)).toContain('48% + 49% + 2% = 99% >= 50%');
    // His 48% to 51% has no single share: the chain says so and counts only what is known.
    expect(o.chains[0]).toMatchObject({ share: null, counted: 48 });
  });

  test('2016-01-01, before the 49% stake started: only a stake without a percentage, share unknown, never assumed', async () => {
    const o = await ownership(CST, 'OFAC', '2016-01-01');
    expect(o).toMatchObject({ total: 0, totalHigh: 100, blocked: false, verdict: 'POSSIBLY', unknownShares: true, control: [] });
    expect(o.chains).toHaveLength(1);
    expect(o.chains[0]).toMatchObject({ share: null, counted: 0 });
    expect(o.chains[0].arithmetic).toContain('share unknown');
    expect(o.chains[0].path.edges[0].percentage).toBeNull();
  });
});

test('OFAC\'s "Owned or Controlled By" states no percentage: share unknown, the verdict open under both rules', async () => {
  // CONS_ENHANCED.XML of 2025-01-10: SG MSK, AO (entity 19989) has relationship 3578 "Owned or Controlled
  // By" BM BANK JSC (entity 17017), itself on the list (and owned or controlled by VTB BANK, 17013). No
  // percentage: known 0%, up to 100%. BM BANK is listed, so the chain stops there (it is blocked in its
  // own right; VTB's stake in it bears on BM BANK's verdict, not on this one's arithmetic).
  for (const rule of ['OFAC', 'EU'] as const) {
    const o = await ownership('ofac-19989', rule, '2025-06-01');
    expect(o).toMatchObject({ total: 0, totalHigh: 100, blocked: false, verdict: 'POSSIBLY', unknownShares: true, listed: true });
    expect(o.chains.map((c: any) => c.path.nodes.map((n: any) => n.id))).toEqual([['ofac-17017', 'ofac-19989']]);
    expect(o.chains[0]).toMatchObject({ share: null, counted: 0 });
    expect(o.chains[0].path.edges).toEqual([expect.objectContaining({ source: 'ofac-17017', target: 'ofac-19989', type: 'OWNERSHIP', label: 'Owned or Controlled By', percentage: null })]);
    expect(o.chains[0].arithmetic).toBe('BM BANK JSC (listed) holds a share unknown (the source gives no percentage) of SG MSK, AO; share unknown: not counted in the known total, never assumed.');
  }
});

test('a company without listed owners: 0%, no chains; a listed owner whose stake ended: not counted', async () => {
  // ОБЩЕСТВО "СПС" (NK-9Xa4Kg7Y7nfccE7VcZt6Q6): ZAKHAROV 75% from 2020-01-10 to 2022-11-22, before his
  // listing (2023-07-01), and ended by 2026.
  for (const asOf of ['2021-06-01', '2026-01-01']) {
    const o = await ownership('NK-9Xa4Kg7Y7nfccE7VcZt6Q6', 'OFAC', asOf);
    expect(o).toMatchObject({ total: 0, totalHigh: 0, blocked: false, verdict: 'NOT_BLOCKED', chains: [], listed: false });
  }
});

test('a company with more owners than the bound: the answer says it was cut (a hub costs what the bound does)', async () => {
  // LLC CST has 8 Ownership statements; with at most 2 read per company, some are left out.
  const saved = OWNERSHIP_BOUNDS.perAsset;
  OWNERSHIP_BOUNDS.perAsset = 2;
  try {
    const o = await ownership(CST, 'OFAC', '2026-01-01');
    expect(o.truncated).toBe(true);
    expect(o.chains.length).toBeLessThanOrEqual(2);
  } finally {
    OWNERSHIP_BOUNDS.perAsset = saved;
  }
  expect((await ownership(CST, 'OFAC', '2026-01-01')).truncated).toBe(false);
});

test('errors: an unknown id (NOT_FOUND), a date not written YYYY-MM-DD or that does not exist (BAD_USER_INPUT)', async () => {
  const missing = await api.gql(OWNERSHIP, { id: 'no-such-party', rule: 'OFAC' });
  expect(missing.status).toBe(200);
  expect(missing.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
  expect(missing.body.errors?.[0].message).toContain('no-such-party');
  for (const asOf of ['2024-5-1', '2024-02-30', 'yesterday']) {
    const bad = await api.gql(OWNERSHIP, { id: CST, asOf });
    expect(bad.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0].message).toMatch(/asOf must be a date written YYYY-MM-DD/);
  }
});

test('without asOf: today, and the default rule is OFAC', async () => {
  const before = new Date().toISOString().slice(0, 10);
  const res = await api.gql(`{ ownership(id: "${CST}") { asOf rule total } }`);
  // The day the server answered on: the same as the test's, unless the request spanned midnight (UTC).
  const after = new Date().toISOString().slice(0, 10);
  expect([before, after]).toContain(res.body.data!.ownership.asOf);
  expect(res.body.data!.ownership).toMatchObject({ rule: 'OFAC', total: 100 });
});
