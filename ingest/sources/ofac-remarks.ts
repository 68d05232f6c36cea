/**
 * Structured facts from the Remarks column of OFAC's legacy files.
 *
 * In the legacy formats OFAC writes most of an entry's details into one free-text Remarks field,
 * as "; "-separated statements ending with a period, e.g.
 *   DOB 22 Apr 1973; nationality Korea, North; Gender Male; Passport 927233154 (Korea, North);
 *   a.k.a. 'ALIS LLC'; Linked To: PIONEER BENCONT STAR REAL ESTATE.
 * A repeated statement of the same kind is introduced with "alt." ("alt. DOB 1953"). An identifier reads
 * "<document label> <number> (<issuing country>)", optionally followed by "issued <date>" and
 * "expires <date>". Statements this parser does not recognise stay in the remarks text, which is kept
 * whole on the party.
 */
import type { Alias, AliasType, IdentifierType } from '../../server/core/model';
import { DIGITAL_CURRENCY_LABEL, OFAC_ID_LABELS } from './ofac-csv.meta';

export interface RemarkIdentifier {
  /** The label OFAC wrote, e.g. "Tax ID No." or "Digital Currency Address - XBT". */
  label: string;
  type: IdentifierType;
  value: string;
  country: string | null;
  issued: string | null;
  expires: string | null;
}

export interface RemarkFacts {
  aliases: Alias[];
  birthDates: string[];
  birthPlaces: string[];
  nationalities: string[];
  citizenships: string[];
  gender: string | null;
  identifiers: RemarkIdentifier[];
  /** "Linked To: NAME" statements: the other party is named, not numbered. */
  linkedTo: string[];
}

/**
 * The identifier labels longest first, grouped by their first character: a statement is compared only
 * with the labels it can start with (about 150 labels were tried one by one on every statement that is
 * not an alias, a date or another fact; a fifth of the remarks parser's time). Order within a group is
 * the longest-first order, so "Identification Number IMO" still wins over "Identification Number".
 */
const LABELS_BY_FIRST_CHAR = new Map<string, string[]>();
for (const label of Object.keys(OFAC_ID_LABELS).sort((a, b) => b.length - a.length)) {
  const group = LABELS_BY_FIRST_CHAR.get(label[0]);
  if (group) group.push(label);
  else LABELS_BY_FIRST_CHAR.set(label[0], [label]);
}

const ALIAS_PREFIX = /^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.|d\.b\.a\.)\s+(.*)$/;
const ALT_PREFIX = /^alt\.\s+/;
const LINKED_TO = /^Linked To:\s*(.+)$/;
const DOB = /^DOB\s+(.+)$/;
const POB = /^POB\s+(.+)$/;
const NATIONALITY = /^nationality\s+(.+)$/;
const CITIZEN = /^citizen\s+(.+)$/;
const GENDER = /^Gender\s+(\w+)$/;
const DIGITAL_CURRENCY = /^(Digital Currency Address - [A-Z0-9]+)\s+(\S+)/;
const DOT = 46; // '.'

/** Splits remarks into statements. Statements are separated by ";" (sometimes without a space). */
export function splitRemarks(remarks: string): string[] {
  let text = remarks.trim();
  if (text.endsWith('.')) text = text.slice(0, -1);
  // Split on ";" and trimmed: what splitting on /;\s*/ and trimming gives (\s and trim() take the same
  // characters), without a regular expression.
  const out: string[] = [];
  for (const part of text.split(';')) {
    const s = part.trim();
    if (s !== '') out.push(s);
  }
  return out;
}

function stripQuotes(s: string): string {
  const t = s.trim().replace(/\.$/, '');
  // Aliases are quoted with single quotes; a name may itself contain an apostrophe (O'NEIL).
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1).trim();
  return t.replace(/^'/, '').replace(/'$/, '').trim();
}

/** "927233154 (Korea, North) issued 01 Jan 2010 expires 01 Jan 2020" -> parts. */
export function parseIdentifierValue(rest: string): { value: string; country: string | null; issued: string | null; expires: string | null } {
  let s = rest.trim();
  let issued: string | null = null;
  let expires: string | null = null;
  const exp = /\s+expire[sd]\s+(.+)$/i.exec(s);
  if (exp) {
    expires = exp[1].trim();
    s = s.slice(0, exp.index);
  }
  const iss = /\s+issued\s+(.+)$/i.exec(s);
  if (iss) {
    issued = iss[1].trim();
    s = s.slice(0, iss.index);
  }
  let country: string | null = null;
  const c = /\s*\(([^()]+)\)$/.exec(s);
  if (c && c.index > 0) {
    country = c[1].trim();
    s = s.slice(0, c.index);
  }
  return { value: s.trim(), country, issued, expires };
}

function matchIdentifier(statement: string): RemarkIdentifier | null {
  const dc = statement.startsWith('Digital Currency Address - ') ? DIGITAL_CURRENCY.exec(statement) : null;
  if (dc && DIGITAL_CURRENCY_LABEL.test(dc[1])) {
    return { label: dc[1], type: 'cryptoWallet', value: dc[2], country: null, issued: null, expires: null };
  }
  const labels = LABELS_BY_FIRST_CHAR.get(statement[0]);
  if (!labels) return null;
  for (const label of labels) {
    if (statement.length > label.length && statement.startsWith(label) && statement[label.length] === ' ') {
      const parsed = parseIdentifierValue(statement.slice(label.length + 1));
      if (parsed.value === '') return null;
      return { label, type: OFAC_ID_LABELS[label], ...parsed };
    }
  }
  return null;
}

/**
 * `cutShort`: the remarks were cut at the column width and their continuation is missing, so the last
 * statement is incomplete ("a.k.a. 'WHOIS HACKIN"); it stays in the text but yields no fact.
 */
export function parseRemarks(remarks: string | null, opts: { cutShort?: boolean } = {}): RemarkFacts {
  const facts: RemarkFacts = {
    aliases: [],
    birthDates: [],
    birthPlaces: [],
    nationalities: [],
    citizenships: [],
    gender: null,
    identifiers: [],
    linkedTo: [],
  };
  if (!remarks) return facts;
  const statements = splitRemarks(remarks);
  // A cut right after a separator ("...ViezzGa;") leaves every statement whole.
  if (opts.cutShort && !/;\s*$/.test(remarks)) statements.pop();
  // Each pattern is tried only on a statement that starts as it must (a cheap test that every match
  // passes), in the same order as before: most statements are turned down without running the patterns.
  for (const raw of statements) {
    const statement = raw.startsWith('alt.') ? raw.replace(ALT_PREFIX, '') : raw;
    let m: RegExpExecArray | null;
    if (statement.charCodeAt(1) === DOT && (m = ALIAS_PREFIX.exec(statement))) {
      const name = stripQuotes(m[2]);
      // The legacy CSV does not say whether an alias is weak or strong (only the XML formats do).
      if (name) facts.aliases.push({ name, type: m[1] as AliasType, quality: null });
    } else if (statement.startsWith('Linked To:') && (m = LINKED_TO.exec(statement))) {
      facts.linkedTo.push(m[1].trim().replace(/\.$/, ''));
    } else if (statement.startsWith('DOB') && (m = DOB.exec(statement))) {
      facts.birthDates.push(m[1].trim());
    } else if (statement.startsWith('POB') && (m = POB.exec(statement))) {
      facts.birthPlaces.push(m[1].trim());
    } else if (statement.startsWith('nationality') && (m = NATIONALITY.exec(statement))) {
      facts.nationalities.push(m[1].trim());
    } else if (statement.startsWith('citizen') && (m = CITIZEN.exec(statement))) {
      facts.citizenships.push(m[1].trim());
    } else if (statement.startsWith('Gender') && (m = GENDER.exec(statement))) {
      facts.gender = m[1];
    } else {
      const id = matchIdentifier(statement);
      if (id) facts.identifiers.push(id);
    }
  }
  return facts;
}
