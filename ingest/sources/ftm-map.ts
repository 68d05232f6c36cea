/**
 * FollowTheMoney entities -> the common model (server/core/model.ts): parties from the Thing schemata,
 * links from the relationship schemata, identifiers from properties and identity documents, addresses
 * from Address entities and address texts, programs and listing dates from Sanction entities. Which
 * schema and property becomes what is declared on the model (the FtM mapping of party kinds, link types
 * and identifier types) and, for FtM-only import knowledge, in ftm.meta.ts. This file maps one entity
 * at a time; ftm.ts reads the files, and ftm-join.ts puts each entity together with the entities that
 * refer to it (merging fragments, applying deltas, attaching sanctions, documents and addresses).
 */
import type { AddressRecord, Alias, PartyKind, PartyRecord, Provenance } from '../../server/core/model';
import { addressRecord, nameKey } from '../../server/core/text/normalize';
import { isObject } from '../jsonl';
import { FTM_ALIAS_PROPS, FTM_COUNTRY_NAMES, FTM_SCHEMATA } from './ftm.meta';

export interface At {
  file: string;
  line: number;
}

export interface FtmEntity {
  id: string;
  schema: string;
  caption: string | null;
  properties: Record<string, string[]>;
  datasets: string[];
  lastSeen: string | null;
  /** Where it was read (the first fragment, for a merged entity). */
  at: At;
}

export const where = (at: At) => `${at.file}:${at.line}`;

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** An entity from its JSON object, or the reason it cannot be one. */
export function toEntity(v: unknown, at: At): FtmEntity | string {
  if (!isObject(v)) return 'is not a JSON object';
  const id = typeof v.id === 'string' ? v.id.trim() : '';
  if (!id) return 'entity without an id (FtM requires one)';
  if (typeof v.schema !== 'string' || v.schema === '') return `entity ${id} has no schema (FtM requires one)`;
  if (!Object.hasOwn(FTM_SCHEMATA, v.schema)) return `entity ${id}: ${JSON.stringify(v.schema)} is not a FollowTheMoney schema`;
  // No prototype: a property named "__proto__" in the file is just a property.
  const properties: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  if (isObject(v.properties)) {
    for (const [k, raw] of Object.entries(v.properties)) {
      const values = strings(raw).map((s) => s.trim()).filter(Boolean);
      if (values.length) properties[k] = values;
    }
  }
  return {
    id,
    schema: v.schema,
    caption: typeof v.caption === 'string' && v.caption.trim() ? v.caption.trim() : null,
    properties,
    datasets: strings(v.datasets),
    lastSeen: typeof v.last_seen === 'string' ? v.last_seen : null,
    at,
  };
}

/** FtM merge of two fragments of one id (the schemata are known to be compatible). */
export function merge(into: FtmEntity, other: FtmEntity, schema: string): void {
  into.schema = schema;
  into.caption ??= other.caption;
  for (const [k, values] of Object.entries(other.properties)) {
    into.properties[k] = [...new Set([...(into.properties[k] ?? []), ...values])];
  }
  into.datasets = [...new Set([...into.datasets, ...other.datasets])];
  if (other.lastSeen && (!into.lastSeen || other.lastSeen > into.lastSeen)) into.lastSeen = other.lastSeen;
}

// ---------------------------------------------------------------------------------------------------
// Values.

export const first = (e: Pick<FtmEntity, 'properties'>, prop: string): string | null => e.properties[prop]?.[0] ?? null;
export const all = (e: Pick<FtmEntity, 'properties'>, prop: string): string[] => e.properties[prop] ?? [];
export const unique = (xs: string[]): string[] => [...new Set(xs)];

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * FtM writes countries as lowercase ISO 3166-1 codes ("ru") plus a few of its own ("suhh", "ua-cri").
 * The model stores country names as the sources write them (OFAC: "Russia"; identifier keys and the
 * explorer's country filter compare names), so codes become English names (CLDR, as FtM's own labels).
 * An unknown code is kept as written and reported.
 */
export function countryName(code: string | null, unknown?: Set<string>): string | null {
  if (!code) return null;
  const c = code.trim().toLowerCase();
  if (Object.hasOwn(FTM_COUNTRY_NAMES, c)) return FTM_COUNTRY_NAMES[c];
  if (/^[a-z]{2}$/.test(c)) {
    const name = REGION_NAMES.of(c.toUpperCase());
    if (name && name.toUpperCase() !== c.toUpperCase()) return name;
  }
  unknown?.add(code);
  return code;
}

function capitalise(s: string | null): string | null {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : null;
}

/** An Address entity's parts (Address.yaml: full, street, street2, postOfficeBox, city, region, postalCode, country). */
export function addressOf(a: FtmEntity, unknownCountries: Set<string>): AddressRecord | null {
  const join = (parts: (string | null)[]) => parts.filter((p): p is string => !!p).join(', ') || null;
  const full = first(a, 'full');
  const street = join([first(a, 'street'), first(a, 'street2'), first(a, 'postOfficeBox')]);
  // One "city" field like OFAC's "City/State/Province/Postal Code".
  const city = join([first(a, 'city'), first(a, 'region'), first(a, 'postalCode')]);
  const country = countryName(first(a, 'country'), unknownCountries);
  if (!full && !street && !city) return null;
  // The key comes from the parts when the publisher gave them, else from the full text; the text shown
  // is the publisher's full address when there is one.
  const rec = street || city ? addressRecord(street, city, country) : addressRecord(full, null, country);
  return full ? { ...rec, full } : rec;
}

// ---------------------------------------------------------------------------------------------------
// Mapping one entity (ftm-join.ts puts an entity together with what refers to it).

/** Why a Sanction or document on `target` attaches to nothing: `known` is the target when it is in these files. */
export function orphan(e: Pick<FtmEntity, 'schema' | 'id'>, target: string, known: Pick<FtmEntity, 'schema'> | undefined, lost: string, mode: 'snapshot' | 'delta'): string {
  if (known) return `${e.schema} ${e.id} is on ${known.schema} ${target}, which the model has no party kind for; ${lost}`;
  return (
    `orphan: ${e.schema} ${e.id} is on ${target}, which is not in these files; ${lost}` +
    (mode === 'delta' ? ' (a delta cannot add to a party it does not restate)' : '')
  );
}

/** A party from a Thing entity, or the reason it cannot be one. */
export function toParty(
  e: FtmEntity,
  kind: PartyKind,
  provenance: Provenance,
  country: (code: string | null) => string | null,
  countries: (codes: string[]) => string[],
): PartyRecord | string {
  // The caption is OpenSanctions' display name (one of the names); an entity without a name gets its
  // schema's label as caption, which is no name.
  const caption = e.caption && e.caption !== e.schema ? e.caption : null;
  const name = caption ?? first(e, 'name');
  if (!name) return `${e.schema} ${e.id} has no name (FtM Thing requires one)`;

  const aliases: Alias[] = [];
  const seen = new Set([nameKey(name)]);
  // previousName first: a name that is also among the other names is a former one (f.k.a.).
  for (const prop of ['previousName', 'name', 'alias', 'weakAlias', 'abbreviation']) {
    const spec = FTM_ALIAS_PROPS[prop];
    for (const n of all(e, prop)) {
      const k = nameKey(n);
      if (k === '' || seen.has(k)) continue;
      seen.add(k);
      aliases.push({ name: n, type: spec.type, quality: spec.quality });
    }
  }

  const remarks = unique([
    ...all(e, 'summary'),
    ...all(e, 'description'),
    ...all(e, 'notes'),
    // Position and topics have no field in the model; they are worth reading, so they join the remarks.
    ...all(e, 'position').map((p) => `Position: ${p}`),
    ...(all(e, 'topics').length ? [`Topics: ${all(e, 'topics').join(', ')}`] : []),
  ]);

  return {
    id: e.id,
    kind,
    name,
    aliases,
    // OpenSanctions also writes programId on the listed entity itself (else, as this project's export
    // does, the program's own wording in Thing.program); Sanction entities add theirs.
    programs: unique(all(e, 'programId').length ? all(e, 'programId') : all(e, 'program')),
    birthDates: unique(all(e, 'birthDate')),
    birthPlaces: unique(all(e, 'birthPlace')),
    // For an organisation the model's nationality is its country of registration (OFAC XML:
    // "Nationality of Registration"): FtM's jurisdiction, else its main country.
    nationalities: kind === 'Person' ? countries(all(e, 'nationality')) : countries([...all(e, 'jurisdiction'), ...all(e, 'country')]),
    citizenships: kind === 'Person' ? countries(all(e, 'citizenship')) : [],
    // FtM writes "male"/"female"/"other"; OFAC "Male"/"Female".
    gender: capitalise(first(e, 'gender')),
    titles: unique(all(e, 'title')),
    remarks: remarks.length ? remarks.join('\n') : null,
    listedOn: null,
    vessel:
      kind === 'Vessel'
        ? {
            callSign: first(e, 'callSign'),
            type: first(e, 'type'),
            tonnage: first(e, 'tonnage'),
            grossTonnage: first(e, 'grossRegisteredTonnage'),
            flag: country(first(e, 'flag')),
            // Vehicle.owner is an entity id, not a name; ownership comes as Ownership entities.
            owner: null,
          }
        : null,
    provenance,
  };
}
