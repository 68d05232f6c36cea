/**
 * Identifier normalisation (server/core/text/normalize.ts) on values as the OFAC SDN list of 2024-05-03
 * writes them in its remarks (the DPRK cyber and IT-worker entries: SINBAD ent_num 44437, KIMSUKY
 * 45430, TIAN Yinyin 28263, LAZARUS GROUP 27307, KIM Sang Man 43377, KARASAVIDI 29585; LIMITED
 * LIABILITY COMPANY ALIS 48260, JON Yun Gun 48262), and as a user may type them: the same key at ingest
 * and at query.
 */
import fs from 'node:fs';
import path from 'node:path';
import { identifierLookup, identifierRecord, normaliseIdentifierValue, recogniseIdentifierType, walletChain } from '../../server/core/text/normalize';
import { SHARED } from '../helpers';

const SDN = fs.readFileSync(path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv'), 'latin1');
const key = (...a: Parameters<typeof identifierRecord>) => identifierRecord(...a).key;

test('the values below are in the list as written', () => {
  for (const v of [
    'Email Address support@sinbad.io', 'Website https://sinbad.io', 'Email Address hongsiao@naver.com', 'Website onerearth.xyz',
    'Phone Number 8613621583465', 'PHONE 850 2 381 8221', 'Telephone (98)(21)(66153220)',
    'Digital Currency Address - XBT bc1qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd',
    'Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96', 'Digital Currency Address - XBT 1JHdQHkBZiim1cb4hyUh2PbzEbbg6z2TrF',
    'Tax ID No. 2543103179 (Russia)', 'Passport 927233154 (Korea, North)', 'Passport 75 5276391 (Russia)',
  ]) expect([v, SDN.includes(v)]).toEqual([v, true]);
});

describe('emails: case-folded and trimmed', () => {
  test('as typed, they meet the listed address', () => {
    expect(key('email', '  Support@SINBAD.io ', null)).toBe(key('email', 'support@sinbad.io', null));
    expect(key('email', 'mailto:HongSiao@Naver.com', null)).toBe('email:hongsiao@naver.com');
  });
  test('different mailboxes stay different', () => {
    expect(key('email', 'hong_xiao@naver.com', null)).not.toBe(key('email', 'hongsiao@naver.com', null));
  });
});

describe('websites: the host', () => {
  test('scheme, www., path, port and trailing slash dropped', () => {
    for (const typed of ['https://sinbad.io', 'http://www.sinbad.io/', 'SINBAD.IO', 'https://sinbad.io/en/login?x=1', 'www.sinbad.io:443/']) {
      expect([typed, normaliseIdentifierValue('website', typed)]).toEqual([typed, 'sinbad.io']);
    }
  });
  test('an onion address and a subdomain are hosts of their own', () => {
    expect(normaliseIdentifierValue('website', 'http://sinbadiovklgdbafpqvwfwjh2tfrisahtxmrskiovt62nirragcnkcad.onion')).toBe('sinbadiovklgdbafpqvwfwjh2tfrisahtxmrskiovt62nirragcnkcad.onion');
    expect(normaliseIdentifierValue('website', 'mail.sinbad.io')).not.toBe('sinbad.io');
  });
});

describe('phones: E.164', () => {
  test('OFAC writes international numbers without the plus; a user with it', () => {
    expect(normaliseIdentifierValue('phone', '8613621583465')).toBe('+8613621583465');
    expect(key('phone', '+86 136 2158 3465', null)).toBe(key('phone', '8613621583465', null));
    expect(normaliseIdentifierValue('phone', '850 2 381 8221')).toBe('+85023818221');
    expect(normaliseIdentifierValue('phone', '(98)(21)(66153220)')).toBe('+982166153220');
    expect(normaliseIdentifierValue('phone', '0098 21 6615 3220')).toBe('+982166153220');
  });
  test('a national number is read in the identifier\'s country', () => {
    expect(normaliseIdentifierValue('phone', '021 6615 3220', 'Iran')).toBe('+982166153220');
    expect(normaliseIdentifierValue('phone', '8 (911) 035-49-82', 'Russia')).toBe('+79110354982');
  });
  test('without a country code or a country, the digits as written', () => {
    expect(normaliseIdentifierValue('phone', '03 889 402')).toBe('03889402');
  });
});

describe('wallets: per chain', () => {
  test('the currency comes from the OFAC label', () => {
    expect(walletChain('Digital Currency Address - XBT')).toBe('XBT');
    expect(walletChain('alt. Digital Currency Address - ETH')).toBe('ETH');
    expect(walletChain('Tax ID No.')).toBeNull();
  });
  test('EVM (0x hex) addresses compare lowercased: their case is only a checksum', () => {
    expect(key('cryptoWallet', '0x098B716B8Aaf21512996dC57EB0615e2383E2f96', null)).toBe(key('cryptoWallet', '0x098b716b8aaf21512996dc57eb0615e2383e2f96', null));
    expect(normaliseIdentifierValue('cryptoWallet', '098B716B8Aaf21512996dC57EB0615e2383E2f96', null, 'Digital Currency Address - ETH')).toBe('0x098b716b8aaf21512996dc57eb0615e2383e2f96');
  });
  test('bech32 is one case; base58 (XBT legacy, TRX) is case-sensitive', () => {
    expect(key('cryptoWallet', 'BC1QQ7P0ES3DV5HCYNJJF40F2XJJR6QP5PY47D2F6N847VDUUQ9GVNYQ7Y9ECD', null)).toBe(
      key('cryptoWallet', 'bc1qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd', null),
    );
    expect(key('cryptoWallet', '1JHdQHkBZiim1cb4hyUh2PbzEbbg6z2TrF', null)).not.toBe(key('cryptoWallet', '1jhdqhkbziim1cb4hyuh2pbzebbg6z2trf', null));
    expect(normaliseIdentifierValue('cryptoWallet', 'TAaKbzanm2aUn6hgFYBGbbvH7uZvhxbBYp', null, 'Digital Currency Address - TRX')).toBe('TAaKbzanm2aUn6hgFYBGbbvH7uZvhxbBYp');
  });
});

describe('document numbers: without spaces, dashes and dots, by issuing country', () => {
  test('as written and as typed', () => {
    expect(key('passport', '75 5276391', 'Russia')).toBe(key('passport', '755276391', 'Russia'));
    expect(key('registrationNumber', '317308-5', 'Turkey')).toBe(key('registrationNumber', '3173085', 'Turkey'));
    expect(key('passport', 'D.N.I. 78.865.882', 'Spain')).toBe(key('passport', 'DNI 78865882', 'Spain'));
  });
});

describe('the type of a value typed without one', () => {
  test.each([
    ['support@sinbad.io', 'email'],
    ['+86 136 2158 3465', 'phone'],
    ['850 2 381 8221', 'phone'],
    ['0x098B716B8Aaf21512996dC57EB0615e2383E2f96', 'cryptoWallet'],
    ['bc1qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd', 'cryptoWallet'],
    ['1JHdQHkBZiim1cb4hyUh2PbzEbbg6z2TrF', 'cryptoWallet'],
    ['https://sinbad.io', 'website'],
    ['onerearth.xyz', 'website'],
    ['IMO 8909331', 'imoNumber'],
    ['927233154', 'other'],
    ['2543103179', 'other'],
    ['G31920875', 'other'],
  ])('%s is %s', (value, type) => {
    expect(recogniseIdentifierType(value)).toBe(type);
  });
});

describe('lookup keys at query', () => {
  test('a document number without a country finds that number of any country and document type', () => {
    const l = identifierLookup(null, '927233154');
    expect(l).toMatchObject({ type: 'other', normalised: '927233154', suffix: ':927233154' });
    expect(l.documentTypes).toEqual(expect.arrayContaining(['passport', 'taxId', 'nationalId', 'registrationNumber', 'other']));
    // A bare run of digits may be a phone number too (OFAC writes them so).
    expect(l.keys).toContain('phone:927233154');
    // Grouped digits read as a phone number are still looked up as a document number.
    expect(identifierLookup(null, '927 233 154')).toMatchObject({ type: 'phone', suffix: ':927233154' });
  });
  test('a passport is looked up among passports and unnamed documents only', () => {
    expect(identifierLookup('passport', '927233154').documentTypes).toEqual(['passport', 'other']);
  });
  test('the keys of stores loaded before E.164 and host-only websites are looked up too', () => {
    expect(identifierLookup('phone', '+86 136 2158 3465').keys).toEqual(['phone:+8613621583465', 'phone:8613621583465']);
    expect(identifierLookup(null, 'http://www.sinbad.io/en/').keys).toEqual(['website:sinbad.io', 'website:sinbad.io/en']);
  });
  test('an email is one key', () => {
    expect(identifierLookup(null, 'Support@Sinbad.IO')).toMatchObject({ type: 'email', keys: ['email:support@sinbad.io'], suffix: null, documentTypes: [] });
  });
});

describe('wallets of chains no pattern recognises, typed without a type', () => {
  // As the SDN list of 2024-05-03 writes them ("Digital Currency Address - BTG ...").
  const listed = [...SDN.matchAll(/Digital Currency Address - (BTG|XVG|BCH|XMR) ([A-Za-z0-9]+)/g)].map((m) => ({ chain: m[1], value: m[2] }));
  test('are looked up as the wallet the list holds, as well as a document number', () => {
    expect(new Set(listed.map((w) => w.chain))).toEqual(new Set(['BTG', 'XVG', 'BCH', 'XMR']));
    // XMR of 64 hex digits is among them.
    expect(listed.some((w) => w.chain === 'XMR' && /^[0-9a-f]{64}$/.test(w.value))).toBe(true);
    for (const w of listed) {
      const keys = identifierLookup(null, w.value).keys;
      expect([w.value, keys.includes(key('cryptoWallet', w.value, null))]).toEqual([w.value, true]);
    }
  });
  test('a BCH cashaddr with its scheme; short codes and words are not wallets', () => {
    const bch = listed.find((w) => w.chain === 'BCH')!.value;
    expect(identifierLookup(null, `bitcoincash:${bch}`).keys).toContain(key('cryptoWallet', bch, null));
    expect(identifierLookup(null, 'A1234567').keys.some((k) => k.startsWith('cryptoWallet:'))).toBe(false);
    expect(identifierLookup(null, 'rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe').keys).toContain('cryptoWallet:rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe');
  });
});

describe('phones written in a national format without a country', () => {
  test('a trunk digit and an area code in parentheses are not read as a country code', () => {
    // Moscow 8 (495) ... read as +84 95... would be a Vietnamese number's key.
    expect(normaliseIdentifierValue('phone', '8 (495) 123-45-67')).toBe('84951234567');
    expect(key('phone', '8 (495) 123-45-67', null)).not.toBe(key('phone', '+84 95 123 45 67', null));
    expect(identifierLookup('phone', '8 (495) 123-45-67').keys).not.toContain('phone:+84951234567');
    // With the caller's country it is the Moscow number; OFAC's international forms are unchanged.
    expect(identifierLookup('phone', '8 (495) 123-45-67', 'Russia').keys).toContain('phone:+74951234567');
    expect(normaliseIdentifierValue('phone', '(98)(21)(66153220)')).toBe('+982166153220');
    expect(normaliseIdentifierValue('phone', '8613621583465')).toBe('+8613621583465');
    // A country code (7) before the parentheses is still read as one.
    expect(normaliseIdentifierValue('phone', '7 (495) 123-45-67')).toBe('+74951234567');
  });
});

describe('EVM wallets written without their 0x', () => {
  // The SDN list's ETH addresses, as a source writing them without the 0x lists them (OFAC's other
  // files do): loaded with the source's label, the key is the 0x form; a screen typing the address as
  // the source lists it must meet it, typed as a wallet or untyped.
  const eth = [...SDN.matchAll(/Digital Currency Address - ETH 0x([0-9A-Fa-f]{40})/g)].map((m) => m[1]);
  test('are looked up under the key a labelled load stores', () => {
    expect(eth.length).toBeGreaterThan(5);
    for (const bare of eth) {
      const stored = key('cryptoWallet', bare, null, 'Digital Currency Address - ETH');
      expect(stored).toBe(`cryptoWallet:0x${bare.toLowerCase()}`);
      for (const type of [null, 'cryptoWallet'] as const) expect([bare, type, identifierLookup(type, bare).keys.includes(stored)]).toEqual([bare, type, true]);
      // With its 0x it is the same key, as before.
      expect(identifierLookup(null, `0x${bare}`).keys).toContain(stored);
    }
    // Forty hex digits typed as a passport stay a passport number.
    expect(identifierLookup('passport', eth[0]).keys.some((k) => k.startsWith('cryptoWallet:'))).toBe(false);
  });
});
