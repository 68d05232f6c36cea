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
import type { AliasQuality, AliasType, IdentifierType, PartyKind } from '../../server/core/model';
import type { LinkType } from '../../server/core/model';

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
 * "Thing" schemata that become parties. PublicBody has no kind of its own in the model: it is an
 * Organization in FtM too. FtM's Airplane is the model's Aircraft.
 */
export const FTM_PARTY_KINDS: Record<string, PartyKind> = {
  Person: 'Person',
  Company: 'Company',
  Organization: 'Organization',
  LegalEntity: 'LegalEntity',
  PublicBody: 'Organization',
  Vessel: 'Vessel',
  Airplane: 'Aircraft',
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
 * Relationship schemata -> links. Ends as in each schema's `edge:` (Ownership: owner -> asset;
 * Directorship: director -> organization; Family: person -> relative; Associate: person -> associate;
 * UnknownLink: subject -> object; Representation: agent -> client; Employment: employee -> employer;
 * Membership: member -> organization).
 *
 * Representation, Employment and Membership have no type in the model. They become ASSOCIATE: being a
 * member, employee or agent of a party is an association with it, not control of it (DIRECTORSHIP says
 * "directs the organisation"), and the source does type them, which UNKNOWN_LINK is for not doing.
 */
export const FTM_LINKS: Record<string, FtmLinkSpec> = {
  Ownership: { type: 'OWNERSHIP', from: 'owner', to: 'asset', wording: ['role', 'ownershipType'] },
  Directorship: { type: 'DIRECTORSHIP', from: 'director', to: 'organization', wording: ['role'] },
  Family: { type: 'FAMILY', from: 'person', to: 'relative', wording: ['relationship'] },
  Associate: { type: 'ASSOCIATE', from: 'person', to: 'associate', wording: ['relationship'] },
  UnknownLink: { type: 'UNKNOWN_LINK', from: 'subject', to: 'object', wording: ['role'] },
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
 * Identifier properties of parties -> identifier facts; the fact's label is the FtM property name.
 * innCode, ogrnCode and okpoCode are Russian by definition (LegalEntity.yaml: "INN: Russian company
 * ID"), so they carry Russia as country and meet OFAC's "Tax ID No. 1835045074 (Russia)"; the other
 * properties do not say which country issued them. kppCode is left out: a KPP names a tax office
 * registration shared by many companies, not the company.
 */
export const FTM_IDENTIFIER_PROPS: Record<string, FtmIdentifierSpec> = {
  registrationNumber: { type: 'registrationNumber' },
  ogrnCode: { type: 'registrationNumber', country: 'ru' },
  okpoCode: { type: 'registrationNumber', country: 'ru' },
  innCode: { type: 'taxId', country: 'ru' },
  taxNumber: { type: 'taxId' },
  vatCode: { type: 'taxId' },
  leiCode: { type: 'leiCode' },
  swiftBic: { type: 'swiftBic' },
  isinCode: { type: 'isin' },
  dunsCode: { type: 'other' },
  uniqueEntityId: { type: 'other' },
  imoNumber: { type: 'imoNumber' },
  mmsi: { type: 'mmsi' },
  callSign: { type: 'callSign' },
  email: { type: 'email', split: true },
  phone: { type: 'phone', split: true },
  website: { type: 'website' },
  passportNumber: { type: 'passport' },
  idNumber: { type: 'nationalId' },
  serialNumber: { type: 'aircraftSerial' },
};

/** Per-kind exceptions to FTM_IDENTIFIER_PROPS. */
export const FTM_IDENTIFIER_OVERRIDES: Partial<Record<PartyKind, Record<string, FtmIdentifierSpec>>> = {
  // Vehicle.registrationNumber of an Airplane is its tail number ("A7-LAE", Airplane.yaml).
  Aircraft: { registrationNumber: { type: 'aircraftTailNumber' } },
  // LegalEntity.idNumber is "ID number of any applicable ID": a national ID only for a person.
  Company: { idNumber: { type: 'other' } },
  Organization: { idNumber: { type: 'other' } },
  LegalEntity: { idNumber: { type: 'other' } },
};

/**
 * Identity-document schemata -> identifier facts of their holder (label = the schema name). The
 * number is `number` (Identification), `passportNumber` (older Passport) or `publicKey` (CryptoWallet).
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
