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
  /** The spellings this word may have, lowercase Latin; the first is the word as typed (transliterated). */
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

/**
 * The slots of a query, in order. Hangul and Han are read a syllable (character) at a time, as OFAC
 * writes Korean names a syllable per word ("KIM Jong Un"); everything else is split by `latinTokens`.
 */
export function querySlots(text: string): Slot[] {
  const slots: Slot[] = [];
  const latin: string[] = [];
  let run = '';
  const flushLatin = () => {
    if (run) latin.push(...latinTokens(run));
    run = '';
  };
  const words: ({ latin: string } | { alts: string[] })[] = [];
  for (const ch of text.normalize('NFKC')) {
    const alts = isHangul(ch) ? hangulSyllableReadings(ch) : isHan(ch) ? hanReadings(ch) : null;
    if (alts && alts.length > 0) {
      flushLatin();
      for (const t of latin.splice(0)) words.push({ latin: t });
      words.push({ alts });
    } else {
      run += ch;
    }
  }
  flushLatin();
  for (const t of latin) words.push({ latin: t });
  const latinWords = words.flatMap((w) => ('latin' in w ? [w.latin] : []));
  // Legal forms go, unless they are all the query has (a Hangul or Han word is a name).
  const other = words.length > latinWords.length;
  const kept = new Set(other ? latinWords.filter((w) => !NOISE_WORDS.has(w)) : meaningfulOf(latinWords));
  for (const w of words) {
    if ('latin' in w) {
      if (!kept.has(w.latin)) continue;
      slots.push({ alts: [w.latin], noiseLike: noiseLike(w.latin), reading: false });
    } else {
      slots.push({ alts: w.alts, noiseLike: false, reading: true });
    }
  }
  return slots;
}
