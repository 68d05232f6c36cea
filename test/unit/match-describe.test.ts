/**
 * One describer for a candidate match's evidence (server/core/matching/describe.ts): every feature
 * findCandidates can record is described, so the API and the log never drop one.
 */
import { describeFeatures, describeStoredFeatures } from '../../server/core/matching/describe';
import type { MatchFeatures } from '../../server/core/matching/match';

const every: MatchFeatures = {
  name: 0.93,
  matchedNames: ['KIM Chol', 'KIM CHOL'],
  nameRarity: 0.12,
  birthDate: 'same-year',
  birthDates: ['1970', '1970-02-01'],
  nationality: 'mismatch',
  nationalities: ['KP', 'CN'],
  namesInCommon: 2,
  othersWithName: 3,
  differentWords: ['yasir', 'bashar'],
  typos: 1,
  ignoredWords: ['comapny'],
  numbers: ['7612', '7891'],
  identifiers: ['passport: 381420754'],
  identifierConflicts: ['imoNumber: 9133977 / 8712114'],
  legalForm: 'mismatch',
  legalForms: ['limited', 'partnership'],
  kind: 'compatible',
  weights: { name: 1, birthDate: 0, nationality: -1, identifiers: 2, legalForm: -1, kind: 0 },
};

describe('match evidence in words', () => {
  test('every optional feature of MatchFeatures has a line', () => {
    const lines = describeFeatures(every);
    const text = lines.map((l) => `${l.label}: ${l.value}`);
    expect(text).toEqual([
      'Names: KIM Chol ~ KIM CHOL (similarity 0.93)',
      'Name rarity: 0.12 (0 = a very common name)',
      'Names in common: 2 names written the same way in both lists',
      'Others with the name: 3 other parties bear the matched name',
      'Shared identifier: passport: 381420754',
      'Conflicting identifier: imoNumber: 9133977 / 8712114',
      'Birth date: same-year: 1970 / 1970-02-01',
      'Nationality: mismatch: KP / CN',
      'Different words: "yasir" / "bashar"',
      'Typos: 1 typo between the names',
      'Left out: "comapny"',
      'Numbers: 7612 / 7891',
      'Legal form: mismatch: limited / partnership',
      'Kind: kind unknown on one side',
    ]);
    // Each key other than the weights and the pairs that go with another key shows up in some line.
    const described = ['name', 'matchedNames', 'nameRarity', 'birthDate', 'birthDates', 'nationality', 'nationalities', 'namesInCommon', 'othersWithName', 'differentWords', 'typos', 'ignoredWords', 'numbers', 'identifiers', 'identifierConflicts', 'legalForm', 'legalForms', 'kind'];
    expect(Object.keys(every).filter((k) => k !== 'weights').sort()).toEqual([...described].sort());
  });

  test('the stored JSON describes the same; unreadable JSON describes as nothing', () => {
    expect(describeStoredFeatures(JSON.stringify(every))).toEqual(describeFeatures(every));
    expect(describeStoredFeatures('not json')).toEqual([]);
    expect(describeStoredFeatures('{"kind":"same"}')).toEqual([]);
  });
});
