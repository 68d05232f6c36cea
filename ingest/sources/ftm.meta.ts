/**
 * Metadata of OpenSanctions' FollowTheMoney (FtM) exports, kept as data beside the parser (ftm.ts):
 * which FtM schemata become parties, links and facts, and which properties carry identifiers.
 *
 * Format: FtM entities as JSON lines (`entities.ftm.json`), one entity a line:
 *   {"id", "caption", "schema", "properties": {prop: [string, ...]}, "datasets", "referents", "target",
 *    "first_seen", "last_seen", "last_change"}
 * and OpenSanctions delta files (`<version>.entities.delta.json`), one operation a line:
 *   {"op": "ADD" | "MOD" | "DEL", "entity": {...}}   (DEL carries only the entity's id)
 * with a `delta.json` index ({"versions": {version: url}, "updated_at"}).
 * Schema: https://followthemoney.tech/explorer/ (the YAML files in followthemoney/schema/).
 * Deltas: https://www.opensanctions.org/faq/80/bulk-deltas/ ("apply the delta files of each version in
 * the order in which they were released").
 */
import { identifierTypeOfFtm, IDENTIFIER_TYPE_NAMES, IDENTIFIER_TYPES, LINK_FTM, LINK_TYPES, PARTY_KIND_NAMES, PARTY_KINDS } from '../../server/core/model';
import type { AliasQuality, AliasType, IdentifierType, LinkType, PartyKind } from '../../server/core/model';

export const FTM_PUBLISHER = 'OpenSanctions (FollowTheMoney entities; CC BY-NC 4.0)';

/** Dataset name prefix: `opensanctions-<the entities' dataset>`, e.g. opensanctions-eu_fsf. */
export const FTM_DATASET_PREFIX = 'opensanctions';

/**
 * Every FtM schema with the schemata it extends (followthemoney/schema/*.yaml `extends`), so that a
 * fragment of an entity may be merged with another fragment of a compatible schema (FtM merges
 * LegalEntity + Company into Company, the more specific one) and an unknown schema name is caught.
 */
export const FTM_SCHEMATA: Record<string, readonly string[]> = {
  Thing: [],
  Value: [],
  Interval: [],
  Analyzable: [],
  LegalEntity: ['Thing'],
  Person: ['LegalEntity'],
  Organization: ['LegalEntity'],
  Company: ['Organization', 'Asset'],
  PublicBody: ['Organization'],
  Asset: ['Thing', 'Value'],
  Vehicle: ['Asset'],
  Vessel: ['Vehicle'],
  Airplane: ['Vehicle'],
  RealEstate: ['Asset'],
  Security: ['Asset'],
  BankAccount: ['Asset'],
  CryptoWallet: ['Thing', 'Value'],
  Address: ['Interval'],
  Sanction: ['Interval'],
  Identification: ['Interval'],
  Passport: ['Identification'],
  Interest: ['Interval'],
  Ownership: ['Interest'],
  Directorship: ['Interest'],
  Membership: ['Interest'],
  Employment: ['Interest'],
  Representation: ['Interest'],
  UnknownLink: ['Interest'],
  Succession: ['Interest'],
  Family: ['Interval'],
  Associate: ['Interval'],
  Occupancy: ['Interval'],
  Position: ['Thing'],
  // Schemata the model has no place for, listed so that their names are recognised (and reported as
  // not loaded rather than rejected as unknown). Only the ancestry that merging needs is kept.
  ...Object.fromEntries(
    [
      'Payment', 'Debt', 'Similar', 'Contract', 'ContractAward', 'License', 'Project', 'ProjectParticipant',
      'CourtCase', 'CourtCaseParty', 'Event', 'Trip', 'EconomicActivity', 'Assessment', 'TaxRoll', 'CallForTenders',
      'UserAccount', 'Note', 'Mention', 'Call', 'Message', 'Email', 'Document', 'Article', 'Folder', 'Package',
      'Workbook', 'Table', 'PlainText', 'HyperText', 'Pages', 'Page', 'Image', 'Video', 'Audio',
    ].map((s) => [s, []]),
  ),
};

/** Whether schema `a` is `b` or extends it (directly or not). */
export function schemaIsA(a: string, b: string): boolean {
  if (a === b) return true;
  return (FTM_SCHEMATA[a] ?? []).some((parent) => schemaIsA(parent, b));
}

/** The schema two fragments of one entity merge into (the more specific), or null if they conflict. */
export function commonSchema(a: string, b: string): string | null {
  if (schemaIsA(a, b)) return a;
  if (schemaIsA(b, a)) return b;
  return null;
}

/**
 * "Thing" schemata that become parties: each party kind's own schema (the model's PARTY_KINDS ftm,
 * where FtM's Airplane is the model's Aircraft), and PublicBody, which has no kind of its own in the
 * model: it is an Organization in FtM too.
 */
export const FTM_PARTY_KINDS: Record<string, PartyKind> = {
  ...Object.fromEntries(PARTY_KIND_NAMES.map((k) => [PARTY_KINDS[k].ftm, k])),
  PublicBody: 'Organization',
};

export interface FtmLinkSpec {
  type: LinkType;
  /** The FtM properties holding the two ends: the schema's `edge: {source, target}`. */
  from: string;
  to: string;
  /** Properties whose first value is the relationship's wording (role, relationship). */
  wording: readonly string[];
  /**
   * The model has no type of its own for this schema: the schema name leads the label so it is never
   * lost ("Employment: chief accountant").
   */
  schemaInLabel?: boolean;
}

/**
 * Relationship schemata -> links: each link type's schema as the model declares it (LINK_FTM: Ownership
 * owner -> asset, Directorship director -> organization, Family person -> relative, Associate person ->
 * associate, UnknownLink subject -> object), and three schemata the model has no type for
 * (Representation: agent -> client; Employment: employee -> employer; Membership: member -> organization).
 *
 * Those three become ASSOCIATE: being a member, employee or agent of a party is an association with it,
 * not control of it (DIRECTORSHIP says "directs the organisation"), and the source does type them,
 * which UNKNOWN_LINK is for not doing. Ownership's wording falls back to its ownershipType.
 */
export const FTM_LINKS: Record<string, FtmLinkSpec> = {
  ...Object.fromEntries(
    LINK_TYPES.map((type) => {
      const { schema, source, target, wording } = LINK_FTM[type];
      return [schema, { type, from: source, to: target, wording: type === 'OWNERSHIP' ? [wording, 'ownershipType'] : [wording] }];
    }),
  ),
  Representation: { type: 'ASSOCIATE', from: 'agent', to: 'client', wording: ['role'], schemaInLabel: true },
  Employment: { type: 'ASSOCIATE', from: 'employee', to: 'employer', wording: ['role'], schemaInLabel: true },
  Membership: { type: 'ASSOCIATE', from: 'member', to: 'organization', wording: ['role'], schemaInLabel: true },
};

/**
 * Name properties of a Thing -> aliases. FtM screens on name, alias and previousName (type `name`,
 * matchable) but not on weakAlias ("matchable: false"), which is OFAC's weak/strong distinction; an
 * abbreviation ("CST LLC") is as unreliable as a weak alias.
 */
export const FTM_ALIAS_PROPS: Record<string, { type: AliasType; quality: AliasQuality }> = {
  name: { type: 'a.k.a.', quality: 'strong' },
  alias: { type: 'a.k.a.', quality: 'strong' },
  previousName: { type: 'f.k.a.', quality: 'strong' },
  weakAlias: { type: 'a.k.a.', quality: 'weak' },
  abbreviation: { type: 'a.k.a.', quality: 'weak' },
};

export interface FtmIdentifierSpec {
  type: IdentifierType;
  /** ISO code of the country that issues every value of this property, when the property says it. */
  country?: string;
  /** Some values hold several numbers separated by ";" ("+7 (3412) 43-05-05; +7 (951) 210-81-28"). */
  split?: boolean;
}

/**
 * Identifier properties the model does not name (FtM-only import knowledge). innCode, ogrnCode and
 * okpoCode are Russian by definition (LegalEntity.yaml: "INN: Russian company ID"), so they carry
 * Russia as country and meet OFAC's "Tax ID No. 1835045074 (Russia)"; the other properties do not say
 * which country issued them. kppCode is left out: a KPP names a tax office registration shared by many
 * companies, not the company.
 */
const FTM_EXTRA_IDENTIFIER_PROPS: Record<string, FtmIdentifierSpec> = {
  ogrnCode: { type: 'registrationNumber', country: 'ru' },
  okpoCode: { type: 'registrationNumber', country: 'ru' },
  innCode: { type: 'taxId', country: 'ru' },
  vatCode: { type: 'taxId' },
  dunsCode: { type: 'other' },
  uniqueEntityId: { type: 'other' },
};

/** Some values hold several numbers separated by ";" ("+7 (3412) 43-05-05; +7 (951) 210-81-28"). */
const FTM_SPLIT_PROPS = new Set(['email', 'phone']);

/** FtM's generic "ID number of any applicable ID" (LegalEntity.yaml). */
export const FTM_GENERIC_ID = 'idNumber';

/**
 * Identifier properties of a party of a kind -> identifier facts; the fact's label is the FtM property
 * name. The properties the model declares (IDENTIFIER_TYPES ftm: idNumber is a person's national id and
 * an organisation's other document, an Airplane's registrationNumber its tail number) and the extras;
 * the generic idNumber last, so that a number also given under a specific property is named by that one.
 */
export function ftmIdentifierProps(kind: PartyKind): Record<string, FtmIdentifierSpec> {
  const specs: Record<string, FtmIdentifierSpec> = {};
  for (const t of IDENTIFIER_TYPE_NAMES) {
    const prop = IDENTIFIER_TYPES[t].ftm?.property;
    if (!prop || Object.hasOwn(specs, prop) || prop === FTM_GENERIC_ID) continue;
    const type = identifierTypeOfFtm(prop, kind)!;
    specs[prop] = FTM_SPLIT_PROPS.has(prop) ? { type, split: true } : { type };
  }
  return { ...specs, ...FTM_EXTRA_IDENTIFIER_PROPS, [FTM_GENERIC_ID]: { type: identifierTypeOfFtm(FTM_GENERIC_ID, kind)! } };
}

/**
 * Identity-document schemata -> identifier facts of their holder (label = the schema name). The
 * number is `number` (Identification), `passportNumber` (older Passport) or `publicKey` (CryptoWallet).
 * An Identification whose `type` is one of the model's identifier types (as this project's FtM export
 * writes it: "taxId") is of that type; otherwise a national id.
 */
export const FTM_DOCUMENTS: Record<string, { holder: string; number: readonly string[]; type: IdentifierType }> = {
  Identification: { holder: 'holder', number: ['number'], type: 'nationalId' },
  Passport: { holder: 'holder', number: ['number', 'passportNumber'], type: 'passport' },
  CryptoWallet: { holder: 'holder', number: ['publicKey'], type: 'cryptoWallet' },
};

/**
 * Country names for FtM's codes that are not ISO 3166-1 (followthemoney/types/country.py), and the
 * one ISO name FtM words differently from CLDR ("Czechia"). Other codes are named by CLDR
 * (Intl.DisplayNames, English).
 */
export const FTM_COUNTRY_NAMES: Record<string, string> = {
  zz: 'Global',
  eu: 'European Union',
  zr: 'Zaire',
  cz: 'Czech Republic',
  xk: 'Kosovo',
  dd: 'East Germany',
  yucs: 'Yugoslavia',
  csxx: 'Serbia and Montenegro',
  cshh: 'Czechoslovakia',
  suhh: 'Soviet Union',
  'ge-ab': 'Abkhazia (Occupied Georgia)',
  'x-so': 'South Ossetia (Occupied Georgia)',
  'ua-lpr': 'Luhansk (Occupied Ukraine)',
  'ua-dpr': 'Donetsk (Occupied Ukraine)',
  'ua-cri': 'Crimea (Occupied Ukraine)',
  'so-som': 'Somaliland',
  'cy-trnc': 'Northern Cyprus',
  'az-nk': 'Nagorno-Karabakh',
  'cn-xz': 'Tibet',
  'gg-srk': 'Sark',
  'gb-wls': 'Wales',
  'gb-sct': 'Scotland',
  'gb-nir': 'Northern Ireland',
  'md-pmr': 'Transnistria (PMR)',
};

/** OpenSanctions delta operations. */
export const DELTA_OPS = ['ADD', 'MOD', 'DEL'] as const;
export type DeltaOp = (typeof DELTA_OPS)[number];

/**
 * A delta file's name starts with its version id, `YYYYMMDDhhmmss-xxx` (the export build's UTC time),
 * e.g. 20240528134729-3iv.entities.delta.json.
 */
export const DELTA_VERSION = /^(\d{4})(\d{2})(\d{2})(\d{6})-[a-z0-9]+/i;

/** Largest delta index (delta.json) read whole; the real ones list a few dozen versions. */
export const MAX_INDEX_BYTES = 1 << 20;
