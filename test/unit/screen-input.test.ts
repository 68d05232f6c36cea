/** Screening input checks (server/core/screening/input.ts): what is refused, with BAD_USER_INPUT, and how the rest is read. */
import { BadInputError } from '../../server/core/errors';
import { parseScreenInput, SCREEN_LIMITS } from '../../server/core/screening/input';

const refused = (input: unknown, message: RegExp) => {
  let err: unknown;
  try {
    parseScreenInput(input);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(BadInputError);
  expect((err as BadInputError).code).toBe('BAD_USER_INPUT');
  expect((err as Error).message).toMatch(message);
};

test('refused: nothing to screen, unknown kind, malformed date, oversize lists, bad identifiers', () => {
  refused({}, /a name or at least one identifier/);
  refused({ name: '   ', identifiers: [] }, /a name or at least one identifier/);
  refused(null, /must be an object/);
  refused({ name: 'ALIS', kind: 'spaceship' }, /kind "spaceship".*Person, Organization/);
  refused({ name: 'ALIS', birthDate: '31/31/1973' }, /birthDate "31\/31\/1973" is not a birth date/);
  refused({ name: 'ALIS', birthDate: 'yesterday' }, /not a birth date/);
  refused({ name: 'ALIS', birthDate: '2999' }, /not a birth date/);
  refused({ name: 'ALIS', birthDate: '1973-13-45' }, /not a birth date/);
  refused({ identifiers: Array.from({ length: SCREEN_LIMITS.identifiers + 1 }, (_, i) => ({ value: `a${i}@b.org` })) }, /at most 20/);
  refused({ name: 'x'.repeat(SCREEN_LIMITS.textLength + 1) }, /name must be at most 200 characters/);
  refused({ identifiers: [{ value: '' }] }, /identifiers\[0\]\.value must not be empty/);
  refused({ identifiers: [{ type: 'shoe size', value: '42' }] }, /identifiers\[0\]\.type "shoe size" is not an identifier type/);
  refused({ identifiers: 'a@b.org' }, /identifiers must be a list/);
  refused({ name: 'ALIS', nickname: 'x' }, /unknown field nickname/);
  refused({ name: 42 }, /name must be a string/);
});

test('read: kinds and identifier types as callers write them, types recognised from values', () => {
  const r = parseScreenInput({
    name: ' LIMITED LIABILITY COMPANY ALIS ',
    kind: 'entity',
    birthDate: '22 Apr 1973',
    identifiers: [{ value: 'Support@Sinbad.IO' }, { type: 'Tax ID', value: '2543103179', country: 'Russia' }, { type: 'wallet', value: '1JHdQHkBZiim1cb4hyUh2PbzEbbg6z2TrF' }],
  });
  expect(r).toMatchObject({ name: 'LIMITED LIABILITY COMPANY ALIS', kind: 'Organization', birthDate: '22 Apr 1973', country: null });
  expect(r.identifiers).toEqual([
    { type: 'email', typeGiven: false, value: 'Support@Sinbad.IO', country: null },
    { type: 'taxId', typeGiven: true, value: '2543103179', country: 'Russia' },
    { type: 'cryptoWallet', typeGiven: true, value: '1JHdQHkBZiim1cb4hyUh2PbzEbbg6z2TrF', country: null },
  ]);
  expect(parseScreenInput({ name: 'JON Yun Gun', kind: 'individual' }).kind).toBe('Person');
  expect(parseScreenInput({ name: 'JON Yun Gun', kind: 'Person' }).kind).toBe('Person');
  for (const d of ['1973', '1973-04', '1973-04-22', '22 Apr 1973', 'Apr 1973', '22.04.1973', 'circa 1973', '1972 to 1974']) {
    expect([d, parseScreenInput({ name: 'JON Yun Gun', birthDate: d }).birthDate]).toEqual([d, d]);
  }
});
