/**
 * FollowTheMoney JSON lines of a subgraph with its evidence (export-evidence.ts), so that OpenSanctions'
 * and Aleph's tools (and this project's own FtM import) read it. Names are checked against
 * followthemoney/schema/*.yaml:
 *
 * - a party is an entity of its kind's schema (the model's PARTY_KINDS ftm) with its name (and the
 *   caption), aliases (alias; weakAlias for weak ones; previousName for f.k.a.), birthDate, birthPlace,
 *   nationality, citizenship, gender, title (Person), country (others: an organisation's nationality is
 *   its country of registration), a vessel's flag, type, tonnage, grossRegisteredTonnage, notes (the
 *   remarks), program and programId (codes only), topics ["sanction"] while listed (a party under no
 *   program is not), publisher (the dataset's title),
 *   address (full text) and addressEntity (Address entities with full, street, city, country);
 * - an identifier is the property its type names on that kind (IDENTIFIER_TYPES ftm), or, when it has
 *   an issuing country or dates or no property fits, an entity of its `document` schema (Identification
 *   whose `type` is the model's type, Passport, CryptoWallet) with holder, number, country, startDate
 *   (issued), endDate (expires), summary (the source's label) and recordId; a legal entity also repeats
 *   a document's number in the generic idNumber, as OpenSanctions does. One identifier stated by several
 *   records or datasets is one document citing them all. A document's holder is a LegalEntity: a
 *   vessel's or aircraft's identifier is a property of its schema or words in its notes;
 * - a party's programs of one dataset are one Sanction entity (entity, program, programId, authority,
 *   listingDate when the source dates the designation, endDate when delisted, recordId,
 *   publisher);
 * - a link is an entity of its type's schema (LINK_FTM: Ownership owner -> asset, Directorship director ->
 *   organization, Family person -> relative, Associate person -> associate, UnknownLink subject ->
 *   object; an ASSOCIATE the FtM import made of a Membership, Employment or Representation goes back to
 *   it) with role or relationship (the wording), percentage, startDate, endDate, recordId and publisher.
 *
 * FtM's properties of type date and country hold ISO values only: dates the source writes otherwise
 * ("22 Apr 1973", "circa 1951", "1966 to 1968") are converted where the meaning is plain, countries become
 * ISO codes; what cannot be converted is kept in words in the party's notes, never dropped silently.
 *
 * Ranges: FtM says which schemata each end of a link may be (Ownership's asset is an Asset, so a Company,
 * Vessel or Airplane, never an Organization; Family and Associate join people; Directorship's
 * organization and Employment's employer an Organization). A party whose kind is less specific than an
 * end needs (a LegalEntity placeholder, an Organization that is owned) is written as the more specific
 * schema (Company, Person, Organization), as FtM's own merging of fragments would, decided from all its
 * links at once (decideSchemas), so the file does not depend on their order; a link whose ends cannot
 * fit its schema (a person owned, a family link to a company) is an UnknownLink with the same wording and
 * a summary naming the type it had.
 *
 * The ownership verdicts the other formats carry (export-ownership.ts) are not written here: FtM has no
 * property for a computed verdict, and its notes would not do: FtM lines are statements of sources, and
 * a reader of this file (our own FtM import among them: notes become the party's remarks) would take a
 * verdict of one day for a source's remark. What the verdicts are computed from is here: each stake is
 * an Ownership entity with its percentage, startDate and endDate, and each listing a Sanction.
 */
import { createHash } from 'node:crypto';
import { IDENTIFIER_TYPES, isIdentifierType, isLinkType, LINK_FTM, PARTY_KINDS, type LinkType, type PartyKind } from '../core/model';
import { isoCountryCode } from '../core/matching/countries';
import type { DatasetInfo, ExportEdge, ExportGraph, ExportIdentifier, ExportParty } from './export-evidence';
import { drain, drainAsync, type AtPause, type Parts } from './export-formats';

type Props = Record<string, string[]>;

interface FtmEntity {
  id: string;
  schema: string;
  caption?: string;
  datasets?: string[];
  target?: boolean;
  properties: Props;
}

/** An FtM entity id (letters, digits, "." and "-") that stays the same for the same statement in every export. */
function stableId(prefix: string, ...parts: (string | null | undefined)[]): string {
  return `${prefix}-${createHash('sha1').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 24)}`;
}

function add(props: Props, prop: string, ...values: (string | null | undefined)[]): void {
  for (const v of values) {
    if (v === null || v === undefined || v.trim() === '') continue;
    const list = (props[prop] ??= []);
    if (!list.includes(v)) list.push(v);
  }
}

// ---------------------------------------------------------------------------------------------------
// Values FtM types strictly: dates, countries, genders.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const month = (m: string): string | null => {
  const i = MONTHS.indexOf(m.slice(0, 3).toLowerCase());
  return i < 0 ? null : String(i + 1).padStart(2, '0');
};

/**
 * A date as the sources write it, in FtM's form (ISO 8601, as precise as the source: 1973, 1973-04,
 * 1973-04-22): "22 Apr 1973", "Apr 1973", "circa 1951" and "circa 07 Jul 1966" (the year), "1966 to 1968",
 * "1979-1982" and "01 Jan 1960 to 31 Dec 1962" (both ends). Null when the meaning is not plain.
 */
export function ftmDates(text: string): string[] | null {
  const dates = parseDates(text);
  // "1973-13-45" or "31 Feb 1973" is no date: FtM would refuse it, so it stays in words.
  return dates && dates.every(isCalendarDate) ? dates : null;
}

function isCalendarDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number);
  if (m === undefined) return true;
  if (m < 1 || m > 12) return false;
  if (d === undefined) return true;
  return d >= 1 && d === new Date(Date.UTC(y, m - 1, d)).getUTCDate();
}

function parseDates(text: string): string[] | null {
  const s = text.trim();
  let m: RegExpExecArray | null;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(s)) return [s];
  if ((m = /^(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})$/.exec(s)) && month(m[2])) return [`${m[3]}-${month(m[2])}-${m[1].padStart(2, '0')}`];
  if ((m = /^([A-Za-z]{3,9})\.? (\d{4})$/.exec(s)) && month(m[1])) return [`${m[2]}-${month(m[1])}`];
  if ((m = /^(\d{4})-(\d{4})$/.exec(s))) return [m[1], m[2]];
  // "circa 1951", "circa 07 Jul 1966", "circa 1979-1982": only the years are plain.
  if ((m = /^(?:circa|ca\.?|approximately|approx\.?) (.+)$/i.exec(s))) {
    const approx = ftmDates(m[1]);
    return approx ? [...new Set(approx.map((d) => d.slice(0, 4)))] : null;
  }
  // A range ("1966 to 1968", "01 Jan 1960 to 31 Dec 1962"): both ends, as precise as written.
  const ends = s.split(/ to /);
  if (ends.length === 2) {
    const [from, to] = ends.map((e) => (/ to /.test(e) ? null : ftmDates(e)));
    if (from?.length === 1 && to?.length === 1) return [from[0], to[0]];
  }
  return null;
}

const GENDERS = ['male', 'female', 'other'];

/**
 * Countries that no longer exist have no ISO 3166-1 code, but FtM's country type keeps their former
 * codes (ISO 3166-3 and the withdrawn "an"): followthemoney's territories suhh, yucs, cshh, an.
 */
const FORMER_COUNTRIES: Record<string, string> = {
  sovietunion: 'suhh',
  ussr: 'suhh',
  unionofsovietsocialistrepublics: 'suhh',
  yugoslavia: 'yucs',
  socialistfederalrepublicofyugoslavia: 'yucs',
  czechoslovakia: 'cshh',
  netherlandsantilles: 'an',
};

/** A country in FtM's form (an ISO code, lower case), or null when the name cannot be mapped. */
export function ftmCountry(name: string | null | undefined): string | null {
  if (!name) return null;
  return isoCountryCode(name) ?? FORMER_COUNTRIES[name.toLowerCase().replace(/[^a-z]/g, '')] ?? null;
}

/**
 * A program's code for programId (OFAC's SDGT, IRAN-EO13902, OpenSanctions' US-OFAC-SDN): one word of at
 * most 64 characters. A program the source names in words only goes in `program`, never in programId.
 */
export function isProgramCode(program: string): boolean {
  return program.length <= 64 && /^[\p{L}\p{N}][\p{L}\p{N}_.:/()[\]-]*$/u.test(program);
}

// ---------------------------------------------------------------------------------------------------
// Schemata and the ranges of link ends (followthemoney/schema/*.yaml).

/** The FtM schemata parties are written as, each with what it is (its ancestors and itself). */
const IS_A: Record<string, readonly string[]> = {
  LegalEntity: ['LegalEntity', 'Thing'],
  Person: ['Person', 'LegalEntity', 'Thing'],
  Organization: ['Organization', 'LegalEntity', 'Thing'],
  Company: ['Company', 'Organization', 'Asset', 'LegalEntity', 'Thing'],
  Vessel: ['Vessel', 'Vehicle', 'Asset', 'Thing'],
  Airplane: ['Airplane', 'Vehicle', 'Asset', 'Thing'],
};

/**
 * The schemata a party of each schema may be written as, in the order preferred on a tie: itself, then
 * the more specific ones FtM's merging of fragments would make of it.
 */
const CANDIDATES: Record<string, readonly string[]> = {
  LegalEntity: ['LegalEntity', 'Organization', 'Person', 'Company'],
  Organization: ['Organization', 'Company'],
};

const fits = (schema: string, range: string): boolean => (IS_A[schema] ?? []).includes(range);

interface LinkSchema {
  schema: string;
  source: string;
  target: string;
  wording: string;
  /** The ranges of the two ends. */
  ranges: [string, string];
}

const RANGES: Record<string, [string, string]> = {
  Ownership: ['LegalEntity', 'Asset'],
  Directorship: ['LegalEntity', 'Organization'],
  Family: ['Person', 'Person'],
  Associate: ['Person', 'Person'],
  UnknownLink: ['Thing', 'Thing'],
  Membership: ['LegalEntity', 'Organization'],
  // Employment.yaml: employee a Person, employer an Organization.
  Employment: ['Person', 'Organization'],
  Representation: ['LegalEntity', 'LegalEntity'],
};

/**
 * The FtM import (ingest/sources/ftm.meta.ts) reads Membership, Employment and Representation as
 * ASSOCIATE labelled "<Schema>: <role>"; those go back to their schema.
 */
const FROM_ASSOCIATE: Record<string, Omit<LinkSchema, 'ranges'>> = {
  Membership: { schema: 'Membership', source: 'member', target: 'organization', wording: 'role' },
  Employment: { schema: 'Employment', source: 'employee', target: 'employer', wording: 'role' },
  Representation: { schema: 'Representation', source: 'agent', target: 'client', wording: 'role' },
};

function linkSchema(type: LinkType, label: string | null): { spec: LinkSchema; wording: string | null } {
  const m = /^(Membership|Employment|Representation)(?:: (.*))?$/s.exec(label ?? '');
  if (type === 'ASSOCIATE' && m) {
    const spec = FROM_ASSOCIATE[m[1]];
    return { spec: { ...spec, ranges: RANGES[spec.schema] }, wording: m[2] ?? null };
  }
  const spec = LINK_FTM[type];
  return { spec: { ...spec, ranges: RANGES[spec.schema] }, wording: label };
}

// ---------------------------------------------------------------------------------------------------
// The lines.

/** Every so many entities, the async writer lets the event loop answer others (a 5,000-node export). */
const STEP = 100;

/**
 * The schema of each party, decided from all its links at once, so the file does not depend on the order
 * the links come in: of the schemata the party may be (CANDIDATES), the one that fits the most link ends
 * (ties: the least specific). A link whose ends still do not fit becomes an UnknownLink.
 */
export function decideSchemas(parties: readonly ExportParty[], edges: readonly ExportEdge[]): Map<string, string> {
  const needs = new Map<string, string[]>();
  const need = (id: string, range: string) => needs.set(id, [...(needs.get(id) ?? []), range]);
  const known = new Set(parties.map((p) => p.id));
  for (const e of edges) {
    if (!isLinkType(e.type) || !known.has(e.source) || !known.has(e.target)) continue;
    const { spec } = linkSchema(e.type, e.label ?? null);
    need(e.source, spec.ranges[0]);
    need(e.target, spec.ranges[1]);
  }
  const schemaOf = new Map<string, string>();
  for (const p of parties) {
    const own = PARTY_KINDS[p.kind].ftm;
    const ranges = needs.get(p.id) ?? [];
    let best: string = own;
    let bestCount = -1;
    for (const c of CANDIDATES[own] ?? [own]) {
      const count = ranges.filter((r) => fits(c, r)).length;
      if (count > bestCount) [best, bestCount] = [c, count];
    }
    schemaOf.set(p.id, best);
  }
  return schemaOf;
}

/** The FtM lines of an export, built whole (tests, small exports). */
export function ftmLines(g: ExportGraph): string {
  return drain(ftmParts(g)).join('');
}

/** The FtM lines of an export, letting the event loop run between steps (the HTTP export). */
export async function ftmLinesAsync(g: ExportGraph, atPause?: AtPause): Promise<string> {
  return (await drainAsync(ftmParts(g), atPause)).join('');
}

function* ftmParts(g: ExportGraph): Parts<string> {
  const datasets = new Map<string, DatasetInfo>(g.datasets.map((d) => [d.name, d]));
  const publisher = (dataset: string | null) => (dataset ? (datasets.get(dataset)?.title ?? dataset) : null);
  const parties = [...g.parties.values()];
  const schemaOf = decideSchemas(parties, g.edges);
  const line = (e: FtmEntity) => JSON.stringify(e) + '\n';

  const addresses = new Map<string, FtmEntity>();
  const extra: FtmEntity[] = [];
  let n = 0;
  for (const p of parties) {
    yield line(partyEntity(p, schemaOf.get(p.id)!, publisher, addresses, extra));
    if (++n % STEP === 0) yield null;
  }
  // Address nodes of the subgraph that no exported party states (e.g. an address exported on its own).
  for (const f of g.facts.values()) {
    if (f.kind !== 'Address' || addresses.has(f.id)) continue;
    const full = f.fields.full ?? f.id;
    addresses.set(f.id, addressEntity(f.id, { full, street: f.fields.street ?? null, city: f.fields.city ?? null, country: f.fields.country ?? null }));
  }
  for (const e of [...addresses.values(), ...extra]) {
    yield line(e);
    if (++n % STEP === 0) yield null;
  }
  // Two statements of one link that share an id (the same wording, ends and dataset, and no source id or
  // record to tell them apart) are one entity with both statements' properties.
  const links = new Map<string, FtmEntity>();
  for (const e of g.edges) {
    if (!isLinkType(e.type) || !schemaOf.has(e.source) || !schemaOf.has(e.target)) continue;
    const link = linkEntity(e, e.type, schemaOf, publisher);
    const seen = links.get(link.id);
    if (seen) for (const [prop, values] of Object.entries(link.properties)) add(seen.properties, prop, ...values);
    else links.set(link.id, link);
  }
  for (const e of links.values()) {
    yield line(e);
    if (++n % STEP === 0) yield null;
  }
}

function addressEntity(key: string, a: { full: string; street: string | null; city: string | null; country: string | null }): FtmEntity {
  const properties: Props = {};
  add(properties, 'full', a.full);
  add(properties, 'street', a.street);
  add(properties, 'city', a.city);
  add(properties, 'country', ftmCountry(a.country));
  return { id: stableId('addr', key), schema: 'Address', caption: a.full, properties };
}

function partyEntity(
  p: ExportParty,
  schema: string,
  publisher: (dataset: string | null) => string | null,
  addresses: Map<string, FtmEntity>,
  extra: FtmEntity[],
): FtmEntity {
  const props: Props = {};
  /** What FtM's strict types cannot hold, kept in words in the notes. */
  const inWords: string[] = [];
  add(props, 'name', p.name);
  for (const a of p.aliases) {
    if (a.name === p.name) continue;
    add(props, a.type === 'f.k.a.' ? 'previousName' : a.quality === 'weak' ? 'weakAlias' : 'alias', a.name);
  }
  const person = schema === 'Person';
  const dates = (prop: string, what: string, values: string[]) => {
    for (const v of values) {
      const iso = ftmDates(v);
      if (iso && person) add(props, prop, ...iso);
      else inWords.push(`${what}: ${v}`);
    }
  };
  const countries = (prop: string, what: string, values: string[]) => {
    for (const v of values) {
      const code = ftmCountry(v);
      if (code) add(props, prop, code);
      else inWords.push(`${what}: ${v}`);
    }
  };
  dates('birthDate', 'Date of birth', p.birthDates);
  if (person) {
    add(props, 'birthPlace', ...p.birthPlaces);
    countries('nationality', 'Nationality', p.nationalities);
    countries('citizenship', 'Citizenship', p.citizenships);
    add(props, 'title', ...p.titles);
    if (p.gender && GENDERS.includes(p.gender.toLowerCase())) add(props, 'gender', p.gender.toLowerCase());
    else if (p.gender) inWords.push(`Gender: ${p.gender}`);
  } else {
    for (const v of p.birthPlaces) inWords.push(`Place of birth: ${v}`);
    for (const v of p.titles) inWords.push(`Title: ${v}`);
    if (p.gender) inWords.push(`Gender: ${p.gender}`);
    countries('country', 'Country', [...p.nationalities, ...p.citizenships]);
  }
  if (p.vessel && schema === 'Vessel') {
    add(props, 'type', p.vessel.type);
    add(props, 'tonnage', p.vessel.tonnage);
    add(props, 'grossRegisteredTonnage', p.vessel.grossTonnage);
    add(props, 'callSign', p.vessel.callSign);
    if (p.vessel.flag) countries('flag', 'Flag', [p.vessel.flag]);
    // Vehicle.owner is an entity reference (and deprecated for Ownership links): the source's owner name
    // stays in words.
    if (p.vessel.owner) inWords.push(`Owner: ${p.vessel.owner}`);
  }

  // Defensive: an entry without a program name is no listing (export-evidence drops those already).
  const stated = p.programs.filter((g) => g.program);
  const programs = [...new Set(stated.map((g) => g.program))];
  add(props, 'program', ...programs);
  add(props, 'programId', ...programs.filter(isProgramCode));
  const listed = programs.length > 0 && !p.placeholder && !p.delistedOn;
  if (listed) add(props, 'topics', 'sanction');
  add(props, 'publisher', publisher(p.source.dataset));

  for (const a of p.addresses) {
    if (!addresses.has(a.id)) addresses.set(a.id, addressEntity(a.id, a));
    add(props, 'addressEntity', addresses.get(a.id)!.id);
    add(props, 'address', a.full);
  }
  // One identifier stated by two records or datasets is one FtM document (its id is the holder's and the
  // identifier's), citing both.
  const byId = new Map<string, ExportIdentifier[]>();
  for (const i of p.identifiers) byId.set(i.id, [...(byId.get(i.id) ?? []), i]);
  for (const statements of byId.values()) identifier(p, schema, statements, props, extra, inWords);

  // One Sanction a dataset that lists the party under its programs.
  const byDataset = new Map<string, typeof stated>();
  for (const g of stated) byDataset.set(g.dataset ?? '', [...(byDataset.get(g.dataset ?? '') ?? []), g]);
  for (const [dataset, gs] of byDataset) {
    const s: Props = {};
    const names = [...new Set(gs.map((g) => g.program))];
    add(s, 'entity', p.id);
    add(s, 'program', ...names);
    add(s, 'programId', ...names.filter(isProgramCode));
    add(s, 'authority', publisher(dataset || null));
    add(s, 'publisher', publisher(dataset || null));
    // The designation date is the listingDate; startDate (Interval) would only repeat it.
    add(s, 'listingDate', p.listedOn ? ftmDates(p.listedOn)?.[0] : null);
    add(s, 'endDate', p.delistedOn ? ftmDates(p.delistedOn)?.[0] : null);
    add(s, 'recordId', ...gs.map((g) => g.record));
    extra.push({ id: stableId('sanction', p.id, dataset), schema: 'Sanction', caption: names.join(', '), properties: s });
  }

  const notes = [p.remarks, ...(inWords.length ? [inWords.join('; ')] : [])].filter((x): x is string => !!x);
  if (notes.length) props.notes = [notes.join('\n')];
  return { id: p.id, schema, caption: p.name, datasets: p.datasets, target: listed, properties: props };
}

/**
 * One identifier of a party (all the statements of it): a property of the party when one fits and
 * nothing more is known, else a document (Identification, Passport, CryptoWallet). A document's holder
 * must be a LegalEntity (Identification.yaml, CryptoWallet.yaml): a vessel's or aircraft's identifier is
 * the property its schema has (imoNumber, mmsi, callSign, registrationNumber, serialNumber) or words in
 * the notes, never a document.
 */
function identifier(p: ExportParty, schema: string, statements: ExportIdentifier[], props: Props, extra: FtmEntity[], inWords: string[]): void {
  const i = statements[0];
  const type = isIdentifierType(i.type) ? i.type : 'other';
  const spec = IDENTIFIER_TYPES[type];
  const ftm = spec.ftm as { property: string; kinds: readonly PartyKind[] } | null;
  const property = ftm && ftm.kinds.includes(p.kind) ? ftm.property : null;
  const countries = [...new Set(statements.map((x) => x.country).filter((x): x is string => !!x))];
  const dated = statements.some((x) => x.issued || x.expires);
  const what = i.label ?? type;
  if (!fits(schema, 'LegalEntity')) {
    if (property) add(props, property, i.value);
    else inWords.push(`${what}: ${i.value}`);
    for (const x of statements) {
      if (x.label && x.label !== what) inWords.push(`${x.label}: ${i.value}`);
      if (x.issued) inWords.push(`${x.label ?? type} ${i.value} issued: ${x.issued}`);
      if (x.expires) inWords.push(`${x.label ?? type} ${i.value} expires: ${x.expires}`);
    }
    for (const c of countries) inWords.push(`${what} ${i.value} country: ${c}`);
    return;
  }
  if (property && !countries.length && !dated) {
    add(props, property, i.value);
    return;
  }
  const d: Props = {};
  add(d, 'holder', p.id);
  if (spec.document === 'CryptoWallet') {
    add(d, 'publicKey', i.value);
    // OFAC's label says the currency: "Digital Currency Address - XBT".
    for (const x of statements) add(d, 'currencySymbol', /\b([A-Z]{3,5})$/.exec(x.label ?? '')?.[1]);
  } else {
    add(d, 'number', i.value);
    for (const c of countries) {
      const code = ftmCountry(c);
      if (code) add(d, 'country', code);
      else inWords.push(`${what} ${i.value} country: ${c}`);
    }
    add(d, 'type', type);
    for (const x of statements) {
      for (const [prop, date] of [['startDate', x.issued], ['endDate', x.expires]] as const) {
        if (!date) continue;
        const iso = ftmDates(date);
        if (iso) add(d, prop, iso[0]);
        else inWords.push(`${x.label ?? type} ${i.value} ${prop === 'startDate' ? 'issued' : 'expires'}: ${date}`);
      }
    }
  }
  add(d, 'summary', ...statements.map((x) => x.label));
  // Identification and Passport are Intervals, which cite a record; a CryptoWallet is a Thing, which has
  // no such property (the Sanction and the party's publisher still say where it comes from).
  if (spec.document !== 'CryptoWallet') add(d, 'recordId', ...statements.map((x) => x.record));
  extra.push({ id: stableId(spec.document.toLowerCase(), p.id, i.id), schema: spec.document, caption: i.value, properties: d });
  // The party's own line still shows the number (OpenSanctions does the same; the FtM import knows the copy).
  if (spec.document !== 'CryptoWallet') add(props, 'idNumber', i.value);
}

function linkEntity(e: ExportEdge, type: LinkType, schemaOf: Map<string, string>, publisher: (dataset: string | null) => string | null): FtmEntity {
  const { spec, wording } = linkSchema(type, e.label ?? null);
  const from = schemaOf.get(e.source)!;
  const to = schemaOf.get(e.target)!;
  const props: Props = {};
  let schema = spec.schema;
  if (fits(from, spec.ranges[0]) && fits(to, spec.ranges[1])) {
    add(props, spec.source, e.source);
    add(props, spec.target, e.target);
    add(props, spec.wording, wording);
  } else {
    const unknown = LINK_FTM.UNKNOWN_LINK;
    schema = unknown.schema;
    add(props, unknown.source, e.source);
    add(props, unknown.target, e.target);
    add(props, unknown.wording, e.label);
    add(props, 'summary', `${type} (FtM ${spec.schema} cannot join a ${from} and a ${to})`);
  }
  if (schema === 'Ownership') add(props, 'percentage', e.percentage);
  for (const [prop, date] of [['startDate', e.startDate], ['endDate', e.endDate]] as const) {
    const iso = date ? ftmDates(date) : null;
    if (iso) add(props, prop, iso[0]);
    else if (date) add(props, 'description', `${prop === 'startDate' ? 'Started' : 'Ended'}: ${date}`);
  }
  add(props, 'recordId', e.record);
  add(props, 'publisher', publisher(e.dataset ?? null));
  // The source's own id names the link; without one, its wording and record (two links of the same type
  // between the same parties in one dataset differ at least in where the source states them).
  const key = e.sourceId ? [e.sourceId] : [e.label, e.record];
  return { id: stableId('link', type, e.source, e.target, e.dataset, ...key), schema, properties: props };
}
