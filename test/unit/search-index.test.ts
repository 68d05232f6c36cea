/**
 * The name index and its query readings (server/core/search) on the real lists, without a database: the
 * index is built from the parties the real parsers read from the OFAC SDN list of 2024-05-03 and the UN
 * list of 2025-11-18 (as the database would hold them after a load of both), then asked as search asks.
 */
import path from 'node:path';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { parseUnXml } from '../../ingest/sources/un-xml';
import { hangulSyllableReadings, hanReadings } from '../../server/core/search/korean';
import { indexedParties, NameIndex, osaDistance, type IndexedParty, type IndexFilters } from '../../server/core/search/name-index';
import { querySlots } from '../../server/core/search/query';
import { visibleKey } from '../../server/core/search/live';
import { SHARED } from '../helpers';

const NONE: IndexFilters = { kinds: null, datasets: null, programs: null, countries: null };

let index: NameIndex;
let parties: IndexedParty[];
beforeAll(async () => {
  const sdn = await parseOfacCsv([path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], { release: '2024-05-03' });
  const un = await parseUnXml([path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml')], {});
  parties = [...indexedParties(sdn), ...indexedParties(un)];
  index = new NameIndex(parties);
}, 120_000);

const top = (q: string, filters: IndexFilters = NONE, n = 5) => index.search(q, filters, 300)!.slice(0, n);
const name = (id: string) => parties.find((p) => p.id === id)!.name;

describe('Korean readings', () => {
  test('a Hangul syllable reads in McCune-Reischauer as the lists write it and in Revised Romanization', () => {
    expect(hangulSyllableReadings('김')).toEqual(expect.arrayContaining(['kim', 'gim']));
    expect(hangulSyllableReadings('정')).toEqual(expect.arrayContaining(['jong', 'chong', 'jeong']));
    expect(hangulSyllableReadings('은')).toEqual(expect.arrayContaining(['un', 'eun']));
    expect(hangulSyllableReadings('리')).toEqual(expect.arrayContaining(['ri', 'li', 'yi']));
    expect(hangulSyllableReadings('최')).toEqual(expect.arrayContaining(['choe', 'choi']));
    // Aspirated initials as DPRK writes them: PHYONGYANG, THAE.
    expect(hangulSyllableReadings('평')).toEqual(expect.arrayContaining(['phyong', 'pyeong']));
    expect(hangulSyllableReadings('태')).toEqual(expect.arrayContaining(['thae', 'tae']));
    expect(hangulSyllableReadings('a')).toEqual([]);
  });

  test('a Han character reads as Korean (in every romanisation) and as pinyin', () => {
    expect(hanReadings('金')).toEqual(expect.arrayContaining(['kim', 'gim', 'jin']));
    expect(hanReadings('正')).toEqual(expect.arrayContaining(['jong', 'jeong', 'zheng']));
    expect(hanReadings('李')).toEqual(expect.arrayContaining(['ri', 'lee', 'li']));
  });

  test('a query is split into slots: a Hangul syllable or Han character each, Latin words, legal forms dropped', () => {
    expect(querySlots('김정은').map((s) => s.alts[0] && s.reading)).toEqual([true, true, true]);
    expect(querySlots('Alis Co., Ltd.').map((s) => s.alts)).toEqual([['alis']]);
    expect(querySlots('company').map((s) => s.alts)).toEqual([['company']]);
    expect(querySlots('LAZARUS GRUP').map((s) => [s.alts[0], s.noiseLike])).toEqual([['lazarus', false], ['grup', true]]);
    // Repeats are one slot each (a slot is a lookup of all its spellings: 200 of them took ~1 s).
    expect(querySlots('이'.repeat(200))).toEqual(querySlots('이'));
    expect(querySlots('al '.repeat(66))).toEqual(querySlots('al'));
    expect(querySlots('김정은 김정은 KIM kim').map((s) => s.alts[0])).toEqual([...querySlots('김정은').map((s) => s.alts[0]), 'kim']);
    // Each distinct syllable is a slot (search() counts them against LIMITS.searchWords).
    expect(querySlots('가나다라마바사아자차카타파하').length).toBe(14);
  });
});

describe('ranking on the real lists', () => {
  test('a rare word counts more than a common one: LAZARUS GRUP finds LAZARUS GROUP first', () => {
    const hits = top('LAZARUS GRUP');
    expect(name(hits[0].id)).toBe('LAZARUS GROUP');
    // The names that share only the common word rank below it, if at all.
    const grup = parties.filter((p) => /\bGRUP\b/.test(p.name)).map((p) => p.id);
    expect(grup.length).toBeGreaterThan(0);
    for (const h of index.search('LAZARUS GRUP', NONE, 300)!) if (grup.includes(h.id)) expect(h.score).toBeLessThan(hits[0].score);
    // A rare word found outweighs a common one: LAZARUS (one party) over KOREA (hundreds of names).
    const mixed = top('LAZARUS KOREA');
    expect(name(mixed[0].id)).toBe('LAZARUS GROUP');
    expect(mixed[0].score).toBeGreaterThan(0.6);
    for (const h of mixed.slice(1)) expect(h.score).toBeLessThan(mixed[0].score - 0.1);
  });

  test('김정은 (Hangul) and 金正恩 (Han) find KIM Jong Un first', () => {
    const kim = parties.find((p) => p.name === 'KIM, Jong Un')!;
    for (const q of ['김정은', '金正恩', 'kim jong un', 'Jong Un KIM', 'kim jongun']) expect([q, top(q)[0].id]).toEqual([q, kim.id]);
  });

  test('typos, word order, legal-form noise and typing a prefix', () => {
    const chinyong = 'ofac-43379';
    for (const q of ['chinyoung', 'chinyong', 'CHINYONG INFORMATON TECHNOLGY COOPERATION COMPANY', 'cooperation chinyong', 'Chinyong Information Technology Cooperation Co., Ltd.', 'chiny']) {
      expect([q, top(q)[0].id]).toEqual([q, chinyong]);
    }
    expect(top('ALIS LLC')[0]).toMatchObject({ id: 'ofac-48260', score: 1, matchedName: 'ALIS LLC' });
    // Korean names as Russian writes them (ЧИНЬОН, Ким Чен Ын) read back into the lists' spellings.
    expect(top('ЧИНЬОН')[0].id).toBe(chinyong);
    expect(name(top('Ким Чен Ын')[0].id)).toBe('KIM, Jong Un');
  });

  test('scores are in [0, 1], best first, 1 only for the same words', () => {
    const hits = index.search('korea mining', NONE, 300)!;
    expect(hits.length).toBeGreaterThan(10);
    for (const [i, h] of hits.entries()) {
      expect(h.score).toBeGreaterThan(0);
      expect(h.score).toBeLessThanOrEqual(1);
      if (i > 0) expect(h.score).toBeLessThanOrEqual(hits[i - 1].score);
    }
    expect(top('KOREA MINING DEVELOPMENT TRADING CORPORATION')[0].score).toBe(1);
    expect(top('KOREA MINING DEVELOPMENT TRADING')[0].score).toBe(1); // legal form left out
    expect(top('KOREA MINING DEVELOPMNT TRADING')[0].score).toBeLessThan(1);
  });

  test('filters keep only parties with any of the values, as the Cypher filter does', () => {
    const un = index.search('korea mining development', { ...NONE, datasets: ['un-sc'] }, 300)!;
    expect(un.map((h) => h.id)).toContain('un-KPe.001');
    for (const h of un) expect(h.id.startsWith('un-')).toBe(true);
    const people = index.search('kim', { ...NONE, kinds: ['Person'] }, 300)!;
    expect(people.length).toBeGreaterThan(0);
    for (const h of people) expect(parties.find((p) => p.id === h.id)!.kinds).toContain('Person');
    const dprk = index.search('company', { ...NONE, programs: ['CYBER2'] }, 5000)!;
    const expected = parties.filter((p) => p.programs.includes('CYBER2') && [p.name, ...p.aliases].some((n) => /\bCOMPANY\b/i.test(n))).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(dprk.map((h) => h.id)).toEqual(expect.arrayContaining(expected));
    const rwanda = index.search('eric badege', { ...NONE, countries: ['rwanda'] }, 300)!;
    expect(rwanda[0]?.id).toBe('un-CDi.001');
    expect(index.search('eric badege', { ...NONE, countries: ['korea, north'] }, 300)!.map((h) => h.id)).not.toContain('un-CDi.001');
  });

  test('a query with nothing to look up is null', () => {
    expect(index.search('  .. ', NONE, 10)).toBeNull();
  });
});

test('the typo distance counts a swap of two letters as one', () => {
  expect(osaDistance('chinyong', 'chniyong', 2)).toBe(1);
  expect(osaDistance('lazarus', 'lazarsu', 2)).toBe(1);
  expect(osaDistance('kim', 'kin', 1)).toBe(1);
  expect(osaDistance('korea', 'mining', 2)).toBe(3);
});

test('the visible key changes on a commit, not when a load registers', () => {
  const settled = visibleKey({ seq: 4, hidden: [] });
  expect(visibleKey({ seq: 5, hidden: [5] })).toBe(settled); // load 5 registered, writing hidden
  expect(visibleKey({ seq: 5, hidden: [] })).not.toBe(settled); // load 5 committed
  expect(visibleKey({ seq: 6, hidden: [5, 6] })).toBe(visibleKey({ seq: 4, hidden: [] }));
});
