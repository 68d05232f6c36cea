/**
 * Screening scores (server/core/matching/match.ts screenCandidate) and their explanation (describe.ts
 * describeScreening) on the real OFAC SDN list of 2024-05-03, parsed with the project's parser, word
 * rarity measured among all its parties (nameStatsOf). No database. The subjects are what a caller
 * would type for parties of the DPRK IT-worker network (CHINYONG ent_num 43379, PIONEER BENCONT STAR
 * 48261, JON Yun Gun 48262: DOB 22 Apr 1973, nationality Korea, North, passport 927233154).
 */
import path from 'node:path';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { describeScreening } from '../../server/core/matching/describe';
import {
  matchPartyOf, nameStatsOf, SCREEN_MAX_SCORE, SCREEN_THRESHOLD, screenCandidate, type MatchIdentifier, type MatchParty, type NameStats, type ScreenSubject,
} from '../../server/core/matching/match';
import { fromNode, toNode } from '../../server/core/party-node';
import { SHARED } from '../helpers';

let parties: Map<string, MatchParty>;
let stats: NameStats;

beforeAll(async () => {
  const sdn = await parseOfacCsv([path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], { release: '2024-05-03', releaseFrom: 'path' });
  const ids = new Map<string, MatchIdentifier[]>();
  for (const f of sdn.identifiers) ids.set(f.partyId, [...(ids.get(f.partyId) ?? []), f.identifier]);
  parties = new Map(sdn.parties.map((p) => [p.id, matchPartyOf(fromNode(toNode(p)), ids.get(p.id) ?? [])]));
  stats = nameStatsOf([...parties.values()].map((p) => p.names));
});

const subject = (s: Partial<ScreenSubject>): ScreenSubject => ({ names: [], kind: null, birthDates: [], countries: [], identifiers: [], ...s });
const score = (s: Partial<ScreenSubject>, id: string) => screenCandidate(subject(s), parties.get(id)!, stats);

test('the population is the whole list', () => {
  expect(stats.parties).toBe(parties.size);
  expect(stats.parties).toBeGreaterThan(14_000);
  // "kim" is borne by dozens; "chinyong" by one party.
  expect(stats.words.get('kim')!).toBeGreaterThan(40);
  expect(stats.words.get('chinyong')).toBe(1);
});

test('a misspelt rare company name scores above the threshold, below the exact name, never 1', () => {
  const typo = score({ names: ['PIONEER BENCONT STAR REAL ESTAT'] }, 'ofac-48261')!;
  const exact = score({ names: ['PIONEER BENCONT STAR REAL ESTATE'] }, 'ofac-48261')!;
  const two = score({ names: ['Chinyong Informaton Tecnology Cooperation Co.'] }, 'ofac-43379')!;
  for (const s of [typo, exact, two]) {
    expect(s.score).toBeGreaterThanOrEqual(SCREEN_THRESHOLD);
    expect(s.score).toBeLessThan(1);
  }
  expect(typo.score).toBeLessThanOrEqual(exact.score);
});

test('a rare name scores above a common one (rarity among the whole list)', () => {
  const rare = score({ names: ['Jon Yun Gun'] }, 'ofac-48262')!;
  const kimChol = [...parties.values()].find((p) => p.names[0] === 'KIM, Chol')!;
  const common = score({ names: ['Kim Chol'] }, kimChol.id)!;
  expect(rare.score).toBeGreaterThan(common.score);
  expect(common.features.nameRarity).toBeLessThan(rare.features.nameRarity);
});

test('a birth year that agrees raises the score; one that conflicts lowers it below the threshold and says so', () => {
  const none = score({ names: ['Jon Yun Gun'], kind: 'Person' }, 'ofac-48262')!;
  const same = score({ names: ['Jon Yun Gun'], kind: 'Person', birthDates: ['1973'], countries: ['North Korea'] }, 'ofac-48262')!;
  const other = score({ names: ['Jon Yun Gun'], kind: 'Person', birthDates: ['1985'] }, 'ofac-48262')!;
  expect(same.score).toBeGreaterThan(none.score);
  expect(other.score).toBeLessThan(none.score);
  expect(other.score).toBeLessThan(SCREEN_THRESHOLD);
  expect(same.score).toBeLessThanOrEqual(SCREEN_MAX_SCORE);
  const lines = describeScreening(other.features, { name: true, kind: true });
  expect(lines.find((l) => l.label === 'Birth date')?.value).toMatch(/different years.*1985 given \/ listed 22 Apr 1973 \(-3\.00\)/);
});

test('a different passport number of the same country lowers the score and says so; the same one raises it', () => {
  const name = { names: ['Jon Yun Gun'], kind: 'Person' as const };
  const none = score(name, 'ofac-48262')!;
  const other = score({ ...name, identifiers: [{ type: 'passport', value: '123456789', country: 'Korea, North' }] }, 'ofac-48262')!;
  const same = score({ ...name, identifiers: [{ type: 'passport', value: '927 233 154', country: null }] }, 'ofac-48262')!;
  const abroad = score({ ...name, identifiers: [{ type: 'passport', value: '123456789', country: 'China' }] }, 'ofac-48262')!;
  expect(other.score).toBeLessThan(none.score);
  expect(other.features.identifierConflicts).toEqual(['passport: 123456789 / 927233154']);
  expect(describeScreening(other.features, { name: true, kind: true }).map((l) => l.label)).toContain('Conflicting identifier');
  expect(same.score).toBeGreaterThan(none.score);
  expect(same.features.identifiers).toEqual(['passport: 927 233 154']);
  // A passport of another country is no conflict: people hold several.
  expect(abroad.score).toBe(none.score);
});

test('an identifier alone scores by its kind; the name is not held against it', () => {
  const passport = score({ identifiers: [{ type: 'passport', value: '927233154', country: 'Korea, North' }] }, 'ofac-48262')!;
  const tax = score({ identifiers: [{ type: 'taxId', value: '2543103179', country: 'Russia' }] }, 'ofac-48260')!;
  expect(passport.features.weights.name).toBe(0);
  expect(passport.score).toBeGreaterThan(0.95);
  expect(tax.score).toBeGreaterThan(0.95);
  expect(describeScreening(passport.features, { name: false, kind: false })[0]).toEqual({ label: 'Name', value: 'not given: the match rests on the identifiers' });
});

test('a made-up name scores far below the threshold against the closest listed names', () => {
  for (const id of ['ofac-48261', 'ofac-43379', 'ofac-48262']) {
    expect(score({ names: ['Zephyrine Quolloway Holdings'] }, id)!.score).toBeLessThan(0.3);
  }
});

test('a person is never screened as a vessel', () => {
  const vessel = [...parties.values()].find((p) => p.kind === 'Vessel')!;
  expect(screenCandidate(subject({ names: [vessel.names[0]], kind: 'Person' }), vessel, stats)).toBeNull();
  expect(screenCandidate(subject({ names: [vessel.names[0]] }), vessel, stats)!.score).toBeGreaterThan(SCREEN_THRESHOLD);
});
