/**
 * Readings of Hangul and Han names fitted to a candidate's Latin names (server/core/screening/readings.ts),
 * on names as the OFAC and UN lists write them.
 */
import { readableName, readingsFor } from '../../server/core/screening/readings';

const read = (input: string, names: string[]) => readingsFor(readableName(input)!, names);

test('a name without Hangul or Han is not read', () => {
  expect(readableName('KIM Jong Un')).toBeNull();
  expect(readableName('Ким Чен Ын')).toBeNull();
});

test('Hangul is read into the spelling of the candidate name, split where the name splits', () => {
  // OFAC writes "KIM Jong Un"; the UN "KIM JONG UN"; a South Korean source "Gim Jeong-eun".
  expect(read('김정은', ['KIM Jong Un'])[0]).toEqual({ name: 'KIM JONG UN', explanation: 'Hangul 김정은 read as KIM JONG UN (McCune-Reischauer, as the lists write DPRK names)' });
  expect(read('김정은', ['Gim Jeong-eun'])[0].name).toBe('GIM JEONG EUN');
  expect(read('김정은', ['Gim Jeong-eun'])[0].explanation).toMatch(/Revised Romanization/);
  // "RI, Won Ho" (OFAC 19609): the comma is no word.
  expect(read('리원호', ['RI, Won Ho'])[0].name).toBe('RI WON HO');
  // Syllables run together where the name runs them together (OFAC's NAMCHONGANG TRADING, 남천강).
  expect(read('남천강', ['NAMCHONGANG TRADING'])[0].name).toBe('NAMCHONGANG');
});

test('words of the name the input lacks are free; the syllables still take their closest readings', () => {
  expect(read('정은', ['KIM Jong Un'])[0].name).toBe('JONG UN');
});

test('Han is read by its Korean readings or its pinyin, whichever the name is written in', () => {
  expect(read('金正恩', ['KIM Jong Un'])[0].explanation).toBe('Han 金正恩 read as KIM JONG UN (Korean readings of the Han characters)');
  expect(read('王', ['WANG'])[0].name).toBe('WANG');
});

test('only real readings are chosen: a name that is no reading of the input stays unlike it', () => {
  // 홍길동 has no reading near "JANG Song Thaek": the closest reading is still Hong Gil Dong's.
  expect(read('홍길동', ['JANG Song Thaek'])[0].name).toMatch(/^HONG ?(KIL|GIL) ?(TONG|DONG)/);
  // Too few letters for three syllables: no reading at all.
  expect(read('홍길동', ['RI Won Ho'])).toEqual([]);
});

test('Latin words beside the syllables are kept; a name the list writes in Hangul or Han gives none (compared as written)', () => {
  expect(read('김정은 TRADING', ['KIM Jong Un'])[0].name).toBe('KIM JONG UN TRADING');
  expect(read('김정은', ['金正恩'])).toEqual([]);
});
