/**
 * Typing mistakes in a screened name. A caller types a listed name from a letter, a scan or memory:
 * a letter dropped, doubled, changed or two swapped ("PAVLENKO, Vldimir", "KORAE"), a legal form
 * misspelt ("COMAPNY"). The averaged word similarity of cross-list matching (names.ts) counts such a
 * typo in proportion to the word's length, so one typo in a short word of a two-word name already
 * reads as another name (0.8 for a five-letter word, below the 0.95 at which a name counts fully).
 * Screening (match.ts, SCREENING profile) asks instead whether the typed name is the listed one
 * mistyped, by the rules of a typist's budget, as the search index (search/name-index.ts) and
 * full-text engines do:
 *
 * - a word of WORD_BUDGET letters or more may be mistyped by at most that many edits, counted as
 *   optimal-string-alignment edits (a swap of two neighbouring letters is one, not two);
 * - the budget is the listed word's (a listed "START" may be typed "STAR", a listed "STAR" is never
 *   "START": short words have no budget, so "KIM"/"KIN", "CHOL"/"CHUL" stay different words);
 * - the first letter is kept (people rarely mistype it; "RADIC" and "TADIC" are two people);
 * - numbers are exact (a word with a digit), so "FU YUAN YU 7612" is never 7617 mistyped.
 *
 * `alignTypos` pairs every word of the typed name with one of the listed name, in any order, within
 * budget; a typed word left over that is a legal form mistyped ("COMAPNY") is noise, as the correctly
 * spelt one is. `differentNumbers` tells names that state different numbers (a fleet's vessels, "II" and
 * "III"), which are different names however alike their letters.
 */
import { osaDistance } from '../search/name-index';
import { NOISE_WORDS, tokenSimilarity } from '../text/names';

/**
 * Edits a listed word of at least this many letters may be mistyped by: 1 from 5 letters, 2 from 8.
 * Shorter words are typed right or are other words (most 3- and 4-letter name words are one edit from
 * another name word: "KIM"/"KIN", "YONG"/"JONG", "STAR"/"STAN").
 */
const WORD_BUDGET: readonly { letters: number; edits: number }[] = [
  { letters: 8, edits: 2 },
  { letters: 5, edits: 1 },
];

/** Legal-form words long enough to be mistyped (see WORD_BUDGET): "company", "limited", "corporation". */
const LEGAL_FORMS = [...NOISE_WORDS].filter((w) => w.length >= WORD_BUDGET[WORD_BUDGET.length - 1].letters);

const hasDigit = (w: string) => /\d/.test(w);

/** The edits a listed word may be mistyped by (WORD_BUDGET). */
export function typoBudget(listed: string): number {
  return WORD_BUDGET.find((b) => listed.length >= b.letters)?.edits ?? 0;
}

/**
 * How many edits the typed word is from the listed word when it is that word mistyped (0 when equal),
 * or null when it is not: over the listed word's budget, another first letter, or a number changed.
 */
export function typoEdits(typed: string, listed: string): number | null {
  if (typed === listed) return 0;
  if (typed[0] !== listed[0] || hasDigit(typed) || hasDigit(listed)) return null;
  const budget = typoBudget(listed);
  if (budget === 0) return null;
  const d = osaDistance(typed, listed, budget);
  return d <= budget ? d : null;
}

/**
 * Similarity in [0, 1] of a typed word to a listed one, for telling shared from different words: 1 for
 * the word mistyped within budget, 0 for two different numbers, else names.ts `tokenSimilarity`.
 */
export function typoWordSimilarity(typed: string, listed: string): number {
  if (typoEdits(typed, listed) !== null) return 1;
  if (hasDigit(typed) || hasDigit(listed)) return 0;
  return tokenSimilarity(typed, listed);
}

/** Whether a typed word is a legal form ("company", "limited") mistyped: noise, as the legal form is. */
export function isMistypedLegalForm(typed: string): boolean {
  if (NOISE_WORDS.has(typed)) return true;
  return LEGAL_FORMS.some((f) => Math.abs(f.length - typed.length) <= typoBudget(f) && typoEdits(typed, f) !== null);
}

/**
 * The words without legal forms written letter by letter: "L.L.C." and "S.A. DE C.V." are split into
 * one-letter words ("l l c", "s a c v"; "de" is dropped as noise) that would otherwise count as words
 * of the name ("THE EAGLES" against "THE EAGLES L.L.C." read as a word short). A run of one-letter
 * words goes when it spells legal forms one after another ("sa" + "cv"); initials that spell none stay.
 */
export function withoutSpeltLegalForms(words: readonly string[]): readonly string[] {
  if (!words.some((w) => w.length === 1)) return words;
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    let j = i;
    while (j < words.length && words[j].length === 1 && !hasDigit(words[j])) j++;
    if (j === i) {
      out.push(words[i++]);
      continue;
    }
    const letters = words.slice(i, j).join('');
    if (!spellsLegalForms(letters)) out.push(...words.slice(i, j));
    i = j;
  }
  return out.length > 0 ? out : words;
}

/** Whether letters are legal forms one after another ("llc", "sacv" = "sa" + "cv"). */
function spellsLegalForms(letters: string): boolean {
  // can[i]: letters.slice(0, i) is legal forms one after another.
  const can = [true, ...new Array<boolean>(letters.length).fill(false)];
  for (let i = 1; i <= letters.length; i++) {
    for (let k = 0; k < i && !can[i]; k++) can[i] = can[k] && NOISE_WORDS.has(letters.slice(k, i));
  }
  return letters.length >= 2 && can[letters.length];
}

export interface TypoAlignment {
  /** Edits of all words together (0: the same words in another order, or only a legal form mistyped). */
  edits: number;
  /** Typed words read as a legal form mistyped and left out ("comapny"). */
  ignored: string[];
}

/**
 * Pairings tried at most: words have few counterparts within budget (most one), so a name pairs in a
 * few steps; a long name of words alike ("AL AL AL ...") stops with the best pairing found so far.
 */
const MAX_STEPS = 5_000;

/**
 * The typed name as the listed name mistyped: every word of each paired with one word of the other
 * within the listed word's budget (`typoEdits`), in any order, with the fewest edits; a typed word with
 * no counterpart is left out when `legalForms` allows it and it is a legal form mistyped
 * (`isMistypedLegalForm`), and legal forms written letter by letter are left out of both
 * (`withoutSpeltLegalForms`). Null when the names are not one name mistyped (a word too far from every
 * word, a listed word the typed name lacks, nothing paired). Words are the meaningful words of the two
 * names (match.ts matchWords: legal forms already left out).
 */
export function alignTypos(typedWords: readonly string[], listedWords: readonly string[], opts: { legalForms: boolean }): TypoAlignment | null {
  const typed = opts.legalForms ? withoutSpeltLegalForms(typedWords) : typedWords;
  const listed = opts.legalForms ? withoutSpeltLegalForms(listedWords) : listedWords;
  if (typed.length === 0 || listed.length < 1 || listed.length > typed.length) return null;
  // Most pairs of names screening compares are not one name mistyped: a listed word without a typed
  // word of its first letter and about its length says so before any pairing.
  for (const u of listed) {
    const budget = typoBudget(u);
    if (!typed.some((t) => t === u || (budget > 0 && t[0] === u[0] && Math.abs(t.length - u.length) <= budget))) return null;
  }
  const free = listed.map(() => true);
  // Equal words pair first: they cost nothing, and pairing them elsewhere never saves an edit.
  const rest: string[] = [];
  for (const t of typed) {
    const j = listed.findIndex((u, k) => free[k] && u === t);
    if (j >= 0) free[j] = false;
    else rest.push(t);
  }
  // Each remaining typed word's options: the free listed words within budget, fewest edits first.
  const options = rest.map((t) =>
    listed
      .map((u, k) => ({ k, edits: free[k] ? typoEdits(t, u) : null }))
      .filter((o): o is { k: number; edits: number } => o.edits !== null)
      .sort((a, b) => a.edits - b.edits),
  );
  const ignorable = rest.map((t) => opts.legalForms && isMistypedLegalForm(t));
  let best: { edits: number; ignored: number[] } | null = null;
  const used = [...free].map((f) => !f);
  const ignored: number[] = [];
  let steps = 0;
  const search = (i: number, edits: number): void => {
    if (++steps > MAX_STEPS) return;
    if (best && edits >= best.edits && (edits > best.edits || ignored.length >= best.ignored.length)) return;
    if (i === rest.length) {
      if (used.every((u) => u)) best = { edits, ignored: [...ignored] };
      return;
    }
    for (const o of options[i]) {
      if (used[o.k]) continue;
      used[o.k] = true;
      search(i + 1, edits + o.edits);
      used[o.k] = false;
    }
    if (ignorable[i]) {
      ignored.push(i);
      search(i + 1, edits);
      ignored.pop();
    }
  };
  search(0, 0);
  const found = best as { edits: number; ignored: number[] } | null;
  return found ? { edits: found.edits, ignored: found.ignored.map((i) => rest[i]) } : null;
}

/** A word that is a number: digits, or a Roman numeral of two to four letters, or of one as the last word ("MARIE DE LOURDES I"). */
function isNumber(word: string, i: number, words: readonly string[]): boolean {
  return hasDigit(word) || (/^[ivx]{1,4}$/.test(word) && (word.length >= 2 || i === words.length - 1));
}

/**
 * The numbers of two names when both state numbers and not the same ones ("FU YUAN YU 7612" / "FU
 * YUAN YU 7891": ["7612", "7891"], "BICENTENARIO VII" / "BICENTENARIO XII"), else null: vessels of one
 * fleet, funds of one series, two parties whose names differ only where it matters.
 */
export function differentNumbers(a: readonly string[], b: readonly string[]): [string, string] | null {
  const numbers = (words: readonly string[]) => words.filter((w, i) => isNumber(w, i, words)).sort().join(' ');
  const na = numbers(a);
  const nb = numbers(b);
  return na !== '' && nb !== '' && na !== nb ? [na, nb] : null;
}
