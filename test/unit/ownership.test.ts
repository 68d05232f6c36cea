/**
 * Ownership arithmetic (server/core/ownership/aggregate.ts): OFAC's 50 percent rule and the EU's
 * ownership test, on the cases OFAC's guidance spells out, on multi-path and circular structures, and on
 * the real dated stakes of OpenSanctions' ZALA dataset (../shared/data/sanctions/opensanctions-ftm/zala).
 */
import fs from 'node:fs';
import path from 'node:path';
import { aggregateOwnership, inForce, parseShare, type OwnershipParty, type Stake } from '../../server/core/ownership/aggregate';
import { SHARED } from '../helpers';

let n = 0;
const stake = (owner: string, asset: string, percentage: string | null, startDate: string | null = null, endDate: string | null = null): Stake => ({
  id: `s${++n}`,
  owner,
  asset,
  percentage,
  startDate,
  endDate,
});
const partiesOf = (listed: string[], others: string[]) =>
  new Map<string, OwnershipParty>([...listed.map((id) => [id, { id, name: id, listed: true }] as const), ...others.map((id) => [id, { id, name: id, listed: false }] as const)]);
const TODAY = '2026-01-01';

describe('percentages and dates as sources write them', () => {
  test.each([
    ['51', { low: 51, high: 51 }],
    ['51%', { low: 51, high: 51 }],
    ['12,5', { low: 12.5, high: 12.5 }],
    ['25-50', { low: 25, high: 50 }],
    ['more than 25% but not more than 50%', { low: 25, high: 50 }],
    ['more than 75%', { low: 75, high: 100 }],
    ['majority', null],
    [null, null],
  ])('%p', (text, share) => expect(parseShare(text)).toEqual(share));

  test('partial dates cover their whole year or month', () => {
    expect(inForce({ startDate: '2015', endDate: null }, '2015-01-01')).toBe(true);
    expect(inForce({ startDate: '2015-06', endDate: '2015-06' }, '2015-06-30')).toBe(true);
    expect(inForce({ startDate: null, endDate: '2014' }, '2015-01-01')).toBe(false);
  });
});

describe("OFAC's rule and the EU's test", () => {
  test('FAQ 401: X owns 50% of A, A owns 50% of B: B is blocked under OFAC (not 25%); under the EU, 50% is not more than half', () => {
    const input = { target: 'B', asOf: TODAY, stakes: [stake('X', 'A', '50'), stake('A', 'B', '50')], parties: partiesOf(['X'], ['A', 'B']) };
    const ofac = aggregateOwnership({ ...input, rule: 'OFAC' });
    expect(ofac.verdict).toBe('BLOCKED');
    expect(ofac.findings.map((f) => [f.id, f.verdict])).toEqual([['B', 'BLOCKED'], ['A', 'BLOCKED']]);
    expect(ofac.arithmetic[0]).toMatch(/^A: X \(listed\) holds 50%\. Known: 50% >= 50%: blocked/);
    expect(ofac.arithmetic[1]).toMatch(/A \(itself blocked by the rule, so its stake counts in full\) holds 50%/);
    expect(aggregateOwnership({ ...input, rule: 'EU' }).verdict).toBe('NOT_BLOCKED');
  });

  test('stakes of several listed owners add up, with the sum written out', () => {
    const r = aggregateOwnership({ target: 'T', rule: 'OFAC', asOf: TODAY, stakes: [stake('X', 'T', '30'), stake('Y', 'T', '25'), stake('Z', 'T', '45')], parties: partiesOf(['X', 'Y'], ['Z', 'T']) });
    expect(r.share).toEqual({ low: 55, high: 55 });
    expect(r.verdict).toBe('BLOCKED');
    expect(r.arithmetic.at(-1)).toContain('30% + 25% = 55% >= 50%');
    expect(r.findings[0].held.map((h) => h.owner)).toEqual(['X', 'Y']);
  });

  test('multiple paths: a rule-blocked intermediate and a direct listed owner', () => {
    // X (listed) 80% of A; A 30% of T; Y (listed) 25% of T; C (not blocked: X holds 40%) 40% of T.
    const stakes = [stake('X', 'A', '80'), stake('A', 'T', '30'), stake('Y', 'T', '25'), stake('X', 'C', '40'), stake('C', 'T', '40')];
    const r = aggregateOwnership({ target: 'T', rule: 'OFAC', asOf: TODAY, stakes, parties: partiesOf(['X', 'Y'], ['A', 'C', 'T']) });
    expect(r.share.low).toBe(55);
    expect(r.verdict).toBe('BLOCKED');
    expect(r.findings.map((f) => f.id)).toEqual(['T', 'A']);
  });

  test('circular ownership: a ring blocks nobody by itself, and a listed stake propagates round it once', () => {
    const ring = [stake('A', 'B', '60'), stake('B', 'A', '60')];
    expect(aggregateOwnership({ target: 'A', rule: 'OFAC', asOf: TODAY, stakes: ring, parties: partiesOf([], ['A', 'B']) }).verdict).toBe('NOT_BLOCKED');
    const r = aggregateOwnership({ target: 'A', rule: 'OFAC', asOf: TODAY, stakes: [...ring, stake('X', 'B', '40')], parties: partiesOf(['X'], ['A', 'B']) });
    // B: X 40% alone does not reach 50; A is not blocked, so A's 60% of B does not count: nobody is.
    expect(r.verdict).toBe('NOT_BLOCKED');
    const r2 = aggregateOwnership({ target: 'A', rule: 'OFAC', asOf: TODAY, stakes: [...ring, stake('X', 'B', '50')], parties: partiesOf(['X'], ['A', 'B']) });
    expect(r2.verdict).toBe('BLOCKED');
    expect(r2.findings.map((f) => f.id)).toEqual(['A', 'B']);
  });

  test('a stake without a percentage is "share unknown": possibly, never assumed', () => {
    const r = aggregateOwnership({ target: 'T', rule: 'OFAC', asOf: TODAY, stakes: [stake('X', 'T', null), stake('Y', 'T', '20')], parties: partiesOf(['X', 'Y'], ['T']) });
    expect(r.verdict).toBe('POSSIBLY');
    expect(r.share).toEqual({ low: 20, high: 100 });
    expect(r.arithmetic.at(-1)).toContain('an unknown share');
  });

  test('control is reported apart: a listed director is the EU control test, not part of OFAC\'s rule', () => {
    const input = { target: 'T', asOf: TODAY, stakes: [], controls: [{ id: 'd1', controller: 'X', organization: 'T', role: 'General director', startDate: null, endDate: null }], parties: partiesOf(['X'], ['T']) };
    const eu = aggregateOwnership({ ...input, rule: 'EU' });
    expect(eu.verdict).toBe('NOT_BLOCKED');
    expect(eu.control).toEqual([{ controller: 'X', name: 'X', role: 'General director', link: 'd1' }]);
    expect(eu.arithmetic.at(-1)).toMatch(/Control \(a separate EU test/);
    expect(aggregateOwnership({ ...input, rule: 'OFAC' }).arithmetic.at(-1)).toMatch(/not counted by OFAC's 50 percent rule/);
  });
});

describe('the real dated stakes of the ZALA dataset (OpenSanctions FtM)', () => {
  type Ftm = { id: string; schema: string; properties: Record<string, string[]> };
  const entities: Ftm[] = fs
    .readFileSync(path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const first = (e: Ftm, p: string) => e.properties[p]?.[0] ?? null;
  const stakes: Stake[] = entities
    .filter((e) => e.schema === 'Ownership')
    .map((e) => ({ id: e.id, owner: first(e, 'owner')!, asset: first(e, 'asset')!, percentage: first(e, 'percentage'), startDate: first(e, 'startDate'), endDate: first(e, 'endDate') }));
  // Listed: the FtM topic "sanction" (not "sanction.linked", which marks associates).
  const parties = new Map<string, OwnershipParty>(
    entities
      .filter((e) => ['Person', 'Company', 'Organization', 'LegalEntity'].includes(e.schema))
      .map((e) => [e.id, { id: e.id, name: first(e, 'name') ?? e.id, listed: (e.properties.topics ?? []).includes('sanction') }]),
  );
  const owned = (asset: string) => stakes.filter((s) => s.asset === asset);
  const ZAKHAROV = 'NK-aU5ybkbRFJucf8YMwsJvDw';

  test('a 75% stake counts while it is in force and not after it ended', () => {
    const s = owned('NK-9Xa4Kg7Y7nfccE7VcZt6Q6');
    expect(s).toEqual([expect.objectContaining({ owner: ZAKHAROV, percentage: '75', startDate: '2020-01-10', endDate: '2022-11-22' })]);
    const during = aggregateOwnership({ target: 'NK-9Xa4Kg7Y7nfccE7VcZt6Q6', rule: 'OFAC', asOf: '2021-06-01', stakes, parties });
    expect(during.verdict).toBe('BLOCKED');
    expect(during.share).toEqual({ low: 75, high: 75 });
    expect(aggregateOwnership({ target: 'NK-9Xa4Kg7Y7nfccE7VcZt6Q6', rule: 'OFAC', asOf: '2023-01-01', stakes, parties }).verdict).toBe('NOT_BLOCKED');
    expect(aggregateOwnership({ target: 'NK-9Xa4Kg7Y7nfccE7VcZt6Q6', rule: 'OFAC', asOf: '2019-12-31', stakes, parties }).verdict).toBe('NOT_BLOCKED');
  });

  test('restated stakes of one owner in one company are one holding, not a sum', () => {
    const target = 'NK-abdzbEBkqyT29GyREbiURZ';
    const r = aggregateOwnership({ target, rule: 'OFAC', asOf: '2020-06-01', stakes, parties });
    const z = r.findings[0].held.find((h) => h.owner === ZAKHAROV)!;
    const inForceThen = owned(target).filter((s) => s.owner === ZAKHAROV && inForce(s, '2020-06-01'));
    expect(inForceThen.length).toBeGreaterThan(1);
    const values = inForceThen.map((s) => Number(s.percentage));
    expect(z.share).toEqual({ low: Math.min(...values), high: Math.max(...values) });
    expect(z.statements).toHaveLength(inForceThen.length);
    expect(r.share.high).toBeLessThanOrEqual(100);
  });

  test('a stake the source gives no percentage for leaves the verdict open', () => {
    const target = 'NK-cPks3aTbes8k4aCerfBAzN';
    expect(owned(target)).toEqual([expect.objectContaining({ owner: ZAKHAROV, percentage: null })]);
    const r = aggregateOwnership({ target, rule: 'OFAC', asOf: '2024-05-01', stakes, parties });
    expect(r.verdict).toBe('POSSIBLY');
    expect(r.arithmetic.at(-1)).toContain('an unknown share');
  });
});
