/**
 * A search query as words to look up: each word a slot of the spellings it may have in the lists. A
 * Latin (or Cyrillic, Arabic, ...: transliterated) word has one; a Hangul syllable or Han character has
 * its Korean readings in every romanisation, and Han also its pinyin (korean.ts). Legal-form words are
 * dropped as names.ts `meaningfulOf` drops them, unless nothing else is left.
 */
import { distance } from 'fastest-levenshtein';
import { latinTokens, meaningfulOf, NOISE_WORDS } from '../text/names';
import { hangulSyllableReadings, hanReadings, isHan, isHangul } from './korean';

export interface Slot {
  /**
   * The spellings this word may have, lowercase Latin; the first is the word as typed (transliterated),
   * then its Korean readings (Hangul, Han, Korean names in Cyrillic).
   */
  alts: string[];
  /** Noise-like: a legal form or within one edit of one ("GRUP"), so it weighs less. */
  noiseLike: boolean;
  /** Readings of a Hangul syllable or Han character: complete spellings, looked up as they are. */
  reading: boolean;
}

const LONG_NOISE = [...NOISE_WORDS].filter((w) => w.length >= 4);

/** A legal-form word, or a word of 4+ letters one edit from one ("grup", "compani"). */
export function noiseLike(word: string): boolean {
  if (NOISE_WORDS.has(word)) return true;
  return word.length >= 4 && LONG_NOISE.some((n) => Math.abs(n.length - word.length) <= 1 && distance(n, word) <= 1);
}

const CYRILLIC_VOWEL = '[аиоуыэАИОУЫЭ]';

/**
 * A Cyrillic word as Russian writes Korean names (Kontsevich: ЧИНЬОН for CHINYONG, Ким Чен Ын for KIM
 * Jong Un), read back into the lists' spellings: ь before a vowel is y, ы is u, е is o, a final н is ng,
 * ч is ch or j. Two spellings besides the plain transliteration.
 */
export function cyrillicKorean(word: string): string[] {
  const k = word
    .replace(/[ьЬ](?=[яеёюЯЕЁЮ])/g, '')
    .replace(new RegExp(`[ьЬ](?=${CYRILLIC_VOWEL})`, 'g'), 'й')
    .replace(/[ыЫ]/g, 'у')
    .replace(/[еЕ]/g, 'о');
  const out: string[] = [];
  for (const v of [k, k.replace(/[нН]$/, 'нг')]) out.push(v, v.replace(/[чЧ]/g, 'j'));
  return [...new Set(out.map((v) => latinTokens(v).join('')))].filter((v) => v !== '');
}

/**
 * The slots of a query, in order. Hangul and Han are read a syllable (character) at a time, as OFAC
 * writes Korean names a syllable per word ("KIM Jong Un"); everything else is split by `latinTokens`.
 * A word or syllable repeated is one slot: each slot costs a lookup of all its spellings, and a query
 * of one word typed 200 times took as long as a scan of every name (its repeats add nothing to find).
 */
export function querySlots(text: string): Slot[] {
  const slots: Slot[] = [];
  const latin: { latin: string; also?: string[] }[] = [];
  let run = '';
  const flushLatin = () => {
    for (const raw of run.split(/[\s,;:()/]+/)) {
      const tokens = latinTokens(raw);
      const also = /\p{Script=Cyrillic}/u.test(raw) && tokens.length === 1 ? cyrillicKorean(raw).filter((v) => v !== tokens[0]) : [];
      for (const t of tokens) latin.push(also.length ? { latin: t, also } : { latin: t });
    }
    run = '';
  };
  const words: ({ latin: string; also?: string[] } | { alts: string[] })[] = [];
  for (const ch of text.normalize('NFKC')) {
    const alts = isHangul(ch) ? hangulSyllableReadings(ch) : isHan(ch) ? hanReadings(ch) : null;
    if (alts && alts.length > 0) {
      flushLatin();
      words.push(...latin.splice(0));
      words.push({ alts });
    } else {
      run += ch;
    }
  }
  flushLatin();
  words.push(...latin);
  const latinWords = words.flatMap((w) => ('latin' in w ? [w.latin] : []));
  // Legal forms go, unless they are all the query has (a Hangul or Han word is a name).
  const other = words.length > latinWords.length;
  const kept = new Set(other ? latinWords.filter((w) => !NOISE_WORDS.has(w)) : meaningfulOf(latinWords));
  const seen = new Set<string>();
  for (const w of words) {
    const slot = 'latin' in w ? { alts: [w.latin, ...(w.also ?? [])], noiseLike: noiseLike(w.latin), reading: false } : { alts: w.alts, noiseLike: false, reading: true };
    if ('latin' in w && !kept.has(w.latin)) continue;
    const key = `${slot.reading ? 'r' : 'l'}:${slot.alts.join(' ')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    slots.push(slot);
  }
  return slots;
}
