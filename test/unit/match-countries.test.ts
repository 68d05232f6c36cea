/**
 * Country codes (server/core/matching/countries.ts): ISO alpha-3 and alpha-2 codes and English names
 * resolve to the code the lists' spellings resolve to; an unknown name is kept as its key but is no
 * country code (isCountryCode), so it is no evidence; "na" is "not available", not Namibia.
 */
import { countryCode, isCountryCode } from '../../server/core/matching/countries';

test.each([
  ['RUS', 'Russia'], ['PRK', 'Korea, North'], ['prk', "Democratic People's Republic of Korea"], ['IRN', 'Iran (Islamic Republic of)'],
  ['KP', 'North Korea'], ['ru', 'Russian Federation'], ['Mexico', 'MEX'], ['The Gambia', 'GMB'], ['Namibia', 'NAM'],
])('%s is the country %s is', (a, b) => {
  expect(countryCode(a)).toBe(countryCode(b));
  expect(isCountryCode(countryCode(a))).toBe(true);
});

test('codes are ISO alpha-2', () => {
  expect([countryCode('RUS'), countryCode('PRK'), countryCode('Mexico'), countryCode('Namibia')]).toEqual(['RU', 'KP', 'MX', 'NA']);
});

test('no country, or none resolved', () => {
  for (const v of ['na', 'N/A', 'unknown', 'former Soviet Union', 'possibly Palestinian', '']) expect([v, countryCode(v)]).toEqual([v, null]);
  expect(countryCode('Narnia')).toBe('NARNIA');
  expect(isCountryCode(countryCode('Narnia'))).toBe(false);
});
