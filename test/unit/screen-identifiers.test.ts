/**
 * Screening by a document number with a country (server/core/text/normalize.ts lookupAccepts,
 * server/core/screening/compare.ts comparedIdentifier) on the real OFAC SDN list of 2024-05-03: JON Yun
 * Gun (ent_num 48262) holds passport 927233154 of Korea, North. A caller's Russian passport of that
 * number is another document: the number's key of another country is not accepted, and the compared
 * identifier keeps the caller's country, so the matcher does not count it as shared.
 */
import path from 'node:path';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { matchPartyOf, SCREEN_THRESHOLD, screenCandidate, type MatchIdentifier, type MatchParty, type NameStats, nameStatsOf } from '../../server/core/matching/match';
import { fromNode, toNode } from '../../server/core/party-node';
import { comparedCountries, comparedIdentifier } from '../../server/core/screening/compare';
import { identifierLookup, identifierRecord, lookupAccepts } from '../../server/core/text/normalize';
import { SHARED } from '../helpers';

let jon: MatchParty;
let stats: NameStats;
let listedKey: string;

beforeAll(async () => {
  const sdn = await parseOfacCsv([path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], { release: '2024-05-03', releaseFrom: 'path' });
  const ids = sdn.identifiers.filter((f) => f.partyId === 'ofac-48262').map((f) => f.identifier as MatchIdentifier);
  const p = sdn.parties.find((x) => x.id === 'ofac-48262')!;
  jon = matchPartyOf(fromNode(toNode(p)), ids);
  stats = nameStatsOf(sdn.parties.map((x) => [x.name]));
  const passport = ids.find((i) => i.type === 'passport' && i.value.replace(/\D/g, '') === '927233154')!;
  expect(passport.country).toBe('Korea, North');
  listedKey = identifierRecord(passport.type, passport.value, passport.country).key;
});

test('a number of another issuing country than the one named is not accepted; the same country in other words, or none, is', () => {
  expect(lookupAccepts(identifierLookup('passport', '927233154', 'Russia'), listedKey)).toBe(false);
  expect(lookupAccepts(identifierLookup('passport', '927233154', 'North Korea'), listedKey)).toBe(true);
  expect(lookupAccepts(identifierLookup('passport', '927233154', "Democratic People's Republic of Korea"), listedKey)).toBe(true);
  expect(lookupAccepts(identifierLookup('passport', '927233154', null), listedKey)).toBe(true);
  expect(lookupAccepts(identifierLookup('passport', '927233154', 'Russia'), 'passport:*:927233154')).toBe(true);
});

test("the compared identifier keeps the caller's country: a Russian passport of the number does not match the DPRK one", () => {
  const found = { type: 'passport', value: '927233154', country: 'Korea, North' };
  const russian = comparedIdentifier({ type: 'passport', typeGiven: true, value: '927233154', country: 'Russia' }, found);
  expect(russian.country).toBe('Russia');
  const subject = { names: [], kind: null, birthDates: [], countries: [], identifiers: [russian] };
  const s = screenCandidate(subject, jon, stats);
  expect(s === null || s.score < SCREEN_THRESHOLD).toBe(true);
  // The same number named as the DPRK's (in another spelling), or with no country, is the listed passport.
  for (const country of ['North Korea', null]) {
    const same = comparedIdentifier({ type: 'passport', typeGiven: true, value: '927 233 154', country }, found);
    expect([country, screenCandidate({ ...subject, identifiers: [same] }, jon, stats)!.score]).toEqual([country, expect.any(Number)]);
    expect(screenCandidate({ ...subject, identifiers: [same] }, jon, stats)!.score).toBeGreaterThan(0.95);
  }
});

describe('countries as a caller types them (JON Yun Gun: nationality Korea, North)', () => {
  const subject = (countries: string[]) => ({ names: ['Jon Yun Gun'], kind: 'Person' as const, birthDates: [], countries, identifiers: [] });
  test('an ISO alpha-3 code agrees as the name does; an unresolved name is no evidence either way', () => {
    const none = screenCandidate(subject([]), jon, stats)!.score;
    const named = screenCandidate(subject(['North Korea']), jon, stats)!.score;
    expect(named).toBeGreaterThan(none);
    expect(screenCandidate(subject(['PRK']), jon, stats)!.score).toBe(named);
    expect(screenCandidate(subject(['Narnia']), jon, stats)!.score).toBe(none);
    expect(screenCandidate(subject(['RUS']), jon, stats)!.score).toBeLessThan(none);
  });
  test('a person who states no nationality is not compared by an address country; an organisation is', () => {
    expect(comparedCountries('Person', [], ['Russia'])).toEqual([]);
    expect(comparedCountries('Company', [], ['Russia'])).toEqual(['Russia']);
    expect(comparedCountries('Organization', [], ['Russia'])).toEqual(['Russia']);
    expect(comparedCountries('Person', ['Korea, North'], ['Russia'])).toEqual(['Korea, North']);
  });
});
