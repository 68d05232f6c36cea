/**
 * A screening request as a caller sends it (GraphQL ScreenInput, or the JSON body of POST /api/screen),
 * checked and read: every refusal is a BadInputError (BAD_USER_INPUT) that names the field and says
 * what to send instead. Pure: no database.
 */
import { BadInputError } from '../errors';
import { IDENTIFIER_TYPE_NAMES, isPartyKind, PARTY_KIND_NAMES, type IdentifierType, type PartyKind } from '../model';
import { parseBirthDate } from '../matching/dates';
import { recogniseIdentifierType } from '../text/normalize';

export const SCREEN_LIMITS = {
  /** Characters of a name, kind, birth date, country or identifier value. */
  textLength: 200,
  /** Identifiers of one input. */
  identifiers: 20,
  /** Matches of one request (`first`). */
  first: 50,
};

export interface ScreenIdentifier {
  type: IdentifierType;
  /** Whether the caller named the type (a conflicting passport counts only then). */
  typeGiven: boolean;
  value: string;
  country: string | null;
}

export interface ScreenRequest {
  name: string | null;
  kind: PartyKind | null;
  birthDate: string | null;
  country: string | null;
  identifiers: ScreenIdentifier[];
}

/** Kinds as callers write them, beside the model's names (compared lowercased). */
const KIND_WORDS: Record<string, PartyKind> = {
  individual: 'Person', person: 'Person', people: 'Person', human: 'Person',
  entity: 'Organization', organisation: 'Organization', organization: 'Organization', company: 'Company', business: 'Company',
  vessel: 'Vessel', ship: 'Vessel', aircraft: 'Aircraft', airplane: 'Aircraft', plane: 'Aircraft',
  legalentity: 'LegalEntity', unknown: 'LegalEntity',
};

/** Identifier types as callers write them, beside the model's names (compared lowercased, without spaces, dashes, underscores). */
const IDENTIFIER_WORDS: Record<string, IdentifierType> = {
  ...Object.fromEntries(IDENTIFIER_TYPE_NAMES.map((t) => [t.toLowerCase(), t])),
  mail: 'email', emailaddress: 'email', telephone: 'phone', tel: 'phone', fax: 'phone', phonenumber: 'phone', mobile: 'phone',
  wallet: 'cryptoWallet', crypto: 'cryptoWallet', cryptoaddress: 'cryptoWallet', digitalcurrencyaddress: 'cryptoWallet',
  url: 'website', web: 'website', site: 'website', domain: 'website',
  imo: 'imoNumber', tax: 'taxId', taxnumber: 'taxId', inn: 'taxId', vat: 'taxId',
  registration: 'registrationNumber', regno: 'registrationNumber', ogrn: 'registrationNumber',
  id: 'nationalId', nationalid: 'nationalId', idcard: 'nationalId', document: 'other', swift: 'swiftBic', bic: 'swiftBic', lei: 'leiCode',
};

function text(field: string, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new BadInputError(`${field} must be a string; got ${Array.isArray(v) ? 'a list' : typeof v}`);
  const t = v.trim();
  if (t.length > SCREEN_LIMITS.textLength) throw new BadInputError(`${field} must be at most ${SCREEN_LIMITS.textLength} characters; got ${t.length}`);
  return t === '' ? null : t;
}

function kindOf(v: string | null): PartyKind | null {
  if (v === null) return null;
  if (isPartyKind(v)) return v;
  const k = KIND_WORDS[v.toLowerCase().replace(/[\s_-]+/g, '')];
  if (!k) throw new BadInputError(`kind ${JSON.stringify(v)} is not one the lists use; send one of ${PARTY_KIND_NAMES.join(', ')} (or individual, entity, company, vessel), or leave it out`);
  return k;
}

/**
 * The forms a birth date may be typed in, each with the precision parseBirthDate must read it with (a
 * list's own text is read leniently, the years it names at worst; a caller's "31/31/1973" is refused).
 */
const DATE_FORMS: [RegExp, string][] = [
  [/^\d{4}$/, 'year'],
  [/^\d{4}-\d{2}$/, 'month'],
  [/^\d{4}-\d{2}-\d{2}$/, 'day'],
  [/^\d{1,2} [a-z]{3,9}\.? \d{4}$/i, 'day'],
  [/^[a-z]{3,9}\.? \d{4}$/i, 'month'],
  [/^\d{1,2}[./]\d{1,2}[./]\d{4}$/, 'day'],
  [/^(between )?\d{4} ?(-|to|and) ?\d{4}$/i, 'range'],
];

function birthDateOf(v: string | null): string | null {
  if (v === null) return null;
  const core = v.replace(/\s+/g, ' ').replace(/^(circa|approximately|approx\.?|about|around|ca\.|c\.) ?/i, '');
  const precision = DATE_FORMS.find(([re]) => re.test(core))?.[1];
  const span = precision ? parseBirthDate(core) : null;
  const thisYear = new Date().getUTCFullYear();
  if (!span || span.precision !== precision || Number(span.lo.slice(0, 4)) < 1850 || Number(span.hi.slice(0, 4)) > thisYear) {
    throw new BadInputError(`birthDate ${JSON.stringify(v)} is not a birth date; send a year or a date from 1850 to ${thisYear}: 1973, 1973-04-22, 22 Apr 1973, 22.04.1973 or circa 1973`);
  }
  return v;
}

function identifierTypeOf(field: string, v: string | null): IdentifierType | null {
  if (v === null) return null;
  const t = IDENTIFIER_WORDS[v.toLowerCase().replace(/[\s_.-]+/g, '')];
  if (!t) throw new BadInputError(`${field} ${JSON.stringify(v)} is not an identifier type; send one of ${IDENTIFIER_TYPE_NAMES.join(', ')}, or leave it out to have it recognised from the value`);
  return t;
}

/** The request, checked (see the file comment). */
export function parseScreenInput(raw: unknown): ScreenRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BadInputError('input must be an object {name, kind, birthDate, country, identifiers}');
  const o = raw as Record<string, unknown>;
  const known = new Set(['name', 'kind', 'birthDate', 'country', 'identifiers']);
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length) throw new BadInputError(`input has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  const rawIds = o.identifiers ?? [];
  if (!Array.isArray(rawIds)) throw new BadInputError('identifiers must be a list of {type, value, country}');
  if (rawIds.length > SCREEN_LIMITS.identifiers) throw new BadInputError(`identifiers may hold at most ${SCREEN_LIMITS.identifiers} values; got ${rawIds.length}: screen the rest in another request`);
  const identifiers = rawIds.map((x, i): ScreenIdentifier => {
    const field = `identifiers[${i}]`;
    if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new BadInputError(`${field} must be an object {type, value, country}`);
    const id = x as Record<string, unknown>;
    const extra = Object.keys(id).filter((k) => !['type', 'value', 'country'].includes(k));
    if (extra.length) throw new BadInputError(`${field} has unknown field ${extra.join(', ')}; known: type, value, country`);
    const value = text(`${field}.value`, id.value);
    if (value === null) throw new BadInputError(`${field}.value must not be empty`);
    const given = identifierTypeOf(`${field}.type`, text(`${field}.type`, id.type));
    return { type: given ?? recogniseIdentifierType(value), typeGiven: given !== null, value, country: text(`${field}.country`, id.country) };
  });
  const name = text('name', o.name);
  if (name === null && identifiers.length === 0) throw new BadInputError('input must hold a name or at least one identifier');
  return { name, kind: kindOf(text('kind', o.kind)), birthDate: birthDateOf(text('birthDate', o.birthDate)), country: text('country', o.country), identifiers };
}
