/**
 * FollowTheMoney entities -> the common model (server/core/model.ts): parties from the Thing schemata,
 * links from the relationship schemata, identifiers from properties and identity documents, addresses
 * from Address entities and address texts, programs and listing dates from Sanction entities. Which
 * schema and property becomes what is declared on the model (the FtM mapping of party kinds, link types
 * and identifier types) and, for FtM-only import knowledge, in ftm.meta.ts. Reading the files (merging
 * fragments, applying deltas) is ftm.ts.
 */
import type { AddressFact, AddressRecord, Alias, IdentifierFact, LinkRecord, ParsedRelease, PartyKind, PartyRecord, Provenance, Rejection } from '../../server/core/model';
import { isIdentifierType } from '../../server/core/model';
import { addressRecord, identifierRecord, nameKey, normaliseIdentifierValue } from '../../server/core/text/normalize';
import { isObject } from '../jsonl';
import { FTM_ALIAS_PROPS, FTM_COUNTRY_NAMES, FTM_DOCUMENTS, FTM_GENERIC_ID, FTM_LINKS, FTM_PARTY_KINDS, FTM_SCHEMATA, ftmIdentifierProps } from './ftm.meta';

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

const first = (e: FtmEntity, prop: string): string | null => e.properties[prop]?.[0] ?? null;
const all = (e: FtmEntity, prop: string): string[] => e.properties[prop] ?? [];
const unique = (xs: string[]): string[] => [...new Set(xs)];

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
function addressOf(a: FtmEntity, unknownCountries: Set<string>): AddressRecord | null {
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
// Mapping.

export type Mapped = Pick<ParsedRelease, 'parties' | 'addresses' | 'identifiers' | 'links' | 'rejected' | 'warnings'>;

export function mapEntities(entities: FtmEntity[], ctx: { dataset: string; release: string; mode: 'snapshot' | 'delta' }): Mapped {
  const byId = new Map(entities.map((e) => [e.id, e]));
  const prov = (e: FtmEntity): Provenance => ({ dataset: ctx.dataset, release: ctx.release, record: `${where(e.at)} (${e.id})` });
  const rejected: Rejection[] = [];
  const reject = (e: FtmEntity, reason: string) => rejected.push({ file: e.at.file, line: e.at.line, reason });
  const warnings: string[] = [];
  const unknownCountries = new Set<string>();
  const country = (code: string | null) => countryName(code, unknownCountries);
  const countries = (codes: string[]) => unique(codes.map((c) => country(c)!));

  // Parties first: everything else attaches to them.
  const parties = new Map<string, PartyRecord>();
  const sources = new Map<string, FtmEntity>();
  for (const e of entities) {
    const kind = FTM_PARTY_KINDS[e.schema];
    if (!kind) continue;
    const party = toParty(e, kind, prov(e), country, countries);
    if (typeof party === 'string') reject(e, party);
    else {
      parties.set(e.id, party);
      sources.set(e.id, e);
    }
  }

  const identifiers: IdentifierFact[] = [];
  const idKeys = new Set<string>();
  const addIdentifier = (fact: IdentifierFact) => {
    const k = `${fact.partyId}|${fact.identifier.key}`;
    if (idKeys.has(k)) return;
    idKeys.add(k);
    identifiers.push(fact);
  };
  // Each holder's document numbers whatever their type, to recognise a copy in the generic idNumber.
  const documentValues = new Map<string, Set<string>>();
  const anyValue = (v: string) => normaliseIdentifierValue('other', v);
  const links: LinkRecord[] = [];
  const unmapped = new Map<string, number>();
  let linksFromElsewhere = 0;
  let linksToElsewhere = 0;
  const listedDates = new Map<string, string>();

  for (const e of entities) {
    if (FTM_PARTY_KINDS[e.schema] || e.schema === 'Address') continue;
    const spec = FTM_LINKS[e.schema];
    const doc = FTM_DOCUMENTS[e.schema];
    if (spec) {
      const froms = all(e, spec.from);
      const tos = all(e, spec.to);
      if (!froms.length || !tos.length) {
        reject(e, `${e.schema} ${e.id} has no ${!froms.length ? spec.from : spec.to} (the FtM schema requires both ends); no link`);
        continue;
      }
      const wording = spec.wording.map((w) => first(e, w)).find((w): w is string => w !== null) ?? null;
      const label = spec.schemaInLabel ? (wording ? `${e.schema}: ${wording}` : e.schema) : (wording ?? e.schema);
      for (const from of froms) {
        for (const to of tos) {
          const other = [from, to].map((id) => byId.get(id)).find((x) => x && !FTM_PARTY_KINDS[x.schema]);
          if (other) {
            reject(e, `${e.schema} ${e.id}: ${other.id} is a ${other.schema}, which the model has no party kind for; no link`);
            continue;
          }
          if (!parties.has(from)) linksFromElsewhere++;
          if (!parties.has(to)) linksToElsewhere++;
          links.push({
            type: spec.type,
            from,
            // A target not in these files is kept: the loader makes it a placeholder until it is loaded.
            to: { id: to },
            label,
            percentage: e.schema === 'Ownership' ? first(e, 'percentage') : null,
            startDate: first(e, 'startDate'),
            endDate: first(e, 'endDate'),
            sourceId: e.id,
            provenance: prov(e),
          });
        }
      }
    } else if (e.schema === 'Sanction') {
      // Sanction.yaml: entity (required) is the sanctioned Thing; program is the regime's wording,
      // programId OpenSanctions' code for it (the same code across publishers), used when given.
      const targets = all(e, 'entity');
      if (!targets.length) reject(e, `Sanction ${e.id} names no entity (the FtM schema requires one)`);
      const programs = all(e, 'programId').length ? all(e, 'programId') : all(e, 'program');
      const listed = first(e, 'listingDate') ?? first(e, 'startDate');
      for (const t of targets) {
        const party = parties.get(t);
        if (!party) {
          reject(e, orphan(e, t, byId.get(t), 'its program is not recorded', ctx.mode));
          continue;
        }
        party.programs = unique([...party.programs, ...programs]);
        if (listed && (!listedDates.has(t) || listed < listedDates.get(t)!)) listedDates.set(t, listed);
      }
    } else if (doc) {
      const numbers = unique(doc.number.flatMap((p) => all(e, p)));
      const stated = e.schema === 'Identification' ? first(e, 'type') : null;
      const docType = stated && isIdentifierType(stated) ? stated : doc.type;
      const holders = all(e, doc.holder);
      if (!holders.length) reject(e, `${e.schema} ${e.id} names no ${doc.holder}; nothing to record`);
      else if (!numbers.length) reject(e, `${e.schema} ${e.id} of ${holders.join(', ')} has no number; nothing to record`);
      // A wallet's chain is its `currency` ("ETH"): worded as OFAC labels it, which identifierRecord reads
      // for the wallet's normalisation (walletChain; an EVM address written without its 0x).
      const currency = e.schema === 'CryptoWallet' ? first(e, 'currency') : undefined;
      const walletLabel = currency ? `Digital Currency Address - ${currency.trim().toUpperCase()}` : null;
      for (const h of numbers.length ? holders : []) {
        if (!parties.has(h)) {
          reject(e, orphan(e, h, byId.get(h), 'its number is not recorded', ctx.mode));
          continue;
        }
        for (const n of numbers) {
          const values = documentValues.get(h) ?? new Set<string>();
          documentValues.set(h, values.add(anyValue(n)));
          addIdentifier({
            partyId: h,
            identifier: identifierRecord(docType, n, country(first(e, 'country')), walletLabel ?? e.schema),
            label: e.schema,
            issued: first(e, 'startDate') ?? first(e, 'issueDate'),
            expires: first(e, 'endDate') ?? first(e, 'expiryDate'),
            provenance: prov(e),
          });
        }
      }
    } else {
      unmapped.set(e.schema, (unmapped.get(e.schema) ?? 0) + 1);
    }
  }
  for (const [id, date] of listedDates) parties.get(id)!.listedOn = date;

  // Facts the parties state themselves: identifiers and addresses.
  const addresses: AddressFact[] = [];
  const usedAddresses = new Set<string>();
  let unresolvedAddresses = 0;
  let partiesWithoutAddress = 0;
  for (const [id, party] of parties) {
    const e = sources.get(id)!;
    const specs = ftmIdentifierProps(party.kind);
    const own: IdentifierFact[] = [];
    for (const [prop, spec] of Object.entries(specs)) {
      for (const raw of all(e, prop)) {
        for (const value of spec.split ? raw.split(/\s*;\s*/) : [raw]) {
          if (!value.trim()) continue;
          own.push({
            partyId: id,
            identifier: identifierRecord(spec.type, value, spec.country ? country(spec.country) : null, prop),
            label: prop,
            issued: null,
            expires: null,
            provenance: party.provenance,
          });
        }
      }
    }
    // OpenSanctions copies a Russian INN into taxNumber too: one identifier, with its country, not two.
    const withCountry = new Set(own.filter((f) => f.identifier.country).map((f) => `${f.identifier.type}|${normaliseIdentifierValue(f.identifier.type, f.identifier.value)}`));
    // A number in the generic idNumber that a document of the holder (Identification, Passport) gives
    // with its type and country is that document, not a second identifier (this project's FtM export
    // writes both, so that the party's line alone still shows its numbers).
    const documented = documentValues.get(id);
    for (const f of own) {
      if (!f.identifier.country && withCountry.has(`${f.identifier.type}|${normaliseIdentifierValue(f.identifier.type, f.identifier.value)}`)) continue;
      if (f.label === FTM_GENERIC_ID && documented?.has(anyValue(f.identifier.value))) continue;
      addIdentifier(f);
    }

    // Address entities (addressEntity) first; the `address` strings repeat their full text (OpenSanctions
    // copies it there), so a string already given by an entity is not a second address.
    const keys = new Set<string>();
    const texts = new Set<string>();
    const add = (address: AddressRecord, provenance: Provenance) => {
      if (keys.has(address.key)) return;
      keys.add(address.key);
      addresses.push({ partyId: id, address, provenance });
    };
    let unresolved = 0;
    for (const ref of all(e, 'addressEntity')) {
      const a = byId.get(ref);
      if (!a || a.schema !== 'Address') {
        unresolved++;
        continue;
      }
      usedAddresses.add(ref);
      const rec = addressOf(a, unknownCountries);
      if (!rec) continue;
      for (const f of all(a, 'full')) texts.add(nameKey(f));
      add(rec, prov(a));
    }
    for (const text of all(e, 'address')) {
      if (texts.has(nameKey(text))) continue;
      texts.add(nameKey(text));
      add(addressRecord(text, null, null), party.provenance);
    }
    unresolvedAddresses += unresolved;
    if (unresolved && all(e, 'address').length === 0) partiesWithoutAddress++;
  }

  // What was read but not loaded, in one sentence each.
  if (unresolvedAddresses) {
    warnings.push(
      `${unresolvedAddresses} addressEntity references point to Address entities not in these files` +
        (partiesWithoutAddress
          ? `; ${partiesWithoutAddress} of the parties holding them have no address text either, so their address is missing`
          : "; the parties' address texts, which repeat them, were loaded instead"),
    );
  }
  const unusedAddresses = entities.filter((e) => e.schema === 'Address' && !usedAddresses.has(e.id));
  if (unusedAddresses.length) {
    warnings.push(
      `${unusedAddresses.length} Address entities are not the address of any party in these files and were not loaded` +
        `${ctx.mode === 'delta' ? ' (a delta cannot change the address of a party it does not restate)' : ''}: ` +
        unusedAddresses.slice(0, 5).map((a) => `${where(a.at)} (${a.id})`).join(', ') + (unusedAddresses.length > 5 ? ', ...' : ''),
    );
  }
  if (unmapped.size) {
    warnings.push(
      `entities of schemata the model has no place for were not loaded: ${[...unmapped].map(([s, n]) => `${s} ${n}`).join(', ')}`,
    );
  }
  if (linksFromElsewhere) {
    warnings.push(`${linksFromElsewhere} links start at a party that is not in these files: they load only if that party is already in the graph`);
  }
  if (linksToElsewhere) warnings.push(`${linksToElsewhere} links point to a party that is not in these files: it becomes a placeholder until loaded`);
  if (unknownCountries.size) warnings.push(`unknown country codes, kept as written: ${[...unknownCountries].sort().join(', ')}`);

  return { parties: [...parties.values()], addresses, identifiers, links, rejected, warnings };
}

function orphan(e: FtmEntity, target: string, known: FtmEntity | undefined, lost: string, mode: 'snapshot' | 'delta'): string {
  if (known) return `${e.schema} ${e.id} is on ${known.schema} ${target}, which the model has no party kind for; ${lost}`;
  return (
    `orphan: ${e.schema} ${e.id} is on ${target}, which is not in these files; ${lost}` +
    (mode === 'delta' ? ' (a delta cannot add to a party it does not restate)' : '')
  );
}

/** A party from a Thing entity, or the reason it cannot be one. */
function toParty(
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
