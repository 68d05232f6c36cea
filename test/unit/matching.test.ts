/**
 * Cross-list matching (server/core/matching) on the real lists: the UN consolidated list of 2025-11-18, the
 * OFAC SDN CSV of 2024-05-03 and the OFAC consolidated (non-SDN) ENHANCED XML of 2025-01-10, parsed
 * with the project's parsers. No database.
 *
 * How the expected pairs were found: every UN KPi.* / KPe.* entry was looked up by hand in sdn.csv
 * (grep for its name, its aliases and its passport numbers), and the pair confirmed by what both
 * lists say (same name and aliases, same passport, same date of birth, same role in the remarks).
 * The unrelated pairs are real parties the lists give the same or nearly the same name: found by
 * running the matcher with minScore 0 and reading the pairs with identical names whose other facts
 * disagree, then checking both entries in the files.
 */
import path from 'node:path';
import { parseUnXml } from '../../ingest/sources/un-xml';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { parseOfacEnhancedXml } from '../../ingest/sources/ofac-enhanced-xml';
import { normaliseIdentifierValue } from '../../server/core/text/normalize';
import { latinTokens, meaningfulTokens, mutualTokenSimilarity, nameSimilarity } from '../../server/core/text/names';
import {
  MATCH_THRESHOLD, findCandidates, kindRelation, matchPartyOf, matchWords, type Candidate, type MatchParty, type MatchIdentifier,
} from '../../server/core/matching/match';
import { describeCandidate } from '../../server/core/matching/describe';
import { compareBirthDates, parseBirthDate } from '../../server/core/matching/dates';
import { countryCode } from '../../server/core/matching/countries';
import { fromNode, toNode } from '../../server/core/party-node';
import type { ParsedRelease } from '../../server/core/model';
import { SHARED } from '../helpers';

const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');
const SDN = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const CONS = path.join(SHARED, 'ofac-cons-enhanced-xml-2025-01-10', 'CONS_ENHANCED.XML');

/** A parsed release's parties as production builds matching's input: each read back from its node. */
function matchPartiesOf(r: ParsedRelease): MatchParty[] {
  const ids = new Map<string, MatchIdentifier[]>();
  for (const f of r.identifiers) ids.set(f.partyId, [...(ids.get(f.partyId) ?? []), f.identifier]);
  return r.parties.map((p) => matchPartyOf(fromNode(toNode(p)), ids.get(p.id) ?? []));
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

describe('birth dates as the lists write them', () => {
  test.each([
    ['1962', '1962-01-01', '1962-12-31', 'year'],
    ['1980-02-08', '1980-02-08', '1980-02-08', 'day'],
    ['08 Feb 1980', '1980-02-08', '1980-02-08', 'day'],
    ['Sep 1938', '1938-09-01', '1938-09-30', 'month'],
    ['1973-11', '1973-11-01', '1973-11-30', 'month'],
    ['circa 1960', '1959-01-01', '1961-12-31', 'year'],
    ['circa 07 Jul 1966', '1965-01-01', '1967-12-31', 'day'],
    ['1960 to 1962', '1960-01-01', '1962-12-31', 'range'],
    ['01 Jan 1961 to 31 Dec 1962', '1961-01-01', '1962-12-31', 'range'],
    ['Mar 1962 to Feb 1963', '1962-03-01', '1963-02-28', 'range'],
    ['circa 1979-1982', '1978-01-01', '1983-12-31', 'range'],
    ['Between 1958 and 1960', '1958-01-01', '1960-12-31', 'range'],
  ])('%s', (text, lo, hi, precision) => {
    expect(parseBirthDate(text)).toMatchObject({ lo, hi, precision });
  });

  test('text without a year is no date', () => {
    expect(parseBirthDate('unknown')).toBeNull();
  });

  test('the best-agreeing pair of dates decides, typos in a full date are close', () => {
    const d = (...xs: string[]) => xs.map((x) => parseBirthDate(x)!);
    expect(compareBirthDates(d('18 Feb 1962'), d('1962-02-18'))?.agreement).toBe('exact');
    expect(compareBirthDates(d('1962'), d('1962-02-18'))?.agreement).toBe('same-year');
    expect(compareBirthDates(d('circa 1947', 'circa 1946'), d('1946'))?.agreement).toBe('overlap');
    // Real typos between UN and OFAC entries of one person.
    expect(compareBirthDates(d('28 Jan 1966'), d('1966-01-27'))?.agreement).toBe('close');
    expect(compareBirthDates(d('05 Dec 1965'), d('1965-05-12'))?.agreement).toBe('close');
    expect(compareBirthDates(d('21 Aug 1968'), d('1969-08-21'))?.agreement).toBe('close');
    expect(compareBirthDates(d('20 Jun 1976'), d('1967-06-20'))?.agreement).toBe('close');
    expect(compareBirthDates(d('07 Aug 1968'), d('1968-03-26'))?.agreement).toBe('same-year-other-day');
    expect(compareBirthDates(d('1950'), d('1949'))?.agreement).toBe('one-year-apart');
    expect(compareBirthDates(d('circa 1947'), d('1962-02-18'))?.agreement).toBe('mismatch');
    expect(compareBirthDates(d('1962'), [])).toBeNull();
  });
});

describe('country names', () => {
  test('variants of one country agree', () => {
    for (const n of ['Korea, North', "Democratic People's Republic of Korea", 'North Korea', 'DPRK']) expect(countryCode(n)).toBe('KP');
    expect(countryCode('Iran (Islamic Republic of)')).toBe(countryCode('Iran'));
    expect(countryCode('Syrian Arab Republic')).toBe(countryCode('Syria'));
    expect(countryCode('Russian Federation')).toBe(countryCode('Russia'));
    expect(countryCode('United Kingdom of Great Britain and Northern Ireland')).toBe(countryCode('United Kingdom'));
    expect(countryCode('Türkiye')).toBe(countryCode('Turkey'));
    expect(countryCode('Congo, Democratic Republic of the')).toBe(countryCode('Democratic Republic of the Congo'));
    expect(countryCode('Korea, South')).not.toBe(countryCode('Korea, North'));
    expect(countryCode('Mexico')).toBe('MX');
    expect(countryCode('Narnia')).toBe('NARNIA');
  });
  test('values that name no definite country are ignored', () => {
    for (const n of ['na', 'possibly Palestinian', 'former Soviet Union', '']) expect(countryCode(n)).toBeNull();
  });
});

describe('kinds that can be the same party', () => {
  test('families', () => {
    expect(kindRelation('Person', 'Person')).toBe('same');
    expect(kindRelation('Organization', 'Company')).toBe('same');
    expect(kindRelation('LegalEntity', 'Person')).toBe('compatible');
    expect(kindRelation('LegalEntity', 'Company')).toBe('compatible');
    expect(kindRelation('Vessel', 'Vessel')).toBe('same');
    expect(kindRelation('Aircraft', 'Aircraft')).toBe('same');
    expect(kindRelation('Person', 'Organization')).toBeNull();
    expect(kindRelation('Vessel', 'Company')).toBeNull();
    expect(kindRelation('LegalEntity', 'Vessel')).toBeNull();
    expect(kindRelation('Vessel', 'Aircraft')).toBeNull();
  });
});

describe('matching words', () => {
  test('the ASCII shortcut gives the words latinTokens gives', () => {
    for (const n of ["KIM, Tong-Myo'ng", 'CO., LTD. (HK)', 'Ri Pyo’ng-ch’o’l', 'SHANGHAI DONGFENG SHPG CO LTD']) {
      expect(matchWords(n).all.join(' ')).toBe(latinTokens(n.replace(/['’]/g, '')).map((t) => (t === 'shpg' ? 'shipping' : t)).join(' '));
    }
    expect(matchWords('ЧИНЬОН').meaningful).toEqual(meaningfulTokens('ЧИНЬОН'));
  });
  test('name similarity is nameSimilarity both ways, averaged', () => {
    for (const [a, b] of [['KIM, Yong Chol', 'Kim Yong Il'], ['Chin Yong', 'CHINYONG'], ['ZAKI EZAT ZAKI AHMED', 'AHMAD, Zaki Izzat Zaki'], ['X', 'Y Z'], ['SHIPPING LINE PYONGYANG', 'PYONGYANG SHIPPING'], ['Ali Ahmad Ali', 'ALI, Ahmed']]) {
      const [x, y] = [meaningfulTokens(a), meaningfulTokens(b)];
      // Exactly: the word table is measured once for both directions, the sums are the same.
      expect(mutualTokenSimilarity(x, y)).toBe((nameSimilarity(a, b) + nameSimilarity(b, a)) / 2);
      expect(mutualTokenSimilarity(x, y, x.join(''), y.join(''))).toBe(mutualTokenSimilarity(x, y));
    }
  });
});

/** Two small lists, for the rules of scoring without the real data's word statistics. */
function party(id: string, dataset: string, over: Partial<MatchParty> = {}): MatchParty {
  return { id, dataset, kind: 'Person', names: [], birthDates: [], nationalities: [], identifiers: [], ...over };
}

describe('scoring rules on small lists', () => {
  const filler = Array.from({ length: 200 }, (_, i) => party(`f-${i}`, i % 2 ? 'x' : 'y', { names: [`Filler${i} Person${i % 17}`] }));
  const score = (a: MatchParty, b: MatchParty) =>
    findCandidates([...filler, a, b], { minScore: 0 }).find((c) => c.a === a.id && c.b === b.id)?.score ?? 0;
  const base = { names: ['PAEK, Chang-Ho'] };

  test('evidence moves the score one way: dates and identifiers up, disagreement down', () => {
    const nameOnly = score(party('a1', 'x', base), party('b1', 'y', { names: ['PAEK CHANG HO'] }));
    const year = score(party('a1', 'x', { ...base, birthDates: ['1964'] }), party('b1', 'y', { names: ['PAEK CHANG HO'], birthDates: ['1964-06-18'] }));
    const exact = score(party('a1', 'x', { ...base, birthDates: ['18 Jun 1964'] }), party('b1', 'y', { names: ['PAEK CHANG HO'], birthDates: ['1964-06-18'] }));
    const mismatch = score(party('a1', 'x', { ...base, birthDates: ['1940'] }), party('b1', 'y', { names: ['PAEK CHANG HO'], birthDates: ['1964-06-18'] }));
    const passport = score(
      party('a1', 'x', { ...base, identifiers: [{ type: 'passport', value: '381420754', country: 'Korea, North' }] }),
      party('b1', 'y', { names: ['PAEK CHANG HO'], identifiers: [{ type: 'passport', value: '381 420 754', country: null }] }),
    );
    const otherCountry = score(
      party('a1', 'x', { ...base, identifiers: [{ type: 'passport', value: '381420754', country: 'Korea, North' }] }),
      party('b1', 'y', { names: ['PAEK CHANG HO'], identifiers: [{ type: 'passport', value: '381420754', country: 'Iran' }] }),
    );
    const nationality = score(party('a1', 'x', { ...base, nationalities: ['Korea, North'] }), party('b1', 'y', { names: ['PAEK CHANG HO'], nationalities: ["Democratic People's Republic of Korea"] }));
    const otherNationality = score(party('a1', 'x', { ...base, nationalities: ['Korea, South'] }), party('b1', 'y', { names: ['PAEK CHANG HO'], nationalities: ['North Korea'] }));
    expect(nameOnly).toBeLessThan(MATCH_THRESHOLD);
    expect(nameOnly).toBeGreaterThan(0.5);
    expect(year).toBeGreaterThan(nameOnly);
    expect(exact).toBeGreaterThan(year);
    expect(mismatch).toBeLessThan(0.2);
    expect(passport).toBeGreaterThanOrEqual(0.9);
    expect(otherCountry).toBe(nameOnly);
    expect(nationality).toBeGreaterThan(nameOnly);
    expect(otherNationality).toBeLessThan(nameOnly);
  });

  test('a shared identifier never pairs parties of kinds that cannot be one', () => {
    const imo = [{ type: 'imoNumber' as const, value: 'IMO 9133977', country: null }];
    const found = findCandidates([party('v', 'x', { kind: 'Vessel', names: ['OCEAN STAR'], identifiers: imo }), party('c', 'y', { kind: 'Company', names: ['OCEAN STAR'], identifiers: imo })], { minScore: 0 });
    expect(found).toEqual([]);
    const vessels = findCandidates([party('v', 'x', { kind: 'Vessel', names: ['OCEAN STAR'], identifiers: imo }), party('w', 'y', { kind: 'Vessel', names: ['RENAMED VESSEL'], identifiers: imo })], { minScore: 0 });
    expect(vessels).toHaveLength(1);
    expect(vessels[0].features.identifiers).toEqual(['imoNumber: IMO 9133977']);
  });

  test('dataset options', () => {
    const ps = [party('a', 'x', base), party('b', 'y', base), party('c', 'z', base)];
    expect(findCandidates(ps, { minScore: 0 }).map((c) => `${c.a}-${c.b}`).sort()).toEqual(['a-b', 'a-c', 'b-c']);
    expect(findCandidates(ps, { minScore: 0, onlyDatasets: ['x', 'y'] }).map((c) => `${c.a}-${c.b}`)).toEqual(['a-b']);
    expect(findCandidates(ps, { minScore: 0, touchingDatasets: ['z'] }).map((c) => `${c.a}-${c.b}`).sort()).toEqual(['a-c', 'b-c']);
    expect(findCandidates([party('a', 'x', base), party('b', 'x', base)], { minScore: 0 })).toEqual([]);
  });

  test('by default only candidates at or above the threshold', () => {
    const ps = [
      party('a', 'x', { ...base, birthDates: ['1964-06-18'] }),
      party('b', 'y', { names: ['PAEK CHANG HO'], birthDates: ['18 Jun 1964'] }),
      party('c', 'y', { names: ['PAEK CHANG HO'], birthDates: ['1930'] }),
    ];
    expect(findCandidates(ps, { minScore: 0 }).map((c) => c.b)).toEqual(['b', 'c']);
    expect(findCandidates(ps).map((c) => c.b)).toEqual(['b']);
  });
});

describe('UN 2025-11-18, OFAC SDN 2024-05-03 and OFAC consolidated 2025-01-10', () => {
  let parties: MatchParty[];
  let all: Candidate[];
  let byPair: Map<string, Candidate>;

  beforeAll(async () => {
    const un = await parseUnXml([UN], {});
    const sdn = await parseOfacCsv([SDN], { release: '2024-05-03', releaseFrom: 'path' });
    const cons = await parseOfacEnhancedXml([CONS], {});
    parties = [un, sdn, cons].flatMap(matchPartiesOf);
    all = findCandidates(parties, { minScore: 0 });
    byPair = new Map(all.map((c) => [pairKey(c.a, c.b), c]));
  });

  const get = (a: string, b: string) => byPair.get(pairKey(a, b));
  const scoreOf = (a: string, b: string) => get(a, b)?.score ?? 0;

  // How fast: bench/matching.ts (npm run bench), as a ratio against a baseline of the same run.
  test('candidates for ~16,400 parties, never all pairs', () => {
    expect(parties.length).toBeGreaterThan(16000);
    console.log(`matching: ${parties.length} parties, ${all.length} pairs compared, ${all.filter((c) => c.score >= MATCH_THRESHOLD).length} at or above ${MATCH_THRESHOLD}`);
    expect(all.length).toBeLessThan(parties.length * 5);
  });

  // UN KPe / KPi entries and their OFAC SDN entries, each confirmed by hand in the two files.
  test.each([
    // Same name in both lists; OFAC also has the UN alias "KOMID".
    ['un-KPe.001', 'ofac-9345', 'KOREA MINING DEVELOPMENT TRADING CORPORATION'],
    ['un-KPe.002', 'ofac-9347', 'KOREA RYONBONG GENERAL CORPORATION'],
    // One-word name; both also a.k.a. "NCG" and both say "TRADING CORPORATION".
    ['un-KPe.004', 'ofac-11532', 'NAMCHONGANG TRADING CORPORATION'],
    // UN "KOREAN TANGUN TRADING CORPORATION", OFAC "KOREA TANGUN TRADING CORPORATION".
    ['un-KPe.008', 'ofac-11599', 'KOREA TANGUN TRADING CORPORATION'],
    // UN adds the acronym in parentheses: "OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)".
    ['un-KPe.020', 'ofac-17068', 'OCEAN MARITIME MANAGEMENT COMPANY LIMITED'],
    // OFAC abbreviates: "KOREA SAMMA SHPG CO" (a UN alias too).
    ['un-KPe.065', 'ofac-23713', 'KOREA SAMMA SHPG CO'],
    ['un-KPe.072', 'ofac-23779', 'SHANGHAI DONGFENG SHPG CO LTD'],
    // Passport 381420754 and date of birth 1964-06-18 in both.
    ['un-KPi.006', 'ofac-15667', 'PAEK, Chang-Ho'],
    // Passports 472320665 and 563120356 in both (UN gives no date of birth).
    ['un-KPi.014', 'ofac-18557', 'CHOE, Song Il'],
    // OFAC lists two "KIM, Yong Chol"; the UN one (1962-02-18) is the KOMID representative in Iran, 18 Feb 1962.
    ['un-KPi.024', 'ofac-17614', 'KIM, Yong Chol'],
    // Dates of birth one day apart (UN 1966-01-27, OFAC 28 Jan 1966), same name.
    ['un-KPi.068', 'ofac-22996', 'KIM, Tong Chol'],
    // Dates of birth a year apart, same day (UN 1969-08-21, OFAC 21 Aug 1968).
    ['un-KPi.020', 'ofac-17627', 'KANG, Ryong'],
  ])('%s pairs with %s (%s)', (unId, ofacId) => {
    const c = get(unId, ofacId);
    expect(c).toBeDefined();
    expect(c!.score).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
  });

  test('what the features say, for a reader', () => {
    const paek = get('un-KPi.006', 'ofac-15667')!;
    expect(paek.score).toBeGreaterThanOrEqual(0.9);
    expect(paek.features).toMatchObject({ name: 1, birthDate: 'exact', identifiers: ['passport: 381420754'], kind: 'same' });
    const choe = get('un-KPi.014', 'ofac-18557')!;
    expect(choe.score).toBeGreaterThanOrEqual(0.9);
    expect(choe.features.identifiers).toHaveLength(2);
    const omm = get('un-KPe.020', 'ofac-17068')!;
    expect(omm.features.name).toBe(1);
    expect(describeCandidate(paek)).toMatch(/^ofac-15667 ~ un-KPi\.006: 0\.9\d\d: names PAEK, Chang-Ho ~ PAEK CHANG-HO \(similarity 1\.00\); .*shared identifier passport: 381420754; birth date exact: 18 Jun 1964 \/ 1964-06-18/);
    // Weights add up to the score (log-odds).
    const w = paek.features.weights;
    const total = w.name + w.birthDate + w.nationality + w.identifiers + w.legalForm + w.kind;
    expect(paek.score).toBeCloseTo(1 / (1 + Math.exp(-total)), 2);
  });

  /**
   * Recall over every UN DPRK entry with an obvious OFAC SDN counterpart, decided without the matcher:
   * an SDN party of a kind that can be the same which shares a passport number with it, or has a name
   * with exactly the same words (order, case and legal form aside) and, for people, no contradicting
   * birth year (one year in common, or no date on one side).
   */
  test('recall over UN KPi / KPe entries with an obvious OFAC counterpart', () => {
    const years = (p: MatchParty) => new Set(p.birthDates.flatMap((d) => d.match(/\b(1[89]\d\d|20\d\d)\b/g) ?? []));
    const keys = (p: MatchParty) => new Set(p.names.map((n) => [...meaningfulTokens(n)].sort().join(' ')));
    const passports = (p: MatchParty) => new Set(p.identifiers.filter((i) => i.type === 'passport').map((i) => normaliseIdentifierValue('passport', i.value)));
    const sdn = parties.filter((p) => p.dataset === 'ofac-sdn').map((p) => ({ p, keys: keys(p), passports: passports(p), years: years(p) }));
    const kp = parties.filter((p) => p.dataset === 'un-sc' && /^un-KP[ie]\./.test(p.id));
    expect(kp.length).toBe(155);
    const obvious: [MatchParty, MatchParty][] = [];
    for (const u of kp) {
      const uk = keys(u);
      const up = passports(u);
      const uy = years(u);
      for (const { p: o, keys: ok, passports: op, years: oy } of sdn) {
        if (!kindRelation(u.kind, o.kind)) continue;
        const samePassport = [...op].some((x) => up.has(x));
        const sameName = [...ok].some((k) => uk.has(k));
        const datesAgree = u.kind !== 'Person' || uy.size === 0 || oy.size === 0 || [...oy].some((y) => uy.has(y));
        if (samePassport || (sameName && datesAgree)) obvious.push([u, o]);
      }
    }
    const found = obvious.filter(([u, o]) => scoreOf(u.id, o.id) >= MATCH_THRESHOLD);
    const missed = obvious.filter(([u, o]) => scoreOf(u.id, o.id) < MATCH_THRESHOLD).map(([u, o]) => `${u.id} ~ ${o.id} ${scoreOf(u.id, o.id)}`);
    console.log(`DPRK recall: ${found.length} of ${obvious.length} obvious UN-OFAC pairs; missed: ${missed.join(', ')}`);
    expect(obvious.length).toBeGreaterThan(130);
    expect(found.length / obvious.length).toBeGreaterThanOrEqual(0.95);
  });

  // Real parties that share a name but are not the same, each checked in the files.
  test.each([
    // Same name, born circa 1947 (OFAC) and 1962-02-18 (UN): two men.
    ['un-KPi.024', 'ofac-12211', 'KIM YONG CHOL (UN, 1962) / KIM, Yong Chol (OFAC, circa 1947)'],
    // Same name, born 1966-01-27 (UN) and 07 Aug 1968 (OFAC).
    ['un-KPi.068', 'ofac-22702', 'KIM TONG CHOL / KIM, Tong-chol'],
    // UN TAi.007 ABDUL LATIF MANSUR a.k.a. "Wali Mohammad" (1968) and OFAC WALI, Mohammad (02 Dec 1975).
    ['un-TAi.007', 'ofac-13125', 'Wali Mohammad'],
    // The UN entry MOHAMMAD WALI MOHAMMAD EWAZ a.k.a. "Mohammad Wali" (1965), the same OFAC man (1975).
    ['un-TAi.078', 'ofac-13125', 'Mohammad Wali'],
    // An Iraqi trading company (UN IQe.206 a.k.a. ALFA TRADING COMPANY) and a Russian LLC (OFAC 48612).
    ['un-IQe.206', 'ofac-48612', 'ALFA'],
    // Two Islamist groups both a.k.a. "HUA": HARAKAT-UL JIHAD ISLAMI (UN) and HARAKAT UL-MUJAHIDEEN (OFAC).
    ['un-QDe.130', 'ofac-4696', 'HUA'],
    // A Russian joint-stock company on the consolidated list (2016) and an LLC on the SDN list (2024).
    ['ofac-20640', 'ofac-46052', 'RASSVET, OAO / LIMITED LIABILITY COMPANY RASSVET'],
    // The JSC and the LLC "FOREIGN ECONOMIC ASSOCIATION TECHNOPROMEXPORT": two companies, both listed.
    ['ofac-18771', 'ofac-23565', 'TECHNOPROMEXPORT JSC / LLC'],
    // A narcotics-program company "CEC LIMITED" and CHINA ELECTRONICS CORPORATION a.k.a. "CEC".
    ['ofac-16319', 'ofac-30932', 'CEC'],
    // The DPRK Foreign Trade Bank (UN) and the Myanma Foreign Trade Bank (OFAC).
    ['un-KPe.047', 'ofac-42796', 'FOREIGN TRADE BANK'],
  ])('%s and %s are not paired (%s)', (a, b) => {
    expect(scoreOf(a, b)).toBeLessThan(MATCH_THRESHOLD);
  });

  test('identical common person names with nothing else in common stay below the threshold', () => {
    // Two made-up entries among the real parties, so the names' words are as common as they are there.
    const extra = [
      party('test-a-1', 'test-a', { names: ['KIM, Chol'], nationalities: ['Korea, North'] }),
      party('test-b-1', 'test-b', { names: ['Kim Chol'], nationalities: ["Democratic People's Republic of Korea"] }),
      party('test-a-2', 'test-a', { names: ['Ali Mohammed'] }),
      party('test-b-2', 'test-b', { names: ['MOHAMMED, Ali'] }),
      party('test-a-3', 'test-a', { names: ['Abdul Rahman'], nationalities: ['Afghanistan'] }),
      party('test-b-3', 'test-b', { names: ['ABDUL RAHMAN'], nationalities: ['Afghanistan'] }),
    ];
    const found = findCandidates([...parties, ...extra], { minScore: 0, touchingDatasets: ['test-a'], onlyDatasets: ['test-a', 'test-b'] });
    for (const [a, b] of [['test-a-1', 'test-b-1'], ['test-a-2', 'test-b-2'], ['test-a-3', 'test-b-3']]) {
      const c = found.find((x) => x.a === a && x.b === b);
      expect(c).toBeDefined();
      expect(c!.features.name).toBe(1);
      expect(c!.score).toBeLessThan(MATCH_THRESHOLD);
    }
  });

  test('pairs are of different datasets and of kinds that can be the same', () => {
    // The same id in two datasets (61 entries are on both OFAC lists) is one party, never a pair.
    const byId = new Map<string, MatchParty[]>();
    for (const p of parties) byId.set(p.id, [...(byId.get(p.id) ?? []), p]);
    const wrong = all.filter((c) => {
      const a = byId.get(c.a)!;
      const b = byId.get(c.b)!;
      const sameDataset = a.length === 1 && b.length === 1 && a[0].dataset === b[0].dataset;
      return !(c.a < c.b) || sameDataset || !kindRelation(a[0].kind, b[0].kind) || c.score < 0 || c.score > 1;
    });
    expect(wrong).toEqual([]);
    // One candidate per pair of ids, even where an id is on two lists.
    expect(new Set(all.map((c) => `${c.a} ${c.b}`)).size).toBe(all.length);
    // These lists have no Company or LegalEntity; OFAC's vessels and aircraft meet only their own kind.
    const kinds = new Set(all.map((c) => [byId.get(c.a)![0].kind, byId.get(c.b)![0].kind].sort().join('-')));
    for (const k of kinds) expect(['Organization-Organization', 'Person-Person', 'Vessel-Vessel', 'Aircraft-Aircraft']).toContain(k);
  });

  test('the same input in another order gives the same candidates in the same order', () => {
    expect(findCandidates([...parties].reverse(), { minScore: 0 })).toEqual(all);
  });
});
