/**
 * Screening a name written in Hangul or Han against parties the lists name in Latin letters. The
 * matcher compares words, and a Hangul "김정은" shares none with "KIM Jong Un": scored as it is, the
 * right party found by the search (which reads Hangul and Han: server/core/search/korean.ts) fell
 * below every other candidate. So each candidate gets the reading of the input that fits it best: every
 * syllable (character) takes one of its Korean readings (or, for Han, its pinyin) chosen by aligning the
 * syllables with the letters of the candidate's name (the fewest edits), split into words where the
 * name splits. Only real readings are chosen, so a name nobody listed bears is read into a name nobody
 * listed bears, and the matcher then scores the reading as it scores any Latin name.
 */
import { distance } from 'fastest-levenshtein';
import { transliterate } from 'transliteration';
import { hangulSyllableReadings, hanReadings, isHan, isHangul } from '../search/korean';
import { latinTokens } from '../text/names';

interface Syllable {
  kind: 'syllable';
  script: 'Hangul' | 'Han';
  ch: string;
  /** Its spellings, lowercase; for Hangul the first is McCune-Reischauer as the lists write DPRK names. */
  alts: string[];
  /** For Han: its pinyin (the other readings are Korean). */
  pinyin: string | null;
}
type Part = Syllable | { kind: 'latin'; text: string } | { kind: 'space' };

/** A name with Hangul or Han in it, split into its syllables and the other text between them. */
export interface ReadableName {
  text: string;
  parts: Part[];
  syllables: Syllable[];
}

/** A reading of the input chosen for one candidate. */
export interface Reading {
  /** The reading, in capitals as the lists write names ("KIM JONG UN"). */
  name: string;
  /** How it was read, in words: "Hangul 김정은 read as KIM JONG UN (McCune-Reischauer, ...)". */
  explanation: string;
}

/**
 * Work bound for one alignment (syllables x letters of the name): a name of a few dozen syllables
 * against the longest names of the lists stays below it; a longer pair is not read (the input is still
 * compared as written).
 */
const MAX_CELLS = 4000;

/** The syllables of a name, or null when it has no Hangul or Han (a Latin name is screened as it is). */
export function readableName(text: string): ReadableName | null {
  const parts: Part[] = [];
  let run = '';
  const flush = () => {
    if (run.trim() !== '') parts.push({ kind: 'latin', text: run.trim() });
    else if (run !== '') parts.push({ kind: 'space' });
    run = '';
  };
  for (const ch of text.normalize('NFKC')) {
    const script = isHangul(ch) ? 'Hangul' : isHan(ch) ? 'Han' : null;
    const alts = script === 'Hangul' ? hangulSyllableReadings(ch) : script === 'Han' ? hanReadings(ch) : [];
    if (script && alts.length > 0) {
      flush();
      const pinyin = script === 'Han' ? transliterate(ch).toLowerCase().replace(/[^a-z0-9]/g, '') || null : null;
      parts.push({ kind: 'syllable', script, ch, alts, pinyin });
    } else run += ch;
  }
  flush();
  const syllables = parts.filter((p): p is Syllable => p.kind === 'syllable');
  return syllables.length > 0 ? { text, parts, syllables } : null;
}

/**
 * The spellings of the syllables that fit a Latin name with the fewest edits: the syllables in order
 * cover a run of whole words of the name (words before and after it are free: "KIM Jong Un" read from
 * 정은 alone). Returns the spelling of each syllable, whether a word of the name ends after it, and the
 * edits; null when the name has no Latin words or is too long to align.
 */
function align(syllables: readonly Syllable[], name: string): { alts: string[]; wordEnds: boolean[]; cost: number } | null {
  const tokens = latinTokens(name);
  const letters = tokens.join('');
  const n = syllables.length;
  const m = letters.length;
  if (m === 0 || n * (m + 1) > MAX_CELLS) return null;
  const starts = new Set<number>();
  let at = 0;
  for (const t of tokens) {
    starts.add(at);
    at += t.length;
  }
  starts.add(m);
  const width = m + 1;
  const cost = new Float64Array((n + 1) * width).fill(Infinity);
  const fromJ = new Int32Array((n + 1) * width).fill(-1);
  const fromAlt = new Int32Array((n + 1) * width).fill(-1);
  for (const s of starts) cost[s] = 0;
  for (let i = 0; i < n; i++) {
    const alts = syllables[i].alts;
    for (let j = 0; j <= m; j++) {
      const c0 = cost[i * width + j];
      if (c0 === Infinity) continue;
      for (let t = 0; t < alts.length; t++) {
        const a = alts[t];
        // A spelling covers its length in letters, give or take one (a typo, a doubled consonant).
        for (let k = j + Math.max(1, a.length - 1); k <= Math.min(m, j + a.length + 1); k++) {
          const c = c0 + distance(a, letters.slice(j, k));
          const cell = (i + 1) * width + k;
          // Strictly less: on a tie the earlier spelling (McCune-Reischauer first) is kept.
          if (c < cost[cell]) {
            cost[cell] = c;
            fromJ[cell] = j;
            fromAlt[cell] = t;
          }
        }
      }
    }
  }
  let end = -1;
  for (const s of starts) if (cost[n * width + s] < (end < 0 ? Infinity : cost[n * width + end])) end = s;
  if (end < 0) return null;
  const alts: string[] = new Array<string>(n);
  const wordEnds: boolean[] = new Array<boolean>(n);
  let j = end;
  for (let i = n; i > 0; i--) {
    const cell = i * width + j;
    alts[i - 1] = syllables[i - 1].alts[fromAlt[cell]];
    wordEnds[i - 1] = starts.has(j);
    j = fromJ[cell];
  }
  return { alts, wordEnds, cost: cost[n * width + end] };
}

/** How the chosen spellings were read, in words. */
function systemOf(syllables: readonly Syllable[], alts: readonly string[]): string {
  const hangul = syllables.map((s, i) => ({ s, a: alts[i] })).filter((x) => x.s.script === 'Hangul');
  const han = syllables.map((s, i) => ({ s, a: alts[i] })).filter((x) => x.s.script === 'Han');
  const out: string[] = [];
  if (hangul.length > 0) {
    out.push(hangul.every((x) => x.a === x.s.alts[0]) ? 'McCune-Reischauer, as the lists write DPRK names' : 'Korean readings in McCune-Reischauer and Revised Romanization spellings');
  }
  if (han.length > 0) {
    const pinyin = han.filter((x) => x.a === x.s.pinyin && !x.s.alts.slice(0, -1).includes(x.a)).length;
    out.push(pinyin === han.length ? 'pinyin' : pinyin === 0 ? 'Korean readings of the Han characters' : 'Korean readings and pinyin of the Han characters');
  }
  return out.join('; ');
}

/**
 * The readings of `input` that fit the candidate's names, one per distinct reading (best fit first):
 * each is compared with the candidate as a name of its own, and the best pair counts.
 */
export function readingsFor(input: ReadableName, candidateNames: readonly string[], max = 3): Reading[] {
  const found = new Map<string, { reading: Reading; cost: number }>();
  for (const name of candidateNames) {
    // A name the list writes in Hangul or Han is compared as written (the matcher's own pair).
    if (readableName(name)) continue;
    const a = align(input.syllables, name);
    if (!a) continue;
    const words: string[] = [];
    let word = '';
    let syllable = 0;
    for (const p of input.parts) {
      if (p.kind === 'syllable') {
        word += a.alts[syllable];
        if (a.wordEnds[syllable]) {
          words.push(word);
          word = '';
        }
        syllable++;
      } else {
        if (word) words.push(word);
        word = '';
        if (p.kind === 'latin') words.push(p.text);
      }
    }
    if (word) words.push(word);
    const reading = words.join(' ').toUpperCase();
    if (found.has(reading) && found.get(reading)!.cost <= a.cost) continue;
    const scripts = [...new Set(input.syllables.map((s) => s.script))].join(' and ');
    found.set(reading, {
      cost: a.cost,
      reading: { name: reading, explanation: `${scripts} ${input.text.trim()} read as ${reading} (${systemOf(input.syllables, a.alts)})` },
    });
  }
  return [...found.values()].sort((x, y) => x.cost - y.cost).slice(0, max).map((x) => x.reading);
}
