/**
 * Name matching for search: transliteration to Latin (so Cyrillic, Hangul or Han queries meet Latin
 * entries and the reverse), legal-form words dropped ("Co., Ltd.", "LLC" say nothing about who it is),
 * the Lucene query for the full-text index, and a similarity in [0, 1] a person can reason about.
 */
import { distance } from 'fastest-levenshtein';
import { transliterate } from 'transliteration';

/**
 * Legal-form and filler words, compared after normalisation. From the forms frequent in OFAC names
 * (English, Russian, Spanish, Chinese and Korean company forms as OFAC romanises them).
 */
const NOISE: ReadonlySet<string> = new Set(
  [
    'co', 'company', 'corp', 'corporation', 'inc', 'incorporated', 'ltd', 'limited', 'llc', 'llp', 'plc',
    'lp', 'gmbh', 'ag', 'sa', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'jsc', 'ojsc', 'cjsc',
    'pjsc', 'ooo', 'oao', 'zao', 'pao', 'ao', 'fze', 'fzco', 'fzc', 'dmcc', 'de', 'cv', 'sac', 'sas',
    'liability', 'joint', 'stock', 'the', 'of', 'and', 'group', 'holding', 'holdings', 'trading',
    'obshchestvo', 'ogranichennoy', 'otvetstvennostyu', 'aktsionernoe', 'obshchestva', 'tovarishchestvo',
  ],
);

/** The legal-form and filler words `meaningfulOf` drops (lowercase). */
export const NOISE_WORDS = NOISE;

/** Lowercase Latin words of a name, in any script; legal-form words kept (see `meaningfulTokens`). */
export function latinTokens(s: string): string[] {
  return transliterate(s.normalize('NFKC'))
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '');
}

/** Tokens that identify: legal-form and filler words dropped, unless nothing else is left. */
export function meaningfulTokens(s: string): string[] {
  return meaningfulOf(latinTokens(s));
}

/** `meaningfulTokens` of words already split by `latinTokens`. */
export function meaningfulOf(all: readonly string[]): string[] {
  const kept = all.filter((t) => !NOISE.has(t));
  return kept.length > 0 ? kept : [...all];
}

/** The Latin transliteration of a name when it differs from the name (for the full-text index). */
export function latinForm(s: string): string | null {
  const t = latinTokens(s).join(' ');
  return t !== '' && t !== s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim() ? t : null;
}

/** Whether two names are the same words, legal forms included, whatever their case, script or punctuation. */
export function sameWords(a: string, b: string): boolean {
  return latinTokens(a).join(' ') === latinTokens(b).join(' ');
}

/** Similarity of two words in [0, 1]: 1 minus the edit distance over the longer word's length. */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return 1 - distance(a, b) / Math.max(a.length, b.length);
}

/**
 * Similarity of a query to one name, in [0, 1]: each query word is matched to its closest word of the
 * name (typos cost in proportion to their length), word order does not matter, and a name with many
 * words the query does not mention scores a little lower than one that is all query.
 */
export function nameSimilarity(query: string, name: string): number {
  return tokenSimilarityOf(meaningfulTokens(query), meaningfulTokens(name));
}

/**
 * `nameSimilarity` on names already split into words (`meaningfulTokens`): for callers that compare
 * each name many times (cross-list matching) and tokenise once.
 */
export function tokenSimilarityOf(q: readonly string[], n: readonly string[]): number {
  if (q.length === 0 || n.length === 0) return 0;
  if (q.join(' ') === n.join(' ')) return 1;
  // Joined forms catch split or merged words ("chin yong" vs "chinyong").
  const joined = tokenSimilarity(q.join(''), n.join(''));
  return Math.max(joined * 0.98, wordsSimilarity(q, n));
}

/** Each word of q matched to its closest word of n, averaged, a little less when n has other words. */
function wordsSimilarity(q: readonly string[], n: readonly string[]): number {
  let sum = 0;
  for (const t of q) {
    let best = -Infinity;
    for (const u of n) best = Math.max(best, tokenSimilarity(t, u));
    sum += best;
  }
  const words = sum / q.length;
  const coverage = Math.min(q.length, n.length) / Math.max(q.length, n.length);
  return words * (0.8 + 0.2 * coverage);
}

/**
 * The mean of `tokenSimilarityOf` both ways, (f(a, b) + f(b, a)) / 2, a symmetric similarity for
 * comparing two names neither of which is the query; the joined forms are compared once.
 */
export function mutualTokenSimilarity(a: readonly string[], b: readonly string[], aJoined?: string, bJoined?: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  if (sameTokens(a, b)) return 1;
  const joined = tokenSimilarity(aJoined ?? a.join(''), bJoined ?? b.join('')) * 0.98;
  // wordsSimilarity(a, b) and wordsSimilarity(b, a) from one table of word similarities: the edit
  // distance is symmetric, so each pair of words is measured once (screening compares ~30 candidates'
  // names per request: this was half its scoring time). Same sums in the same order, same result.
  const bestOfA = new Array<number>(a.length).fill(-Infinity);
  const bestOfB = new Array<number>(b.length).fill(-Infinity);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const sim = tokenSimilarity(a[i], b[j]);
      if (sim > bestOfA[i]) bestOfA[i] = sim;
      if (sim > bestOfB[j]) bestOfB[j] = sim;
    }
  }
  const coverage = Math.min(a.length, b.length) / Math.max(a.length, b.length);
  let sumA = 0;
  for (const x of bestOfA) sumA += x;
  let sumB = 0;
  for (const x of bestOfB) sumB += x;
  const ab = (sumA / a.length) * (0.8 + 0.2 * coverage);
  const ba = (sumB / b.length) * (0.8 + 0.2 * coverage);
  return (Math.max(joined, ab) + Math.max(joined, ba)) / 2;
}

/** Whether two word lists are the same words in the same order (`a.join(' ') === b.join(' ')`: words hold no spaces). */
function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Characters with a meaning in Lucene's query syntax. */
const LUCENE_SPECIAL = /[+\-!(){}[\]^"~*?:\\/&|]/g;

/**
 * The full-text query for a user's text: every meaningful Latin word, fuzzy (edit distance by length)
 * and as a prefix, OR-ed. Values only: the result is passed to the index as a parameter.
 */
export function luceneQuery(text: string): string | null {
  const tokens = [...new Set(meaningfulTokens(text))].slice(0, 12);
  if (tokens.length === 0) return null;
  const parts = tokens.map((t) => {
    const safe = t.replace(LUCENE_SPECIAL, '');
    const fuzz = safe.length >= 6 ? 2 : safe.length >= 3 ? 1 : 0;
    return fuzz ? `${safe}~${fuzz} OR ${safe}*` : `${safe} OR ${safe}*`;
  });
  return parts.join(' OR ');
}
