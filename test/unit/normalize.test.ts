import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { addressRecord, identifierRecord, nameKey } from '../../server/core/text/normalize';
import { bmpNameKey, unicodeNameKey } from '../../server/core/text/keys';
import { SHARED } from '../helpers';

describe('normalised keys', () => {
  test('names: case, punctuation and accents do not matter', () => {
    expect(nameKey('Anglo-Caribbean Co., Ltd.')).toBe('ANGLO CARIBBEAN CO LTD');
    expect(nameKey('SÃO PAULO')).toBe(nameKey('Sao Paulo'));
    expect(nameKey('NEW AHMADI LTD.')).toBe(nameKey('NEW AHMADI LTD'));
  });
  test('the ASCII way gives the Unicode way\'s key: every cell of the real SDN and UN files, and ASCII edge cases', () => {
    const cells = new Set<string>();
    for (const file of ['ofac-sdn-csv-2024-05-03/sdn.csv', 'ofac-add-alt-2025-12-24/alt.csv']) {
      const rows = parse(fs.readFileSync(path.join(SHARED, file), 'latin1'), { relax_column_count: true, relax_quotes: true }) as string[][];
      for (const row of rows) for (const cell of row) cells.add(cell);
    }
    // UN names and aliases, original scripts included (those take the Unicode way and are compared too).
    const un = fs.readFileSync(path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml'), 'utf8');
    for (const m of un.matchAll(/<(?:FIRST_NAME|SECOND_NAME|THIRD_NAME|FOURTH_NAME|ALIAS_NAME|NAME_ORIGINAL_SCRIPT)>([^<]*)</g)) cells.add(m[1]);
    const ascii = [...cells].filter((c) => !/[^\u0000-\u007f]/.test(c)); // eslint-disable-line no-control-regex -- ASCII, controls included
    expect(ascii.length).toBeGreaterThan(10_000);
    expect(cells.size - ascii.length).toBeGreaterThan(100);
    for (let c = 0; c < 128; c++) cells.add(`a${String.fromCharCode(c)}b ${String.fromCharCode(c)}`);
    cells.add('\t  -O\'BRIEN,\r\nJr.__ 12/3 ');
    // Past the 256 characters keys.ts builds an ASCII key in, and right at them.
    cells.add('Co., Ltd. '.repeat(40));
    cells.add(`${'a'.repeat(255)},`);
    cells.add(`,${'b'.repeat(255)}`);
    const differ = [...cells].filter((c) => nameKey(c) !== unicodeNameKey(c));
    expect(differ).toEqual([]);
  });
  test('the character-at-a-time way gives the Unicode way\'s key for every character of the BMP', () => {
    const differ: string[] = [];
    const reordered: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue; // surrogates: bmpNameKey hands those strings to unicodeNameKey
      const ch = String.fromCharCode(c);
      // Names made of the character alone (those of characters that are their own key part are given
      // back as they are: bmpNameKey's isOwnKey), beside a lowercase letter, and before a mark; spaced.
      const variants = [ch, `${ch}${ch} ${ch}`, ` ${ch}`, `${ch}  ${ch}`, `${ch}\u00a0${ch}`, `a${ch}b ${ch}`, `${ch}${ch}\u0301`];
      for (const s of variants) if (bmpNameKey(s) !== unicodeNameKey(s)) differ.push(`U+${c.toString(16)} in ${JSON.stringify(s)}`);
      // What the key keeps of a character must be starters (canonical combining class 0): NFKD reorders
      // only non-starters, so a kept non-starter could move across a neighbour's mark in a whole name.
      // A starter stays put beside marks of class 230 (U+0301) and 220 (U+0316) on either side.
      for (const x of ch.normalize('NFKD').replace(/\p{M}/gu, '')) {
        if (`\u0301${x}`.normalize('NFKD') !== `\u0301${x}` || `${x}\u0316`.normalize('NFKD') !== `${x}\u0316`) reordered.push(`U+${c.toString(16)}`);
      }
    }
    expect(differ).toEqual([]);
    expect(reordered).toEqual([]);
    expect(bmpNameKey('\ud83d\ude00 Ölçer')).toBe(unicodeNameKey('\ud83d\ude00 Ölçer'));
    expect(bmpNameKey(' Şükrü  Ölçer-ﻣﺤﻤﺪ ')).toBe('SUKRU OLCER محمد');
    // Names that are their own key, and ones that are one space, an end or a character away from it.
    for (const [name, key] of [['محمد علي', 'محمد علي'], ['ПЕТРОВ ИВАН', 'ПЕТРОВ ИВАН'], ['金正恩', '金正恩'], ['محمد  علي', 'محمد علي'], ['محمد علي ', 'محمد علي'], ['Петров Иван', 'ПЕТРОВ ИВАН'], ['ПЕТРОВ-ИВАН', 'ПЕТРОВ ИВАН'], ['ПЕТРОВ\u00a0ИВАН', 'ПЕТРОВ ИВАН']]) {
      expect([name, bmpNameKey(name)]).toEqual([name, key]);
      expect(unicodeNameKey(name)).toBe(key);
    }
  });
  test('emails and websites meet whatever their case or scheme', () => {
    expect(identifierRecord('email', 'Info@GICDF.org', null).key).toBe(identifierRecord('email', 'info@gicdf.org', null).key);
    expect(identifierRecord('website', 'http://www.sb24.ir/', null).key).toBe(identifierRecord('website', 'sb24.ir', null).key);
  });
  test('hex wallets are case-insensitive, base58 wallets are not', () => {
    expect(identifierRecord('cryptoWallet', '0xAbC123', null).key).toBe(identifierRecord('cryptoWallet', '0xabc123', null).key);
    expect(identifierRecord('cryptoWallet', '1Kuf2Rd8', null).key).not.toBe(identifierRecord('cryptoWallet', '1kuf2rd8', null).key);
  });
  test('documents are scoped by issuing country; phone numbers by digits only', () => {
    expect(identifierRecord('registrationNumber', '26740', 'Iran').key).not.toBe(identifierRecord('registrationNumber', '26740', 'China').key);
    expect(identifierRecord('passport', 'D.N.I. 78.865.882', 'Spain').key).toBe(identifierRecord('passport', 'DNI 78865882', 'spain').key);
    expect(identifierRecord('phone', '(98)(21)(66153220)', null).key).toBe(identifierRecord('phone', '+98 21 6615 3220', null).key);
  });
  test('addresses: same text, same key; full text keeps the original', () => {
    const a = addressRecord('Zweierstrasse 35', 'Zurich CH-8022', 'Switzerland');
    expect(a.full).toBe('Zweierstrasse 35, Zurich CH-8022, Switzerland');
    expect(a.key).toBe(addressRecord('ZWEIERSTRASSE 35', 'Zurich  CH 8022', 'Switzerland').key);
    expect(addressRecord(null, 'Havana', 'Cuba').full).toBe('Havana, Cuba');
  });
});
