/**
 * The investigation in the URL fragment (client/src/url-state.ts): a copied link restores the same
 * canvas, whatever characters the ids hold, and a hand-edited or truncated link cannot smuggle in
 * anything the explorer would not produce itself.
 */
import { addressRecord } from '../../server/core/text/normalize';
import { REL_TYPE_NAMES } from '../../server/core/model';
import { EMPTY_URL_STATE, UrlState, decodeUrlState, encodeUrlState } from '../../client/src/url-state';
import { ALIS, CHINYONG, DPRK2, JON, PASSPORT, PIONEER, TAX_ID } from './client-fixtures';

/** Address ids as the ingest makes them: normalised street|city|country. */
const TEHRAN = addressRecord('P.O. Box 14155-5568, No. 27 Shahamat Ave, Vallie Asr Sqr', 'Tehran 15946', 'Iran').key;
const MOSCOW = addressRecord('ул. Тверская, д. 7', 'Москва', 'Россия').key;
const PYONGYANG = addressRecord(null, '평양', 'Korea, North').key;

/** Characters a URL gives meaning to, and ones the list encoding itself uses. */
const AWKWARD = ['JON, Yun Gun', 'a&b=c#d?e', '100% + 50%', 'taxId:*:7707083893', '平壤 / Pyongyang', "O'NEIL,  Jr.", 'website:*:example.com/~user', '~%7E~%25~'];

const FULL: UrlState = {
  nodes: [CHINYONG, ALIS, PIONEER, JON, DPRK2, TAX_ID, PASSPORT, TEHRAN, MOSCOW, PYONGYANG, ...AWKWARD],
  expanded: [CHINYONG, DPRK2, MOSCOW],
  hidden: [TAX_ID, AWKWARD[0]],
  pinned: [PASSPORT, PYONGYANG, AWKWARD[1]],
  types: ['UNKNOWN_LINK', 'SANCTION', 'HAS_IDENTIFIER'],
  layout: 'concentric',
  path: { from: JON, to: MOSCOW, mode: 'K_SHORTEST', maxHops: 5 },
  selected: PASSPORT,
};

describe('encodeUrlState / decodeUrlState', () => {
  test('the ids hold what the round trip must survive', () => {
    expect(TEHRAN).toBe('P O BOX 14155 5568 NO 27 SHAHAMAT AVE VALLIE ASR SQR|TEHRAN 15946|IRAN');
    expect(MOSCOW).toMatch(/\|МОСКВА\|РОССИЯ$/);
    expect(PASSPORT).toBe('passport:KOREA NORTH:927233154');
  });

  test('a full state survives the round trip exactly, with or without the leading #', () => {
    const hash = encodeUrlState(FULL);
    expect(decodeUrlState(hash)).toEqual(FULL);
    expect(decodeUrlState(`#${hash}`)).toEqual(FULL);
  });

  test('the fragment is plain ASCII a browser keeps as is (a pasted link decodes the same)', () => {
    const hash = encodeUrlState(FULL);
    expect(hash).toMatch(/^[A-Za-z0-9%.*_+=&-]+$/);
    const pasted = new URL(`http://localhost:4000/#${hash}`);
    expect(pasted.hash).toBe(`#${hash}`);
    expect(decodeUrlState(pasted.hash)).toEqual(FULL);
  });

  test('each awkward id survives on its own and in every list', () => {
    for (const id of [TEHRAN, MOSCOW, PYONGYANG, PASSPORT, ...AWKWARD]) {
      const s: UrlState = { ...EMPTY_URL_STATE, nodes: [id], expanded: [id], hidden: [id], pinned: [id], selected: id, path: { from: id, to: id, mode: 'SHORTEST', maxHops: 1 } };
      expect(decodeUrlState(encodeUrlState(s))).toEqual(s);
    }
  });

  test('expanded, hidden and pinned keep only ids that are on the canvas', () => {
    const hash = encodeUrlState({
      ...EMPTY_URL_STATE,
      nodes: [CHINYONG, ALIS],
      expanded: [CHINYONG, 'ofac-99999'],
      hidden: [PIONEER, ALIS],
      pinned: [JON],
    });
    const u = decodeUrlState(hash);
    expect(u.nodes).toEqual([CHINYONG, ALIS]);
    expect(u.expanded).toEqual([CHINYONG]);
    expect(u.hidden).toEqual([ALIS]);
    expect(u.pinned).toEqual([]);
  });

  test('relationship types the model does not know are dropped', () => {
    const u = decodeUrlState('#n=ofac-43379&t=UNKNOWN_LINK,KNOWS,owns,SANCTION%3BDROP,,HAS_ADDRESS');
    expect(u.types).toEqual(['UNKNOWN_LINK', 'HAS_ADDRESS']);
    // Every type of the model passes.
    expect(decodeUrlState(encodeUrlState({ ...EMPTY_URL_STATE, types: REL_TYPE_NAMES })).types).toEqual(REL_TYPE_NAMES);
  });

  test('the As of date goes in the link and back; a date that is not a calendar day is dropped', () => {
    const dated = { ...EMPTY_URL_STATE, nodes: [JON], asOf: '2024-04-30' };
    expect(encodeUrlState(dated)).toMatch(/(^|&)asof=2024-04-30($|&)/);
    expect(decodeUrlState(encodeUrlState(dated)).asOf).toBe('2024-04-30');
    expect(encodeUrlState({ ...EMPTY_URL_STATE, nodes: [JON] })).not.toMatch(/asof=/);
    for (const bad of ['2024-02-30', '2024-4-30', '30-04-2024', 'today', '']) expect([bad, decodeUrlState(`n=${JON}&asof=${bad}`).asOf]).toEqual([bad, undefined]);
  });

  test('a malformed path is dropped; a well-formed one is kept', () => {
    const path = (v: string) => decodeUrlState(`n=${CHINYONG}&path=${encodeURIComponent(v)}`).path;
    expect(path(`${JON}~${CHINYONG}~SHORTEST~3`)).toEqual({ from: JON, to: CHINYONG, mode: 'SHORTEST', maxHops: 3 });
    // Ordered by evidence: a fifth part; anything else there is malformed.
    expect(path(`${JON}~${CHINYONG}~SHORTEST~3~EVIDENCE`)).toEqual({ from: JON, to: CHINYONG, mode: 'SHORTEST', maxHops: 3, rank: 'EVIDENCE' });
    expect(path(`${JON}~${CHINYONG}~SHORTEST~3~HOPS`)).toBeNull();
    const ranked = { ...EMPTY_URL_STATE, nodes: [JON, CHINYONG], path: { from: JON, to: CHINYONG, mode: 'ALL_SHORTEST', maxHops: 4, rank: 'EVIDENCE' as const } };
    expect(decodeUrlState(encodeUrlState(ranked)).path).toEqual(ranked.path);
    for (const bad of [
      `${JON}~${CHINYONG}~SHORTEST`, // truncated
      `${JON}~${CHINYONG}~SHORTEST~3~9`,
      `${JON}~${CHINYONG}~SHORTEST~four`,
      `${JON}~${CHINYONG}~SHORTEST~-1`,
      `${JON}~${CHINYONG}~SHORTEST~0`,
      `${JON}~${CHINYONG}~SHORTEST~2.5`,
      `${JON}~${CHINYONG}~LONGEST~3`,
      `${JON}~~SHORTEST~3`,
      '',
    ]) {
      expect([bad, path(bad)]).toEqual([bad, null]);
    }
  });

  test('the empty state encodes to nothing, and nothing decodes to the empty state', () => {
    expect(encodeUrlState(EMPTY_URL_STATE)).toBe('');
    expect(decodeUrlState('')).toEqual(EMPTY_URL_STATE);
    expect(decodeUrlState('#')).toEqual(EMPTY_URL_STATE);
    // Parameters the explorer does not write are ignored.
    expect(decodeUrlState('#utm_source=mail&foo=bar')).toEqual(EMPTY_URL_STATE);
  });

  test('only what is set is written', () => {
    const hash = encodeUrlState({ ...EMPTY_URL_STATE, nodes: [CHINYONG, ALIS], layout: 'grid' });
    expect([...new URLSearchParams(hash).keys()]).toEqual(['n', 'layout']);
    expect(decodeUrlState(hash)).toEqual({ ...EMPTY_URL_STATE, nodes: [CHINYONG, ALIS], layout: 'grid' });
  });
});
