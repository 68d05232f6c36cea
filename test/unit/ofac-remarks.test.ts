import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { parseIdentifierValue, parseRemarks, splitRemarks } from '../../ingest/sources/ofac-remarks';

const rows: string[][] = parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv')), { relax_column_count: true });
const remarksOf = (uid: string) => rows.find((r) => r[0] === uid)![11];

describe('OFAC remarks (real 2024-05-03 entries)', () => {
  test('48260 LIMITED LIABILITY COMPANY ALIS: aliases, tax and registration numbers, Linked To', () => {
    const f = parseRemarks(remarksOf('48260'));
    expect(f.aliases).toEqual([
      { name: 'ALIAS LLC', type: 'a.k.a.', quality: null },
      { name: 'ALIS LLC', type: 'a.k.a.', quality: null },
    ]);
    expect(f.identifiers.map((i) => [i.label, i.type, i.value, i.country])).toEqual([
      ['Tax ID No.', 'taxId', '2543103179', 'Russia'],
      ['Registration Number', 'registrationNumber', '1162536087230', 'Russia'],
    ]);
    expect(f.linkedTo).toEqual(['CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY']);
  });

  test('48262 JON, Yun Gun: DOB, nationality, gender, passport, link', () => {
    const f = parseRemarks(remarksOf('48262'));
    expect(f.birthDates).toEqual(['22 Apr 1973']);
    expect(f.nationalities).toEqual(['Korea, North']);
    expect(f.gender).toBe('Male');
    expect(f.identifiers).toEqual([
      { label: 'Passport', type: 'passport', value: '927233154', country: 'Korea, North', issued: null, expires: null },
    ]);
    expect(f.linkedTo).toEqual(['PIONEER BENCONT STAR REAL ESTATE']);
  });

  test('4243 EBANO (vessel): IMO number and former names', () => {
    const f = parseRemarks(remarksOf('4243'));
    expect(f.identifiers.map((i) => [i.type, i.value])).toEqual([['imoNumber', '7406784']]);
    expect(f.aliases.map((a) => `${a.type} ${a.name}`)).toEqual(['f.k.a. ANA I', 'f.k.a. SAND SWAN']);
  });

  test('15431 EP-GOM (aircraft): serial numbers and operator link', () => {
    const f = parseRemarks(remarksOf('15431'));
    expect(f.identifiers.map((i) => i.type).sort()).toEqual(['aircraftSerial', 'aircraftSerial']);
    expect(f.linkedTo).toEqual(['POUYA AIR']);
  });

  test('2686 NASRALLAH: every alternative DOB is kept', () => {
    const f = parseRemarks(remarksOf('2686'));
    expect(f.birthDates.length).toBeGreaterThanOrEqual(4);
    expect(f.birthDates[0]).toBe('31 Aug 1960');
  });

  test('12685: website, email and phone numbers', () => {
    const f = parseRemarks(remarksOf('12685'));
    const byType = (t: string) => f.identifiers.filter((i) => i.type === t).map((i) => i.value);
    expect(byType('website')).toEqual(['www.gicdf.org']);
    expect(byType('email')).toEqual(['info@gicdf.org']);
    expect(byType('phone').length).toBe(4);
  });

  test('30518: digital currency addresses carry the currency in their label', () => {
    const f = parseRemarks(remarksOf('30518'));
    const wallets = f.identifiers.filter((i) => i.type === 'cryptoWallet');
    expect(wallets.length).toBeGreaterThan(0);
    expect(wallets[0].label).toMatch(/^Digital Currency Address - [A-Z]+$/);
    expect(wallets[0].value).not.toContain(' ');
  });
});

describe('remark statements', () => {
  test('split on ";" with or without a space, final period dropped', () => {
    expect(splitRemarks('nationality possibly Palestinian;arrested 23 Apr 2002; DOB 1962.')).toEqual([
      'nationality possibly Palestinian',
      'arrested 23 Apr 2002',
      'DOB 1962',
    ]);
  });
  test('identifier values: country in parentheses, issued and expiry dates', () => {
    expect(parseIdentifierValue('G 649385 issued 08 Sep 2006 expires 17 Jul 2011')).toEqual({
      value: 'G 649385',
      country: null,
      issued: '08 Sep 2006',
      expires: '17 Jul 2011',
    });
    expect(parseIdentifierValue('HRA 738077 (Stuttgart) (Germany)')).toEqual({ value: 'HRA 738077 (Stuttgart)', country: 'Germany', issued: null, expires: null });
  });
  test('unknown statements are not turned into facts', () => {
    const f = parseRemarks('Secondary sanctions risk: section 1(b) of Executive Order 13224; Organization Type: Real estate.');
    expect(f.identifiers).toEqual([]);
    expect(f.aliases).toEqual([]);
  });
});
