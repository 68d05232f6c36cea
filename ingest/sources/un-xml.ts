/**
 * UN Security Council Consolidated List XML -> the common model.
 *
 * One file is one release: CONSOLIDATED_LIST (dateGenerated) > INDIVIDUALS > INDIVIDUAL*, ENTITIES >
 * ENTITY* (schema: https://www.un.org/sc/resources/sc-sanctions.xsd; tables in un-xml.meta.ts). Entries
 * are read one at a time with streamXml. A broken file (not XML, truncated, not UTF-8) fails with its
 * file and line; an odd entry (no REFERENCE_NUMBER, no name, a REFERENCE_NUMBER seen before) is a
 * `rejected` row with file and line and the rest loads, as the OFAC parser does with odd rows.
 *
 * Repeats are not facts: an alias repeated in an entry (same type and nameKey, e.g. "Djamel Mostafa"
 * twice with two dates of birth in QDi.129) is kept once, and a document listed again under its French or
 * Spanish TYPE_OF_DOCUMENT next to the English one (KPi.008) once. Links come only from explicit
 * reference numbers in COMMENTS1 and DESIGNATION/VALUE; how the wording around one becomes the link's
 * type and label is described with UN_LINK_PHRASES in un-xml.meta.ts.
 *
 * What is not mapped, and why:
 * - DATAID, VERSIONNUM, SORT_KEY, SORT_KEY_LAST_MOD, SUBMITTED_BY: UN bookkeeping; REFERENCE_NUMBER is
 *   the public, permanent id. LAST_DAY_UPDATED: the model keeps no amendment dates.
 * - LIST_TYPE is "UN List" on every entry (it tells the UN list from national lists published in the
 *   same schema), so it is not a program; any other value would be kept as a program.
 * - INDIVIDUAL_ALIAS/NOTE, ENTITY_ALIAS/NOTE ("previously listed as", "nom de guerre"): Alias has no note.
 * - *_ADDRESS/NOTE beside other address parts ("previous address", "as of early 2016"): AddressRecord
 *   has no note. A NOTE that is the whole address ("Branch Office 1: Room number 33, ...") is the street.
 * - INDIVIDUAL_DATE_OF_BIRTH/TYPE_OF_DATE (EXACT / APPROXIMATELY / BETWEEN): birth dates have no
 *   precision; a NOTE that is not a date ("30-35 years old", a Hijri date, "from false passport").
 * - INDIVIDUAL_DOCUMENT/CITY_OF_ISSUE, COUNTRY_OF_ISSUE when ISSUING_COUNTRY is also given, and NOTE
 *   beyond an expiry date: IdentifierFact has no place of issue or note. A document without NUMBER
 *   (its number, if any, is in prose in NOTE) is not an identifier; the warnings list those entries.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  Alias, AliasQuality, AliasType, IdentifierFact, IdentifierType, LinkRecord, ParsedRelease, Provenance, Rejection,
} from '../../server/core/model';
import { SourceFormatError } from '../../server/core/errors';
import { addressRecord, identifierRecord, nameKey } from '../../server/core/text/normalize';
import { head, streamXml, textOf, type XmlElement } from '../xml';
import { chooseRelease, type ParseOptions, readerOptions, recordsOut } from '../parse-options';
import type { SourceFormat } from '../parse-options';
import {
  MONTHS, UN_DATASET, UN_DOCUMENT_SUBTYPES, UN_DOCUMENT_TYPES, UN_ID_PREFIX, UN_KNOWN_ELEMENTS, UN_LINK_PHRASES, UN_MENTION_LABELS,
  UN_PROGRAM_PREFIX, UN_PUBLISHER, UN_REFERENCE_IN_TEXT, UN_TRANSLATED_DOCUMENT_TYPES,
} from './un-xml.meta';

/** The root element, near the start of the file (after the XML declaration). */
export async function detectUnXml(file: string): Promise<boolean> {
  try {
    return /<CONSOLIDATED_LIST[\s>/]/.test(head(file));
  } catch {
    return false;
  }
}

/** Whitespace collapsed (the list wraps long values over lines with deep indentation); null if empty. */
function clean(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = collapseSpaces(s).trim();
  return t ? t : null;
}
/** Each run of whitespace as one space, as s.replace(/\s+/g, ' ') gives it. */
function collapseSpaces(s: string): string {
  // Most values hold no whitespace but single spaces, which the replace would leave as they are: a look
  // at each character costs less than the regular expression, called some 40 times per entry.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === SPACE ? isSpace(s.charCodeAt(i + 1)) : isSpace(c)) return s.replace(/\s+/g, ' ');
  }
  return s;
}
const SPACE = 32;
/** Whether a character code is one that \s matches (NaN, past the end of a string, is not). */
function isSpace(c: number): boolean {
  if (c <= SPACE) return c === SPACE || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
const textIn = (el: XmlElement | undefined, name: string) => clean(textOf(el, name));
/**
 * Texts of the VALUE children of these elements (NATIONALITY, TITLE, DESIGNATION hold their values so),
 * added to `out`; once each when `unique`.
 */
function valuesOf(els: XmlElement[], out: string[], unique = false): string[] {
  for (const c of els) {
    for (const v of c.children) {
      if (v.name !== 'VALUE') continue;
      const t = clean(v.text);
      if (t !== null && !(unique && out.includes(t))) out.push(t);
    }
  }
  return out;
}

/** Adds v to list unless it is there already. */
function addNew(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

/** a and b joined by sep, or the one that is not empty; null when both are. */
function joined(a: string | null, sep: string, b: string | null): string | null {
  return a ? (b ? `${a}${sep}${b}` : a) : b || null;
}

/** Adds v to list unless it is empty or there already. */
function addTo(list: string[], v: string | null): void {
  if (v && !list.includes(v)) list.push(v);
}

const INDIVIDUAL_NAME_PARTS = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'];
const ENTITY_NAME_PARTS = ['FIRST_NAME'];
/** The non-empty name parts, joined by spaces. */
function nameOf(entry: EntryChildren, parts: string[]): string {
  let name = '';
  for (const n of parts) {
    const v = entry.text(n);
    if (v) name = name ? `${name} ${v}` : v;
  }
  return name;
}

/** YYYY-MM-DD (xs:date, whose optional time zone the list sometimes writes: "2015-03-27-04:00") or YYYY. */
export function isoDate(s: string | null): string | null {
  if (!s) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$|^(\d{4})$/.exec(s.trim());
  return m ? (m[1] ?? m[2]) : null;
}

const MONTH_WORDS = new Set([
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  ...Object.keys(MONTHS),
]);
/** "Nov", "nov", "November", "Sept" -> 11, 11, 11, 9; null for any other word. */
function monthNumber(word: string): number | null {
  const w = word.toLowerCase();
  return MONTH_WORDS.has(w) ? MONTHS[w.slice(0, 3)] : null;
}

/** "7 Nov. 2001", "21 April 2019" or "2023-06-04" -> YYYY-MM-DD. */
export function englishDate(s: string): string | null {
  const iso = /^\d{4}-\d{2}-\d{2}$/.exec(s);
  if (iso) return iso[0];
  const m = /^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$/.exec(s.trim());
  const month = m ? monthNumber(m[2]) : null;
  if (!m || !month) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
}

/** The expiry date a document NOTE states ("expired on 7 Nov. 2001", "Expiration date: 2023-06-04."). */
export function expiryIn(note: string | null): string | null {
  const m = note && /\b(?:expir\w*|valid until)\b(?:\s+date)?\s*:?\s*(?:on\s+)?(\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Za-z]+\.?,?\s+\d{4})/i.exec(note);
  return m ? englishDate(m[1]) : null;
}

/**
 * Birth dates of one INDIVIDUAL_DATE_OF_BIRTH: DATE (YYYY-MM-DD), YEAR (YYYY), or every year from
 * FROM_YEAR to TO_YEAR (BETWEEN; each is a candidate, as a year-only DATE is). Without any of them a
 * NOTE such as "Nov. 1973" or "Between Aug. and Sep. 1977" gives the year, and the month when it names
 * exactly one ("1973-11"); a NOTE "Sep." beside YEAR 1958 gives "1958-09".
 */
export function birthDatesOf(dob: XmlElement): { dates: string[]; problem?: string } {
  const date = textIn(dob, 'DATE');
  if (date) return isoDate(date) ? { dates: [isoDate(date)!] } : { dates: [date], problem: `DATE ${JSON.stringify(date)} is not YYYY-MM-DD` };
  const from = textIn(dob, 'FROM_YEAR');
  const to = textIn(dob, 'TO_YEAR');
  if (from && to) {
    const a = Number(from);
    const b = Number(to);
    if (!/^\d{4}$/.test(from) || !/^\d{4}$/.test(to) || b < a || b - a > 10) {
      return { dates: [from, to].filter((y) => /^\d{4}$/.test(y)), problem: `FROM_YEAR ${from} TO_YEAR ${to} is not a range of at most 10 years` };
    }
    return { dates: Array.from({ length: b - a + 1 }, (_, i) => String(a + i)) };
  }
  const note = textIn(dob, 'NOTE');
  const year = textIn(dob, 'YEAR') ?? (note ? /\b(1[89]\d\d|20\d\d)\b/.exec(note)?.[1] ?? null : null);
  if (!year) return { dates: [] };
  if (!/^\d{4}$/.test(year)) return { dates: [year], problem: `YEAR ${JSON.stringify(year)} is not YYYY` };
  // The month, when the NOTE names exactly one.
  let month: number | null = null;
  let months = 0;
  if (note) eachMatch(WORD, note, (m) => {
    const n = monthNumber(m[1]);
    if (n !== null) {
      month = n;
      months++;
    }
  });
  return { dates: [months === 1 ? `${year}-${String(month).padStart(2, '0')}` : year] };
}

/** A word of a birth date NOTE (global: used with eachMatch). */
const WORD = /\b([A-Za-z]+)\b/g;

/**
 * One ALIAS_NAME may list several names: "Azim Adhajani; Azim Agha-Jani", with an "a)/b)" list marker
 * ("Mohammad Sabet b) M. Javad Kareemi Sabet"), or as "<name in original script> (<transliteration>;
 * <transliteration>)" (QDe.137). Each becomes its own alias; a "(original script)" tag is dropped.
 * Parentheses without a ';' list inside are part of the name ("Lom-ali Butayev (Butaev)").
 */
export function splitAliasNames(text: string): string[] {
  const t = clean(text);
  return t ? splitCleanAliasNames(t) : [];
}
/** splitAliasNames of a text already cleaned (textIn's), which the entry's loop has: not cleaned twice. */
function splitCleanAliasNames(t: string): string[] {
  if (!t.includes(';')) return [t];
  let headName = '';
  let list = t;
  if (t.endsWith(')')) {
    let depth = 0;
    for (let i = t.length - 1; i >= 0; i--) {
      if (t[i] === ')') depth++;
      else if (t[i] === '(' && --depth === 0) {
        if (t.slice(i).includes(';')) {
          headName = t.slice(0, i).trim();
          list = t.slice(i + 1, -1);
        }
        break;
      }
    }
  }
  const parts = list
    .split(/\s*;\s*|\s+[b-z]\)\s+/)
    .map((p) => p.replace(/^a\)\s+/, '').replace(/\s*\(original script\)$/i, '').trim())
    .filter(Boolean);
  return headName ? [headName, ...parts] : parts;
}

/**
 * References to other entries in free text (COMMENTS1, DESIGNATION), with the relation the sentence
 * states (un-xml.meta.ts UN_LINK_PHRASES). Only explicit reference numbers count: a name without a
 * number is not looked up, because UN comments name many people and groups that are not listed.
 */
export function referencesIn(text: string, ownRef: string, where: keyof typeof UN_MENTION_LABELS): { ref: string; label: string; type: LinkRecord['type'] }[] {
  const out: { ref: string; label: string; type: LinkRecord['type'] }[] = [];
  // Most texts name no reference (the normalising below changes only characters a reference cannot
  // hold, so a text without one here has none after it either).
  if (!REFERENCE_ANYWHERE.test(text)) return out;
  // References and sentence ends are found in the text as it is; only each sentence before a reference
  // is then normalised (runs of whitespace as one space, curly apostrophes straight) for the phrases.
  // Normalising the whole text first finds the same: neither pattern looks at what the normalising
  // changes (REFERENCES at letters, digits and a dot; SENTENCE_END's \s+ takes a whole run of
  // whitespace and looks at what follows it), and a sentence starts after such a run and ends at a
  // reference, so normalising it alone gives what slicing the normalised text gave. Whole COMMENTS1
  // texts were copied for this; a sentence is a fraction of one.
  const refs: RegExpExecArray[] = [];
  eachMatch(REFERENCES, text, (m) => refs.push(m));
  // Where each sentence ends in the whole text, found once for all its references (see sentenceStart).
  // test() moves lastIndex to each match's end as exec() does, without making a match array.
  // SENTENCE_END cannot match an empty string (each alternative starts with a character).
  const ends: number[] = [];
  SENTENCE_END.lastIndex = 0;
  while (SENTENCE_END.test(text)) ends.push(SENTENCE_END.lastIndex);
  for (const m of refs) {
    const ref = `${m[1]}.${m[2]}`;
    if (ref === ownRef) continue;
    const found = strongestPhrase(phraseText(text.slice(sentenceStart(ends, m.index), m.index)));
    out.push({ ref, label: found?.label ?? UN_MENTION_LABELS[where], type: found?.type ?? 'UNKNOWN_LINK' });
  }
  return out;
}

/**
 * A sentence as the phrases are matched in: each run of whitespace one space (collapseSpaces), curly
 * apostrophes straight. One look at each character finds the sentences that need neither (most), which
 * are given back as they are; collapseSpaces and two searches for the apostrophes were three.
 */
function phraseText(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === SPACE ? isSpace(s.charCodeAt(i + 1)) : c === LEFT_QUOTE || c === RIGHT_QUOTE || isSpace(c)) {
      return s.replace(/\s+/g, ' ').replace(/[’‘]/g, "'");
    }
  }
  return s;
}
const LEFT_QUOTE = 0x2018;
const RIGHT_QUOTE = 0x2019;

/**
 * Where the sentence holding a reference at `index` starts: after the last ". X" (or ".X", as in
 * "(QDe.118).In 2008") before it; "Jun. 2015" and "QDe.118" are not sentence ends because a digit
 * follows. `ends` are the ends of SENTENCE_END's matches in the whole text. Matched in the text before
 * the reference alone (as this was written first), the same matches are found except one ending right at
 * the reference (". QDe.001": its lookahead needs the reference's first letter, which that text does not
 * hold): so the last end before `index`, not at it.
 */
function sentenceStart(ends: number[], index: number): number {
  let start = 0;
  for (const e of ends) {
    if (e >= index) break;
    start = e;
  }
  return start;
}

/**
 * The phrase of UN_LINK_PHRASES that says how a sentence relates to the reference at its end: of every
 * match of every phrase (each phrase's matches found as matchAll finds them), the one that ends last,
 * the longest of those, the first phrase of those. A phrase can match only where one of them all can:
 * where ANY_LINK_PHRASE matches when it must start there (each place found once, overlapping ones too).
 * At such a place, the alternation's match is that of the first phrase that matches there (an
 * alternation tries its alternatives in order, and nothing follows it), which its capture groups name;
 * the phrases before it cannot match there, and the next one that does is found by the alternation of
 * the phrases after it, sticky at the place (PHRASES_FROM). So a place costs one search more than the
 * phrases matching there, where each of the 47 phrases was tried at each place (half this function's
 * time). The places are taken in order, and a phrase's match counts unless it starts inside its own
 * last counted one (`from`), as a global search skips: the matches counted, and so the strongest, are
 * those of each phrase searched alone.
 */
function strongestPhrase(sentence: string): { label: string; type: LinkRecord['type'] } | null {
  ANY_LINK_PHRASE.lastIndex = 0;
  let a = ANY_LINK_PHRASE.exec(sentence);
  if (a === null) return null;
  const from = PHRASE_FROM;
  from.fill(0);
  let bestEnd = -1;
  let bestLen = -1;
  let best = -1;
  for (; a !== null; a = ANY_LINK_PHRASE.exec(sentence)) {
    const s = a.index;
    ANY_LINK_PHRASE.lastIndex = s + 1;
    let m: RegExpExecArray | null = a;
    let p = matchedPhrase(m, 0);
    for (;;) {
      if (s >= from[p]) {
        const len = m[0].length;
        const end = s + len;
        from[p] = len === 0 ? s + 1 : end;
        if (end > bestEnd || (end === bestEnd && len > bestLen)) {
          bestEnd = end;
          bestLen = len;
          best = p;
        }
      }
      if (p + 1 === PHRASE_COUNT) break;
      const next = PHRASES_FROM[p + 1];
      next.lastIndex = s;
      m = next.exec(sentence);
      if (m === null) break;
      p = matchedPhrase(m, p + 1);
    }
  }
  return UN_LINK_PHRASES[best];
}

const PHRASE_COUNT = UN_LINK_PHRASES.length;
/** strongestPhrase's `from`, per phrase: one array for every call (a parse is synchronous here). */
const PHRASE_FROM = new Int32Array(PHRASE_COUNT);
/** Capture groups of each phrase's own pattern (a phrase's group is followed by its own ones). */
const PHRASE_GROUPS = UN_LINK_PHRASES.map((p) => new RegExp(`${p.pattern.source}|`).exec('')!.length - 1);
/** The alternation of the phrases from index k on, each in a capture group of its own. */
const phrasesFrom = (k: number) => UN_LINK_PHRASES.slice(k).map((p) => `(${p.pattern.source})`).join('|');
/**
 * The index of the phrase whose group matched in `m`, a match of the alternation of the phrases from
 * `first` on: the first of their groups that is set (one is, the alternative that matched).
 */
function matchedPhrase(m: RegExpExecArray, first: number): number {
  let g = 1;
  for (let p = first; p < PHRASE_COUNT; p++) {
    if (m[g] !== undefined) return p;
    g += 1 + PHRASE_GROUPS[p];
  }
  throw new Error('matchedPhrase: no phrase group set in a match of the phrases');
}

/** UN_REFERENCE_IN_TEXT, ours to use with eachMatch. */
const REFERENCES = new RegExp(UN_REFERENCE_IN_TEXT.source, UN_REFERENCE_IN_TEXT.flags);
/** UN_REFERENCE_IN_TEXT, for a yes/no test (not global: no lastIndex carried from one text to the next). */
const REFERENCE_ANYWHERE = new RegExp(UN_REFERENCE_IN_TEXT.source, UN_REFERENCE_IN_TEXT.flags.replace('g', ''));
/** Where a sentence ends (see referencesIn). */
const SENTENCE_END = /[.;!?]\s+(?=[A-Z"“(])|\.(?=[A-Z][a-z])/g;
for (const p of UN_LINK_PHRASES) {
  // ANY_LINK_PHRASE finds every place where a phrase can match only if each matches as it would alone:
  // case-insensitive, no other flag (a 'u' or 'm' phrase would match differently inside the alternation).
  if (p.pattern.flags !== 'gi') throw new Error(`UN_LINK_PHRASES: ${p.pattern} must have flags gi, has ${p.pattern.flags}`);
  // In the alternations each phrase's groups are numbered anew: a back-reference would then name another.
  if (/\\[1-9]|\\k</.test(p.pattern.source)) throw new Error(`UN_LINK_PHRASES: ${p.pattern} must not use back-references`);
}
/**
 * Matches where any of UN_LINK_PHRASES matches: at a given place, an alternation matches exactly when one
 * of its alternatives does (the patterns use no back-references, so numbering their groups anew changes
 * nothing).
 */
const ANY_LINK_PHRASE = new RegExp(phrasesFrom(0), 'gi');
/** PHRASES_FROM[k]: the phrases from index k on (see strongestPhrase), sticky: they match only where lastIndex says. */
const PHRASES_FROM = UN_LINK_PHRASES.map((_, k) => new RegExp(phrasesFrom(k), 'iy'));

/**
 * The matches of a global pattern in `s`, in order, as `s.matchAll(re)` gives them, without the copy
 * of the pattern matchAll makes on every call (the 47 phrases were copied for every reference). The
 * pattern's lastIndex is 0 again afterwards (exec's last, failing call sets it so).
 */
function eachMatch(re: RegExp, s: string, fn: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    // An empty match moves on by one character, as matchAll does (none of these patterns is 'u').
    if (m[0] === '') re.lastIndex++;
    fn(m);
  }
}

/**
 * A document NUMBER as the list writes it, e.g. "French passport number 05AT521433", "Diplomatic
 * Passport: Z30321794", "381110042 (Expired 25 Jan. 2016)", "423-31-3021 (US)". The identifier value
 * is the number itself, so the same document meets the one other sources list; the words before it and
 * a trailing remark go to the label, a stated expiry date to `expires`.
 */
export function splitDocumentNumber(raw: string): { value: string; described: string | null; remark: string | null; expires: string | null } {
  let rest = raw;
  let remark: string | null = null;
  let expires: string | null = null;
  const paren = /^(.*\d.*?)\s*\(([^()]*)\)$/.exec(rest);
  if (paren) {
    rest = paren[1];
    expires = expiryIn(paren[2]);
    if (!expires) remark = paren[2].trim();
  }
  let described: string | null = null;
  const prefix = /^(.*?(?:\bnumber\b|\bno\b\.?|n°)\s*:?|[^:\d]*:)\s*(\S*\d.*)$/i.exec(rest);
  if (prefix && /[A-Za-z]{2}/.test(prefix[1])) {
    described = prefix[1].replace(/[\s:]+$/, '');
    rest = prefix[2];
  }
  return { value: rest.replace(/[\s,;]+$/, ''), described, remark, expires };
}

/**
 * A fixed list of element names, looked up by length first. The names saxes reports are new strings
 * each time, which a Map or Set hashes on every lookup; here a name is compared with the one to three
 * known names of its length only (every child and grandchild of every entry is looked up).
 */
class NameTable {
  /** Names by length, each with its index in the list given. */
  private readonly byLength: { name: string; index: number }[][] = [];

  constructor(readonly names: readonly string[]) {
    names.forEach((name, index) => (this.byLength[name.length] ??= []).push({ name, index }));
  }

  /** The name's index in the list given, or -1. */
  indexOf(name: string): number {
    const same = this.byLength[name.length];
    if (same !== undefined) for (let i = 0; i < same.length; i++) if (same[i].name === name) return same[i].index;
    return -1;
  }

  has(name: string): boolean {
    return this.indexOf(name) >= 0;
  }
}

/** The children of INDIVIDUAL / ENTITY this parser knows (UN_KNOWN_ELEMENTS), and the children of each. */
const ENTRY_CHILDREN = new NameTable(Object.keys(UN_KNOWN_ELEMENTS));
const GRANDCHILDREN = ENTRY_CHILDREN.names.map((n) => new NameTable(UN_KNOWN_ELEMENTS[n]));
const NONE: XmlElement[] = [];

/**
 * One entry's children by name, sorted in one pass: the parser asks for some 25 names, and a scan of the
 * entry's 40-odd children for each compared every child 25 times. One instance serves every entry of a
 * file in turn, so the lists it hands out are valid until the next entry is read.
 */
class EntryChildren {
  /** The entry each name's slots were last filled for: slots of an earlier entry count as empty. */
  private readonly filledFor: number[] = ENTRY_CHILDREN.names.map(() => 0);
  /** The first child of each name. */
  private readonly first: (XmlElement | undefined)[] = ENTRY_CHILDREN.names.map(() => undefined);
  /**
   * All children of each name, valid when listFor says this entry: made when a second child of the name
   * comes, or when all() asks for a name the entry has once. Most names are asked for by text() alone,
   * and most have one child: a list made for each was a sixth of what the mapping allocated.
   */
  private readonly lists: XmlElement[][] = ENTRY_CHILDREN.names.map(() => NONE);
  private readonly listFor: number[] = ENTRY_CHILDREN.names.map(() => 0);
  private entry = 0;
  /** Elements of the entry not in UN_KNOWN_ELEMENTS: where (ENTITY/NAME or ENTITY/NAME/CHILD) and line. */
  unknown: { where: string; line: number }[] = [];

  read(el: XmlElement): void {
    const entry = ++this.entry;
    // New lists rather than emptied ones: setting an array's length is a call into V8's runtime, which
    // cost more than a small new array.
    if (this.unknown.length) this.unknown = [];
    // Indexed loops: for...of over these lists (normal ones and the shared frozen empty one) left an
    // iterator result behind for each child.
    const cs = el.children;
    for (let j = 0; j < cs.length; j++) {
      const c = cs[j];
      const i = ENTRY_CHILDREN.indexOf(c.name);
      if (i < 0) {
        this.unknown.push({ where: `${el.name}/${c.name}`, line: c.line });
        continue;
      }
      if (this.filledFor[i] !== entry) {
        this.filledFor[i] = entry;
        this.first[i] = c;
      } else if (this.listFor[i] !== entry) {
        this.listFor[i] = entry;
        this.lists[i] = [this.first[i]!, c];
      } else this.lists[i].push(c);
      const known = GRANDCHILDREN[i];
      const gs = c.children;
      for (let k = 0; k < gs.length; k++) {
        const g = gs[k];
        if (!known.has(g.name)) this.unknown.push({ where: `${el.name}/${c.name}/${g.name}`, line: g.line });
      }
    }
  }

  /** The children of this name (one of UN_KNOWN_ELEMENTS), in the file's order. */
  all(name: string): XmlElement[] {
    const i = ENTRY_CHILDREN.indexOf(name);
    if (this.filledFor[i] !== this.entry) return NONE;
    if (this.listFor[i] !== this.entry) {
      this.listFor[i] = this.entry;
      this.lists[i] = [this.first[i]!];
    }
    return this.lists[i];
  }

  /** The first child of this name, cleaned (as textIn); null when absent or empty. */
  text(name: string): string | null {
    const i = ENTRY_CHILDREN.indexOf(name);
    const first = this.filledFor[i] === this.entry ? this.first[i] : undefined;
    return first && first.text ? clean(first.text) : null;
  }
}

/** The alias keys an entry has: at first its own name's, as an a.k.a. */
function ownNameSeen(name: string): Set<string> {
  return new Set<string>([aliasKey('a.k.a.', nameKey(name))]);
}
/**
 * An alias's type and name key as one string. An a.k.a. (nearly every alias) is its name key alone, not a
 * new string joined to its type: a name key holds letters, digits and spaces only, so no other type's
 * key, which holds a '|', is ever one of them.
 */
function aliasKey(type: AliasType, k: string): string {
  return type === 'a.k.a.' ? k : `${type}|${k}`;
}
/** Adds an alias to an entry's unless it has one of the same type and name key (e.g. repeated with another DOB). */
function addAlias(aliases: Alias[], seen: Set<string>, a: Alias): void {
  const k = nameKey(a.name);
  const key = aliasKey(a.type, k);
  if (k === '' || seen.has(key)) return;
  seen.add(key);
  aliases.push(a);
}

interface PendingLink {
  link: LinkRecord;
  ref: string;
}

export async function parseUnXml(files: string[], opts: ParseOptions): Promise<ParsedRelease> {
  if (files.length !== 1) {
    throw new SourceFormatError(files.map((f) => path.basename(f)).join(', '), undefined, 'the UN consolidated list is a single XML file: load one release at a time');
  }
  const file = files[0];
  const fileName = path.basename(file);
  if (!fs.existsSync(file)) throw new SourceFormatError(fileName, undefined, `cannot be read: no such file (${file})`);
  if (!(await detectUnXml(file))) {
    throw new SourceFormatError(fileName, 1, 'is not a UN Security Council Consolidated List (no <CONSOLIDATED_LIST> root at the start)');
  }
  const dataset = opts.dataset ?? UN_DATASET.name;
  let release: string | null = null;
  // Entries leave as they are read (ParseOptions.sink); only each one's record is kept, for duplicates
  // and for the links' targets.
  const out = recordsOut(opts);
  /** REFERENCE_NUMBER -> where the entry is (its provenance record). */
  const parties = new Map<string, string>();
  const pending: PendingLink[] = [];
  const rejected: Rejection[] = [];
  const unknownElements = new Map<string, number>();
  const unknownDocTypes = new Map<string, string[]>();
  const unknownQualities = new Map<string, string[]>();
  const docsWithoutNumber: string[] = [];
  const dateProblems: string[] = [];

  // The helpers an entry uses are made once per file, not once per entry.
  const reject = (el: XmlElement, reason: string) => rejected.push({ file: fileName, line: el.line, reason });
  const provAt = (line: number, ref: string): Provenance => ({ dataset, release: release!, record: `${fileName}:${line} (${ref})` });
  const unknown = (where: string, line: number) => {
    if (!unknownElements.has(where)) unknownElements.set(where, line);
  };

  const entry = new EntryChildren();
  /** The links of the entry being read, by target, type and label (linksIn): one set, emptied per entry. */
  const linkKeys = new Set<string>();
  const onEntry = (el: XmlElement) => {
    const individual = el.name === 'INDIVIDUAL';
    entry.read(el);
    const ref = entry.text('REFERENCE_NUMBER');
    if (!ref) {
      const dataId = entry.text('DATAID');
      reject(el, `${el.name} without REFERENCE_NUMBER${dataId ? ` (DATAID ${dataId})` : ''}; the entry is skipped`);
      return;
    }
    const id = `${UN_ID_PREFIX}-${ref}`;
    const first = parties.get(ref);
    if (first) {
      reject(el, `duplicate REFERENCE_NUMBER ${ref} (first seen at ${first}); this entry is skipped, not merged`);
      return;
    }
    // Individuals: FIRST_NAME..FOURTH_NAME in the list's order (the UN writes given names first);
    // entities: FIRST_NAME only.
    const name = nameOf(entry, individual ? INDIVIDUAL_NAME_PARTS : ENTITY_NAME_PARTS);
    if (!name) {
      reject(el, `${ref} has no name (FIRST_NAME is empty); the entry is skipped`);
      return;
    }
    // No function is made per entry: run through tsx (npm run ingest), each named one made is wrapped to
    // set its name (esbuild's keepNames), which cost more than what these did.
    const provenance = provAt(el.line, ref);
    for (const u of entry.unknown) unknown(u.where, u.line);

    // Aliases: the name in its original script first, then *_ALIAS. QUALITY is "Good"/"Low" for
    // individuals and the alias type ("a.k.a."/"f.k.a.") for entities, whose aliases carry no strength.
    const aliases: Alias[] = [];
    // The entry's own name counts as seen; its key is made only when the entry has an alias to compare.
    let seen: Set<string> | null = null;
    // The original-script name is the entry's own name, not a weaker variant: strong.
    const original = entry.text('NAME_ORIGINAL_SCRIPT');
    if (original) addAlias(aliases, (seen ??= ownNameSeen(name)), { name: original, type: 'a.k.a.', quality: 'strong' });
    const birthDates: string[] = [];
    const birthPlaces: string[] = [];
    for (const a of entry.all(individual ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS')) {
      const raw = textIn(a, 'ALIAS_NAME');
      if (!raw) continue; // <QUALITY/><ALIAS_NAME/>: the UN's placeholder for "no alias"
      const q = textIn(a, 'QUALITY');
      let type: AliasType = 'a.k.a.';
      let quality: AliasQuality = null;
      if (q === 'Good') quality = 'strong';
      else if (q === 'Low') quality = 'weak';
      else if (q === 'f.k.a.') type = 'f.k.a.';
      else if (q !== 'a.k.a.' && q !== null) unknownQualities.set(q, [...(unknownQualities.get(q) ?? []), ref]);
      if (/\bformerly known as\b|\bf\.?k\.?a\b/i.test(textIn(a, 'NOTE') ?? '')) type = 'f.k.a.';
      for (const n of splitCleanAliasNames(raw)) addAlias(aliases, (seen ??= ownNameSeen(name)), { name: n, type, quality });
      // Date and place of birth stated for this alias are dates and places the person used: kept as
      // the person's (the model has no per-alias facts).
      const dob = textIn(a, 'DATE_OF_BIRTH');
      if (dob && !isoDate(dob)) dateProblems.push(`${ref}: alias DATE_OF_BIRTH ${JSON.stringify(dob)}`);
      addTo(birthDates, isoDate(dob) ?? dob);
      addTo(birthPlaces, joined(textIn(a, 'CITY_OF_BIRTH'), ', ', textIn(a, 'COUNTRY_OF_BIRTH')));
    }

    const own: string[] = [];
    for (const d of entry.all('INDIVIDUAL_DATE_OF_BIRTH')) {
      const { dates, problem } = birthDatesOf(d);
      if (problem) dateProblems.push(`${ref}: ${problem}`);
      own.push(...dates);
    }
    // The entry's own dates first, then those stated with aliases.
    const allDates: string[] = [];
    for (const d of own) addNew(allDates, d);
    for (const d of birthDates) addNew(allDates, d);
    const places: string[] = [];
    for (const p of entry.all('INDIVIDUAL_PLACE_OF_BIRTH')) {
      const parts: string[] = [];
      for (const n of ['STREET', 'CITY', 'STATE_PROVINCE', 'COUNTRY']) {
        const v = textIn(p, n);
        if (v && !parts.includes(v)) parts.push(v); // STREET and CITY sometimes repeat each other
      }
      const note = textIn(p, 'NOTE')?.replace(/^\((.*)\)$/, '$1') ?? null;
      addTo(places, parts.length ? `${parts.join(', ')}${note ? ` (${note})` : ''}` : note);
    }
    for (const p of birthPlaces) addTo(places, p);

    const listedOnRaw = entry.text('LISTED_ON');
    if (listedOnRaw && !isoDate(listedOnRaw)) dateProblems.push(`${ref}: LISTED_ON ${JSON.stringify(listedOnRaw)}`);
    const listType = entry.text('UN_LIST_TYPE');
    const programs: string[] = listType ? [`${UN_PROGRAM_PREFIX}${listType}`] : [];
    for (const v of valuesOf(entry.all('LIST_TYPE'), [])) if (v !== 'UN List') programs.push(`${UN_PROGRAM_PREFIX}${v}`);
    // DESIGNATION (a position: "Minister of ...") joins TITLE (honorifics: "Maulavi", "Dr.") in
    // `titles`, as OFAC's Title column holds both; the model has no separate position property.
    const titles = valuesOf(entry.all('DESIGNATION'), valuesOf(entry.all('TITLE'), [], true), true);
    // COMMENTS1 is kept whole (newlines included): it is the UN's narrative summary.
    const comments = entry.all('COMMENTS1')[0];
    parties.set(ref, provenance.record);
    out.party({
      id,
      kind: individual ? 'Person' : 'Organization',
      name,
      aliases,
      programs,
      birthDates: allDates,
      birthPlaces: places,
      nationalities: valuesOf(entry.all('NATIONALITY'), [], true),
      // The UN's NATIONALITY is the only citizenship statement it makes; it is not repeated here.
      citizenships: [],
      gender: entry.text('GENDER'),
      titles,
      remarks: comments?.text ? comments.text : null,
      listedOn: isoDate(listedOnRaw) ?? listedOnRaw,
      vessel: null,
      provenance,
    });

    // Addresses. STATE_PROVINCE and ZIP_CODE join CITY ("Goma, North Kivu", "Hamburg 21073"), as in
    // OFAC's "City/State/Province/Postal Code" column, so the same address written by both meets.
    for (const a of entry.all(individual ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS')) {
      const street = textIn(a, 'STREET');
      const city = joined(joined(textIn(a, 'CITY'), ', ', textIn(a, 'STATE_PROVINCE')), ' ', textIn(a, 'ZIP_CODE'));
      const country = textIn(a, 'COUNTRY');
      const note = textIn(a, 'NOTE');
      const address = street || city || country ? addressRecord(street, city, country) : note ? addressRecord(note, null, null) : null;
      if (address) out.address({ partyId: id, address, provenance: provAt(a.line, ref) });
    }

    // Documents (individuals only in this schema).
    const docs: { fact: IdentifierFact; translated: boolean }[] = [];
    for (const d of entry.all('INDIVIDUAL_DOCUMENT')) {
      if (d.children.length === 0) continue; // <INDIVIDUAL_DOCUMENT/>: no document
      const type1 = textIn(d, 'TYPE_OF_DOCUMENT');
      const type2 = textIn(d, 'TYPE_OF_DOCUMENT2')?.replace(/[\s:]+$/, '') ?? null;
      const number = textIn(d, 'NUMBER');
      if (!number) {
        docsWithoutNumber.push(ref);
        continue;
      }
      const { value, described, remark, expires } = splitDocumentNumber(number);
      let type: IdentifierType = 'other';
      const type1Lower = type1?.toLowerCase();
      if (type1Lower !== undefined && Object.hasOwn(UN_DOCUMENT_TYPES, type1Lower)) type = UN_DOCUMENT_TYPES[type1Lower];
      else if (type1) unknownDocTypes.set(type1, [...(unknownDocTypes.get(type1) ?? []), ref]);
      const detail = type2 ?? described;
      const sub = detail ? UN_DOCUMENT_SUBTYPES.find(([re]) => re.test(detail)) : undefined;
      if (sub) type = sub[1];
      const extra = [type2, described, remark].filter((x, i, all): x is string =>
        !!x && x.toLowerCase() !== type1Lower && all.findIndex((y) => y?.toLowerCase() === x.toLowerCase()) === i);
      const label = type1 ? (extra.length ? `${type1} (${extra.join('; ')})` : type1) : extra.join('; ') || 'Document';
      const country = textIn(d, 'ISSUING_COUNTRY') ?? textIn(d, 'COUNTRY_OF_ISSUE');
      const issuedRaw = textIn(d, 'DATE_OF_ISSUE');
      if (issuedRaw && !isoDate(issuedRaw)) dateProblems.push(`${ref}: DATE_OF_ISSUE ${JSON.stringify(issuedRaw)}`);
      const fact: IdentifierFact = {
        partyId: id,
        identifier: identifierRecord(type, value, country, label),
        label,
        issued: isoDate(issuedRaw) ?? issuedRaw,
        expires: expires ?? expiryIn(textIn(d, 'NOTE')),
        provenance: provAt(d.line, ref),
      };
      docs.push({ fact, translated: type1Lower !== undefined && UN_TRANSLATED_DOCUMENT_TYPES.has(type1Lower) });
    }
    for (const { fact, translated } of docs) {
      if (translated && docs.some((o) => !o.translated && o.fact.identifier.key === fact.identifier.key)) continue;
      out.identifier(fact);
    }

    // Links: reference numbers named in COMMENTS1 and DESIGNATION/VALUE ("Overall leader of the
    // Allied Democratic Forces (ADF) (CDe.001)"). One link per target, type and label.
    if (linkKeys.size) linkKeys.clear();
    for (const c of entry.all('COMMENTS1')) linksIn(c, 'COMMENTS1', ref, linkKeys);
    for (const d of entry.all('DESIGNATION')) for (const v of d.children) if (v.name === 'VALUE') linksIn(v, 'DESIGNATION', ref, linkKeys);
  };
  /** Links to the entries `src` names; one per target, type and label of the entry (linkKeys). */
  const linksIn = (src: XmlElement, where: keyof typeof UN_MENTION_LABELS, ref: string, linkKeys: Set<string>) => {
    for (const r of referencesIn(src.text, ref, where)) {
      const key = `${r.ref}|${r.type}|${r.label}`;
      if (linkKeys.has(key)) continue;
      linkKeys.add(key);
      pending.push({ ref: r.ref, link: { type: r.type, from: `${UN_ID_PREFIX}-${ref}`, to: { id: `${UN_ID_PREFIX}-${r.ref}` }, label: r.label, provenance: provAt(src.line, ref) } });
    }
  };

  await streamXml(file, {
    isRecord: (p) => p.length === 3 && ((p[1] === 'INDIVIDUALS' && p[2] === 'INDIVIDUAL') || (p[1] === 'ENTITIES' && p[2] === 'ENTITY')),
    onOpen: (name, attrs, line, p) => {
      if (p.length === 1) {
        if (name !== 'CONSOLIDATED_LIST') throw new SourceFormatError(fileName, line, `has root element <${name}>, not <CONSOLIDATED_LIST>`);
        // dateGenerated is an xs:dateTime ("2025-11-18T23:00:09.174Z"); its date is the release.
        const generated = attrs.dateGenerated;
        const date = /^(\d{4}-\d{2}-\d{2})/.exec(generated ?? '')?.[1] ?? null;
        if (generated !== undefined && !date && opts.releaseFrom !== 'flag') {
          throw new SourceFormatError(fileName, line, `dateGenerated ${JSON.stringify(generated)} is not a date: give the release with --release YYYY-MM-DD`);
        }
        release = chooseRelease(file, opts, date);
      } else if (!(p.length === 2 && (name === 'INDIVIDUALS' || name === 'ENTITIES'))) {
        const where = p.join('/');
        if (!unknownElements.has(where)) unknownElements.set(where, line);
      }
    },
    onRecord: (el) => onEntry(el),
    ...readerOptions(opts),
  });
  if (parties.size === 0) {
    throw new SourceFormatError(fileName, undefined, `holds no loadable entries${rejected.length ? ` (${rejected.length} rejected)` : ''}: an empty list is refused (it would delist everything)`);
  }

  const missing = new Map<string, string[]>();
  for (const p of pending) {
    out.link(p.link);
    if (!parties.has(p.ref)) missing.set(p.ref, [...(missing.get(p.ref) ?? []), p.link.from.slice(UN_ID_PREFIX.length + 1)]);
  }
  const list = (m: Map<string, string[]>) => [...m].map(([k, refs]) => `${k} (${[...new Set(refs)].join(', ')})`).join('; ');
  const warnings = [
    ...(missing.size
      ? [`COMMENTS1 and DESIGNATION name ${missing.size} reference numbers that are not entries of ${fileName} (delisted, or mistyped by the publisher); their links are kept and point at placeholders: ${list(missing)}`]
      : []),
    ...(docsWithoutNumber.length
      ? [`${docsWithoutNumber.length} documents have no NUMBER (the number, if any, is in the document's NOTE) and are not identifiers: ${[...new Set(docsWithoutNumber)].join(', ')}`]
      : []),
    ...(unknownDocTypes.size ? [`TYPE_OF_DOCUMENT values not in un-xml.meta.ts, loaded as 'other' identifiers: ${list(unknownDocTypes)}`] : []),
    ...(unknownQualities.size ? [`alias QUALITY values not known, loaded as a.k.a. without strength: ${list(unknownQualities)}`] : []),
    ...(dateProblems.length ? [`dates that are not YYYY-MM-DD or YYYY, kept as written: ${dateProblems.join('; ')}`] : []),
    ...(unknownElements.size
      ? [`elements this parser does not know were not loaded (has the schema changed?): ${[...unknownElements].map(([n, line]) => `${n} (first at ${fileName}:${line})`).join(', ')}`]
      : []),
  ];

  return {
    dataset,
    release: release!,
    idPrefix: UN_ID_PREFIX,
    parties: out.parties,
    addresses: out.addresses,
    identifiers: out.identifiers,
    links: out.links,
    rejected,
    warnings,
    files: [fileName],
  };
}

export const unXmlFormat: SourceFormat = {
  name: 'un-xml',
  description: 'UN Security Council Consolidated List, XML (consolidated.xml)',
  publisher: UN_PUBLISHER,
  detect: detectUnXml,
  parse: (files, opts) => parseUnXml(files, opts),
  title: (dataset) => (dataset === UN_DATASET.name ? UN_DATASET.title : dataset),
};
