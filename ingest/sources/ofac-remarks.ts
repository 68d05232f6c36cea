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

const LABELS_LONGEST_FIRST = Object.keys(OFAC_ID_LABELS).sort((a, b) => b.length - a.length);

const ALIAS_PREFIX = /^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.|d\.b\.a\.)\s+(.*)$/;

/** Splits remarks into statements. Statements are separated by ";" (sometimes without a space). */
export function splitRemarks(remarks: string): string[] {
  const text = remarks.trim().replace(/\.$/, '');
  return text
    .split(/;\s*/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
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
  const dc = /^(Digital Currency Address - [A-Z0-9]+)\s+(\S+)/.exec(statement);
  if (dc && DIGITAL_CURRENCY_LABEL.test(dc[1])) {
    return { label: dc[1], type: 'cryptoWallet', value: dc[2], country: null, issued: null, expires: null };
  }
  for (const label of LABELS_LONGEST_FIRST) {
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
  for (const raw of statements) {
    const statement = raw.replace(/^alt\.\s+/, '');
    let m: RegExpExecArray | null;
    if ((m = ALIAS_PREFIX.exec(statement))) {
      const name = stripQuotes(m[2]);
      // The legacy CSV does not say whether an alias is weak or strong (only the XML formats do).
      if (name) facts.aliases.push({ name, type: m[1] as AliasType, quality: null });
    } else if ((m = /^Linked To:\s*(.+)$/.exec(statement))) {
      facts.linkedTo.push(m[1].trim().replace(/\.$/, ''));
    } else if ((m = /^DOB\s+(.+)$/.exec(statement))) {
      facts.birthDates.push(m[1].trim());
    } else if ((m = /^POB\s+(.+)$/.exec(statement))) {
      facts.birthPlaces.push(m[1].trim());
    } else if ((m = /^nationality\s+(.+)$/.exec(statement))) {
      facts.nationalities.push(m[1].trim());
    } else if ((m = /^citizen\s+(.+)$/.exec(statement))) {
      facts.citizenships.push(m[1].trim());
    } else if ((m = /^Gender\s+(\w+)$/.exec(statement))) {
      facts.gender = m[1];
    } else {
      const id = matchIdentifier(statement);
      if (id) facts.identifiers.push(id);
    }
  }
  return facts;
}
