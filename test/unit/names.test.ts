import { latinForm, luceneQuery, meaningfulTokens, nameSimilarity, sameWords } from '../../server/core/text/names';

const CHINYONG = 'CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY';

describe('search names', () => {
  test('similarity is 1 for the same words, whatever the case, punctuation, order or legal form', () => {
    expect(nameSimilarity('chinyong information technology cooperation co., ltd.', CHINYONG)).toBe(1);
    expect(nameSimilarity('Limited Liability Company ALIS', 'ALIS LLC')).toBe(1);
  });
  test('similarity falls with typos and with words the query does not have', () => {
    const exact = nameSimilarity('chinyong', CHINYONG);
    const typo = nameSimilarity('chinyoung', CHINYONG);
    expect(exact).toBeGreaterThan(typo);
    expect(typo).toBeGreaterThan(nameSimilarity('chinyoung', 'KOREA MINING DEVELOPMENT TRADING CORPORATION'));
    expect(exact).toBeLessThan(1);
    for (const s of [exact, typo]) expect(s).toBeGreaterThanOrEqual(0);
  });
  test('other scripts are transliterated to Latin', () => {
    expect(meaningfulTokens('ЧИНЬОН')).toEqual(['chinon']);
    expect(latinForm('КИМ ЧЕН ЫН')).toBe('kim chen yn');
    expect(latinForm('ALIS LLC')).toBeNull();
    expect(sameWords('Alis, LLC', 'ALIS LLC')).toBe(true);
  });
  test('the Lucene query is fuzzy and prefix per word, with syntax characters removed', () => {
    expect(luceneQuery('chinyong')).toBe('chinyong~2 OR chinyong*');
    expect(luceneQuery('AL-QAIDA "x" (y)')).not.toMatch(/["()]/);
    expect(luceneQuery('  ...  ')).toBeNull();
  });
});
