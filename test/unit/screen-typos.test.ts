/**
 * Typed names with typos in screening (server/core/matching/typos.ts, used by match.ts screenCandidate
 * for the SCREENING profile only) on the demo lists (ingest/demo: the OFAC SDN list of 2024-05-03 and the
 * UN list of 2025-11-18, parsed with the project's parsers; word rarity among all their parties). The
 * typed names are queries of bench/search-labelled.jsonl (typo1: one typo in a word of 5+ letters) and
 * pairs of bench/screen-pairs.jsonl (names one edit apart, vessels of one fleet): before the typo rules
 * each of the typed names below scored under SCREEN_THRESHOLD against its own party (0.16 to 0.66).
 */
import path from 'node:path';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { parseUnXml } from '../../ingest/sources/un-xml';
import { describeScreening } from '../../server/core/matching/describe';
import { findCandidates, matchPartyOf, matchTokens, nameStatsOf, SCREEN_THRESHOLD, screenCandidate, type MatchParty, type NameStats } from '../../server/core/matching/match';
import { alignTypos, differentNumbers, typoEdits, withoutSpeltLegalForms } from '../../server/core/matching/typos';
import { mutualTokenSimilarity, tokenSimilarity } from '../../server/core/text/names';
import { REPO_ROOT } from '../../server/core/settings';

const DEMO = path.join(REPO_ROOT, 'ingest', 'demo');
let parties: Map<string, MatchParty>;
let stats: NameStats;

beforeAll(async () => {
  const sdn = await parseOfacCsv([path.join(DEMO, 'ofac-sdn-2024-05-03', 'sdn.csv')], { release: '2024-05-03', releaseFrom: 'path' });
  const un = await parseUnXml([path.join(DEMO, 'un-sc-2025-11-18', 'consolidated.xml')], {});
  parties = new Map([...sdn.parties, ...un.parties].map((p) => [p.id, matchPartyOf(p, [])]));
  stats = nameStatsOf([...parties.values()].map((p) => p.names));
});

const party = (id: string) => {
  const p = parties.get(id);
  if (!p) throw new Error(`${id} is not in the demo lists`);
  return p;
};
const screen = (name: string, id: string, more: { birthDates?: string[] } = {}) =>
  screenCandidate({ names: [name], kind: null, birthDates: more.birthDates ?? [], countries: [], identifiers: [] }, party(id), stats)!;
const nameLine = (s: ReturnType<typeof screen>) => describeScreening(s.features, { name: true, kind: false }).find((l) => l.label === 'Name')!.value;

describe('typoEdits: a listed word mistyped within its budget', () => {
  test('a swap of two neighbouring letters is one edit (two for the edit distance of names.ts)', () => {
    expect(typoEdits('zaitra', 'zaitar')).toBe(1);
    expect(typoEdits('lecrh', 'lerch')).toBe(1);
    // The averaged similarity counted the swap in a five-letter word as two letters of five wrong.
    expect(tokenSimilarity('lecrh', 'lerch')).toBeCloseTo(0.6, 5);
  });

  test('one edit from 5 letters, two from 8, none below 5 (the listed word\'s length)', () => {
    expect(typoEdits('ambal', 'amgal')).toBe(1);
    expect(typoEdits('amgil', 'ambal')).toBeNull();
    expect(typoEdits('inzhteploprogrses', 'inzhteploprogress')).toBe(1);
    expect(typoEdits('garwnia', 'gardenia')).toBe(2);
    expect(typoEdits('chul', 'chol')).toBeNull();
    // A listed "START" may be typed "STAR"; a listed "STAR" is never "START" mistyped.
    expect(typoEdits('star', 'start')).toBe(1);
    expect(typoEdits('start', 'star')).toBeNull();
  });

  test('the first letter is kept, numbers are exact', () => {
    expect(typoEdits('tadic', 'radic')).toBeNull();
    expect(typoEdits('radic', 'radik')).toBe(1);
    expect(typoEdits('a7612', 'a7617')).toBeNull();
  });
});

describe('alignTypos: every word of both names paired', () => {
  test('in any order, with the fewest edits; a listed word the typed name lacks is no typo', () => {
    expect(alignTypos(['noah', 'zaitra'], ['zaitar', 'noah'], { legalForms: false })).toEqual({ edits: 1, ignored: [] });
    expect(alignTypos(['morgan', 'huetra', 'miguel', 'angel'], ['morgan', 'huerta', 'miguel', 'angel'], { legalForms: false })).toEqual({ edits: 1, ignored: [] });
    expect(alignTypos(['morgan', 'huetra'], ['morgan', 'huerta', 'miguel', 'angel'], { legalForms: false })).toBeNull();
  });

  test('a mistyped legal form of an organisation is left out, not of a person', () => {
    expect(alignTypos(['comapny', 'tsrti'], ['tsrti'], { legalForms: true })).toEqual({ edits: 0, ignored: ['comapny'] });
    expect(alignTypos(['comapny', 'tsrti'], ['tsrti'], { legalForms: false })).toBeNull();
  });

  test('legal forms written letter by letter are no words; initials that spell none are', () => {
    expect(withoutSpeltLegalForms(['sin', 'mex', 'importadora', 's', 'a', 'c', 'v'])).toEqual(['sin', 'mex', 'importadora']);
    expect(withoutSpeltLegalForms(['eagles', 'l', 'l', 'c'])).toEqual(['eagles']);
    expect(withoutSpeltLegalForms(['h', 'l', 'p', 'constructora'])).toEqual(['h', 'l', 'p', 'constructora']);
  });

  test('differentNumbers: vessels of one fleet, Roman numerals of one series', () => {
    expect(differentNumbers(['fu', 'yuan', 'yu', '7612'], ['fu', 'yuan', 'yu', '7891'])).toEqual(['7612', '7891']);
    expect(differentNumbers(['bicentenario', 'vii'], ['bicentenario', 'xii'])).toEqual(['vii', 'xii']);
    expect(differentNumbers(['fu', 'yuan', 'yu', '7612'], ['fu', 'yuan', 'yu', '7612'])).toBeNull();
    expect(differentNumbers(['fu', 'yuan', 'yu', '7612'], ['fu', 'yuan', 'yu'])).toBeNull();
  });
});

describe('screening a typed name', () => {
  test('one typo: above the threshold, below the name typed right, and the explanation says "1 typo"', () => {
    for (const [typed, right, id] of [
      ['ZAITRA, Noah', 'ZAITAR, Noah', 'ofac-41700'],
      ['AGRORZOKVIT LLC', 'AGROROZKVIT LLC', 'ofac-33372'],
      ['EEMRALD FZE', 'EMERALD FZE', 'ofac-37919'],
      ['DONG, Wenob', 'DONG, Wenbo', 'ofac-44016'],
    ]) {
      const s = screen(typed, id);
      const exact = screen(right, id);
      expect([typed, s.score >= SCREEN_THRESHOLD]).toEqual([typed, true]);
      expect(s.score).toBeLessThan(exact.score);
      expect(s.features.typos).toBe(1);
      expect(s.features.matchedNames).toEqual([typed, right]);
      expect(nameLine(s)).toMatch(/: similarity 0\.97, 1 typo, a rare name/);
    }
  });

  test('two typos in one long word, and one in each of two words', () => {
    const two = screen('GARWNIA', 'ofac-26653');
    expect(party('ofac-26653').names).toContain('GARDENIA');
    expect(two.features.typos).toBe(2);
    expect(two.score).toBeGreaterThanOrEqual(SCREEN_THRESHOLD);
    expect(nameLine(two)).toMatch(/: similarity 0\.95, 2 typos, /);
    const words = screen('PIONER BENCONT STAR REAL ESATTE', 'ofac-48261');
    expect(words.features.typos).toBe(2);
    expect(words.score).toBeGreaterThanOrEqual(SCREEN_THRESHOLD);
  });

  test('a swap in a person\'s name is a typo, not another person', () => {
    const s = screen('LECRH, Gotthard', 'ofac-11364');
    expect(s.features.differentWords).toBeUndefined();
    expect(s.features.typos).toBe(1);
    expect(s.score).toBeGreaterThanOrEqual(SCREEN_THRESHOLD);
    expect(describeScreening(s.features, { name: true, kind: false }).map((l) => l.label)).not.toContain('Different words');
  });

  test('a misspelt legal form is left out, as the legal form is, and says so', () => {
    const typed = screen('LIMITED LIABILITY COMAPNY TSRTI', 'ofac-45983');
    const right = screen('LIMITED LIABILITY COMPANY TSRTI', 'ofac-45983');
    expect(typed.features.ignoredWords).toEqual(['comapny']);
    expect(typed.features.typos).toBeUndefined();
    expect(typed.score).toBeGreaterThanOrEqual(SCREEN_THRESHOLD);
    // Below the name typed right only by what the legal form written in full adds to its rarity.
    expect(typed.score).toBeLessThan(right.score);
    expect(typed.features.name).toBe(1);
    const left = describeScreening(typed.features, { name: true, kind: false }).find((l) => l.label === 'Left out');
    expect(left?.value).toBe('"comapny": a legal form mistyped, left out as legal forms are');
  });

  test('another first letter is another name: RADIC is not TADIC mistyped', () => {
    const s = screen('TADIC, Miroslav', 'ofac-7775');
    expect(s.features.matchedNames).toEqual(['TADIC, Miroslav', 'RADIC, Miroslav']);
    expect(s.features.typos).toBeUndefined();
    expect(s.score).toBeLessThan(screen('RADIC, Miroslav', 'ofac-7775').score);
  });

  test('a name typed right ranks above the party whose name it is one typo from', () => {
    // DIAMOND and DIMOND TRANSPORTATION LIMITED are two companies of the SDN list.
    const diamond = screen('DIAMOND TRANSPORTATION LIMITED', 'ofac-25845');
    const dimond = screen('DIAMOND TRANSPORTATION LIMITED', 'ofac-25846');
    expect(dimond.features.typos).toBe(1);
    expect(diamond.score).toBeGreaterThan(dimond.score);
  });

  test('FU YUAN YU 7612 is not FU YUAN YU 7891: different numbers keep it below the threshold, and say so', () => {
    expect(party('ofac-33751').names[0]).toBe('FU YUAN YU 7891');
    const s = screen('FU YUAN YU 7612', 'ofac-33751');
    expect(s.score).toBeLessThan(SCREEN_THRESHOLD);
    expect(s.features.numbers).toEqual(['7612', '7891']);
    expect(describeScreening(s.features, { name: true, kind: false }).find((l) => l.label === 'Numbers')?.value).toBe(
      '7612 given / listed 7891: different numbers name another party (counted in the name)',
    );
    expect(screen('FU YUAN YU 7612', 'ofac-33815').score).toBeGreaterThanOrEqual(SCREEN_THRESHOLD);
  });

  test('the explanation names the closest pair of names, also when none is close', () => {
    // KOREA MINING DEVELOPMENT TRADING CORPORATION, listed by the UN with four other names.
    const komid = party('un-KPe.001');
    const s = screen('EXTERNAL TECHNOLOGY GENRAL CORPORATION', 'un-KPe.001');
    expect(s.features.matchedNames[1]).toBe('EXTERNAL TECHNOLOGY GENERAL CORPORATION');
    expect(s.features.typos).toBe(1);
    // No name of the party is close to this one: the pair shown is still the closest of all pairs (it
    // was the first pair sharing a word).
    const typed = 'SINYONG MINING';
    const far = screen(typed, 'un-KPe.001');
    expect(far.score).toBeLessThan(SCREEN_THRESHOLD);
    const closest = Math.max(...komid.names.map((n) => mutualTokenSimilarity(matchTokens(typed), matchTokens(n))));
    expect(far.features.name).toBeCloseTo(closest, 3);
    expect(mutualTokenSimilarity(matchTokens(typed), matchTokens(far.features.matchedNames[1]))).toBeCloseTo(closest, 3);
  });
});

test('cross-list matching is not screening: two listed names one typo apart are compared as before', () => {
  // ZAITAR, Noah as another list would spell him: compared by the averaged word similarity, no typo reading.
  const other = { ...party('ofac-41700'), id: 'x-1', dataset: 'other', names: ['ZAITRA, Noah'] };
  const found = findCandidates([party('ofac-41700'), other], { minScore: 0 });
  expect(found).toHaveLength(1);
  expect(found[0].features.typos).toBeUndefined();
  expect(found[0].features.name).toBeCloseTo(mutualTokenSimilarity(matchTokens('ZAITRA, Noah'), matchTokens('ZAITAR, Noah')), 3);
  expect(found[0].features.name).toBeLessThan(screen('ZAITRA, Noah', 'ofac-41700').features.name);
});
