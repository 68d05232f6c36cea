import { addressRecord, identifierRecord, nameKey } from '../../server/core/text/normalize';

describe('normalised keys', () => {
  test('names: case, punctuation and accents do not matter', () => {
    expect(nameKey('Anglo-Caribbean Co., Ltd.')).toBe('ANGLO CARIBBEAN CO LTD');
    expect(nameKey('SÃO PAULO')).toBe(nameKey('Sao Paulo'));
    expect(nameKey('NEW AHMADI LTD.')).toBe(nameKey('NEW AHMADI LTD'));
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
