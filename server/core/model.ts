/**
 * The graph model, declared once. Ingest mappers, the Cypher allow-lists, the GraphQL schema and the
 * explorer's legend and stylesheet all read this module; nothing else names a label, relationship type
 * or property.
 *
 * Vocabulary follows FollowTheMoney (https://followthemoney.tech/explorer/) where it fits: kinds in
 * PascalCase, properties in camelCase, relationship types in UPPER_SNAKE derived from the FtM kind
 * (Ownership -> OWNERSHIP). Party nodes carry their ancestor labels too (a Company is also an
 * Organization and a LegalEntity) so a query can ask for either.
 */

/**
 * Kinds of sanctioned (or referenced) parties, each with how the explorer draws it (shapes and colours
 * chosen for colour-blind safety; the legend and stylesheet read them from here).
 */
export const PARTY_KINDS = {
  LegalEntity: { parents: [], description: 'A person or organisation whose exact kind the source does not say', shape: 'ellipse', color: '#7f7f7f' },
  Person: { parents: ['LegalEntity'], description: 'A natural person', shape: 'ellipse', color: '#0072b2' },
  Organization: { parents: ['LegalEntity'], description: 'An organisation, e.g. a government body, group or company', shape: 'round-rectangle', color: '#e69f00' },
  Company: { parents: ['Organization', 'LegalEntity'], description: 'A registered company', shape: 'round-rectangle', color: '#d55e00' },
  Vessel: { parents: [], description: 'A ship', shape: 'diamond', color: '#009e73' },
  Aircraft: { parents: [], description: 'An aircraft', shape: 'triangle', color: '#56b4e9' },
} as const;
export type PartyKind = keyof typeof PARTY_KINDS;
export const PARTY_KIND_NAMES = Object.keys(PARTY_KINDS) as PartyKind[];

/**
 * Fact nodes: shared by every party that states the fact (two parties with one email meet at one
 * Identifier node), attached by the relationship type `relType`. `rank` orders a neighbourhood's
 * nodes after the parties (0): shared addresses and identifiers (1) say more than a program (2).
 */
export const FACT_KINDS = {
  Address: { description: 'An address; shared by everyone who used it', relType: 'HAS_ADDRESS', rank: 1, shape: 'round-tag', color: '#cc79a7' },
  Identifier: { description: 'A document number, email, phone, wallet, ...; shared by its holders', relType: 'HAS_IDENTIFIER', rank: 1, shape: 'hexagon', color: '#f0e442' },
  Program: { description: 'A sanctions program', relType: 'SANCTION', rank: 2, shape: 'star', color: '#444444' },
} as const;
export type FactKind = keyof typeof FACT_KINDS;
export const FACT_KIND_NAMES = Object.keys(FACT_KINDS) as FactKind[];

/** Every kind of node the API returns in a subgraph: a party kind or a fact kind. */
export type NodeKind = PartyKind | FactKind;
export const NODE_KINDS: Record<NodeKind, { description: string; shape: string; color: string }> = { ...PARTY_KINDS, ...FACT_KINDS };
export const NODE_KIND_NAMES = Object.keys(NODE_KINDS) as NodeKind[];

export function isPartyKind(s: string): s is PartyKind {
  return Object.hasOwn(PARTY_KINDS, s);
}
export function isFactKind(s: string): s is FactKind {
  return Object.hasOwn(FACT_KINDS, s);
}

/** Node labels. `Party` is on every sanctioned or referenced party, with its kind labels beside it. */
export const LABELS = {
  Party: 'Party',
  /** A party referenced by a source (e.g. "Linked To: X") but not (yet) loaded itself. */
  Placeholder: 'Placeholder',
  Address: 'Address',
  Identifier: 'Identifier',
  Program: 'Program',
  Dataset: 'Dataset',
  /** One loaded release of a dataset: which parties it listed and a digest of each, for "what changed". */
  Release: 'Release',
} as const satisfies Record<string, string> & Record<FactKind, FactKind>;
export type Label = (typeof LABELS)[keyof typeof LABELS] | PartyKind;

/** Labels a party node of a kind carries (its own and its ancestors'), for SET n:X. */
export function partyLabels(kind: PartyKind): PartyKind[] {
  return [kind, ...(PARTY_KINDS[kind].parents as readonly PartyKind[])];
}

/**
 * Relationship types. `between: 'parties'` are links between two parties (the "network"); `'fact'`
 * attach a shared fact node (FACT_KINDS) to a party; `'candidate'` is computed by matching. `name`,
 * `color` and `line` are how the explorer shows it (line style too, so colour is never the only signal).
 */
export const REL_TYPES = {
  HAS_ADDRESS: { between: 'fact', target: 'Address', description: 'The party used this address', name: 'address', color: '#cc79a7', line: 'dotted' },
  HAS_IDENTIFIER: { between: 'fact', target: 'Identifier', description: 'The party holds this identifier (passport, email, wallet, ...)', name: 'identifier', color: '#b8a400', line: 'dotted' },
  SANCTION: { between: 'fact', target: 'Program', description: 'The party is listed under this sanctions program', name: 'program', color: '#888888', line: 'dotted' },
  OWNERSHIP: { between: 'parties', target: 'Party', description: 'Owner owns (part of) the asset (FtM Ownership)', name: 'owns', color: '#d55e00', line: 'solid' },
  DIRECTORSHIP: { between: 'parties', target: 'Party', description: 'Director directs the organisation (FtM Directorship)', name: 'directs', color: '#e69f00', line: 'solid' },
  FAMILY: { between: 'parties', target: 'Party', description: 'Family relation between two people (FtM Family)', name: 'family', color: '#0072b2', line: 'solid' },
  ASSOCIATE: { between: 'parties', target: 'Party', description: 'Associates (FtM Associate)', name: 'associate', color: '#56b4e9', line: 'solid' },
  UNKNOWN_LINK: { between: 'parties', target: 'Party', description: 'A link the source does not type, e.g. OFAC "Linked To:" (FtM UnknownLink)', name: 'linked to', color: '#444444', line: 'dashed' },
  POSSIBLY_SAME_AS: {
    between: 'candidate',
    target: 'Party',
    description: 'Parties of different lists that may be the same (computed; score and features on the relationship; a person can confirm or reject it)',
    name: 'possibly same',
    color: '#9b59b6',
    line: 'dashed',
  },
} as const satisfies Record<string, { between: 'fact' | 'parties' | 'candidate'; target: string; description: string; name: string; color: string; line: 'solid' | 'dashed' | 'dotted' }>;
export type RelType = keyof typeof REL_TYPES;
export const REL_TYPE_NAMES = Object.keys(REL_TYPES) as RelType[];
type TypesBetween<B> = { [T in RelType]: (typeof REL_TYPES)[T]['between'] extends B ? T : never }[RelType];
/** Links between two parties: the network. */
export type LinkType = TypesBetween<'parties'>;
export const LINK_TYPES = REL_TYPE_NAMES.filter((t): t is LinkType => REL_TYPES[t].between === 'parties');
/** Relationship types that attach a fact node (address, identifier, program) to a party. */
export type FactRelType = TypesBetween<'fact'>;
export const FACT_REL_TYPES = REL_TYPE_NAMES.filter((t): t is FactRelType => REL_TYPES[t].between === 'fact');
export function isFactRelType(s: string): s is FactRelType {
  return (FACT_REL_TYPES as string[]).includes(s);
}
/**
 * Relationship types a path follows unless the caller says otherwise: all but program membership
 * (being listed under the same program is not a connection; it joins thousands of parties).
 */
export const DEFAULT_PATH_REL_TYPES = REL_TYPE_NAMES.filter((t) => t !== FACT_KINDS.Program.relType);

/** Provenance carried by every relationship (and, for parties, by the node). */
export interface Provenance {
  /** Dataset name, e.g. "ofac-sdn". */
  dataset: string;
  /** Publication date of the release, YYYY-MM-DD. */
  release: string;
  /** Where in the source the fact comes from, e.g. "sdn.csv:1234 (ent_num 43379)". */
  record: string;
}

export const ALIAS_TYPES = ['a.k.a.', 'f.k.a.', 'n.k.a.', 'd.b.a.'] as const;
export type AliasType = (typeof ALIAS_TYPES)[number];
/** OFAC's alias strength; null where the source format does not say (the legacy CSV never does). */
export type AliasQuality = 'strong' | 'weak' | null;

export interface Alias {
  name: string;
  type: AliasType;
  quality: AliasQuality;
}

/** Identifier categories; the source's own label is kept on the relationship as `label`. */
export const IDENTIFIER_TYPES = {
  passport: 'Passport or travel document',
  nationalId: 'National identity number or card',
  taxId: 'Tax identification number',
  registrationNumber: 'Company or business registration number',
  leiCode: 'Legal Entity Identifier',
  swiftBic: 'SWIFT/BIC bank code',
  isin: 'Securities identification number',
  email: 'Email address',
  phone: 'Phone or fax number',
  website: 'Website',
  cryptoWallet: 'Digital currency address',
  imoNumber: 'IMO ship or company number',
  mmsi: 'Maritime Mobile Service Identity',
  callSign: 'Radio call sign',
  aircraftSerial: 'Aircraft serial or construction number',
  aircraftTailNumber: 'Aircraft tail (registration) number',
  other: 'Other identifying document',
} as const;
export type IdentifierType = keyof typeof IDENTIFIER_TYPES;

/** Party node properties (besides provenance). Names are the Neo4j property names. */
export interface PartyRecord {
  id: string;
  kind: PartyKind;
  name: string;
  aliases: Alias[];
  programs: string[];
  birthDates: string[];
  birthPlaces: string[];
  nationalities: string[];
  citizenships: string[];
  gender: string | null;
  titles: string[];
  remarks: string | null;
  /** Date the publisher designated (listed) the party, when the source says (UN LISTED_ON, OFAC XML). */
  listedOn?: string | null;
  /** Vessel details from the source's own columns. */
  vessel: {
    callSign: string | null;
    type: string | null;
    tonnage: string | null;
    grossTonnage: string | null;
    flag: string | null;
    owner: string | null;
  } | null;
  provenance: Provenance;
}

export interface AddressRecord {
  /** Normalised key: equal for the same address written the same way. */
  key: string;
  full: string;
  street: string | null;
  city: string | null;
  country: string | null;
}

export interface IdentifierRecord {
  /** Normalised key: `${type}:${country or '*'}:${normalised value}`. */
  key: string;
  type: IdentifierType;
  value: string;
  country: string | null;
}

/** A fact attached to a party, with its own provenance and the source's wording. */
export interface AddressFact {
  partyId: string;
  address: AddressRecord;
  provenance: Provenance;
}
export interface IdentifierFact {
  partyId: string;
  identifier: IdentifierRecord;
  /** The source's label, e.g. "Tax ID No.". */
  label: string;
  issued: string | null;
  expires: string | null;
  provenance: Provenance;
}

/** The other end of a link: an id when the source gives one, else a name to resolve. */
export type PartyRef = { id: string; name?: string } | { id?: undefined; name: string };

export interface LinkRecord {
  type: LinkType;
  from: string;
  to: PartyRef;
  /** The source's wording, e.g. "Linked To", "Owned or Controlled By". */
  label: string;
  /** Ownership share as the source states it (e.g. "51", "51%"), when it does. */
  percentage?: string | null;
  /** When the relationship started / ended, as the source dates it (YYYY, YYYY-MM or YYYY-MM-DD). */
  startDate?: string | null;
  endDate?: string | null;
  /** The source's own id of the relationship (FtM relationship entity id, OFAC relationship id). */
  sourceId?: string | null;
  /**
   * True when the source states the link from the other end, in the passive ("X: Owned or Controlled
   * By Y"): the loader stores it as to -> from, so OWNERSHIP always runs owner -> asset (FtM's
   * direction) and DIRECTORSHIP director -> organisation, whatever the source's wording.
   */
  inverse?: boolean;
  provenance: Provenance;
}

/** Everything one source file set emits: the common model every parser produces. */
export interface ParsedRelease {
  dataset: string;
  release: string;
  /** Id namespace for placeholder parties referenced by name only, e.g. "ofac". */
  idPrefix: string;
  parties: PartyRecord[];
  addresses: AddressFact[];
  identifiers: IdentifierFact[];
  links: LinkRecord[];
  rejected: Rejection[];
  /** Things worth telling the user that do not stop the load. */
  warnings: string[];
  /**
   * 'snapshot' (default): the files are the whole list; parties of the dataset missing from it are
   * delisted. 'delta' (OpenSanctions delta files): parties and facts are added or replaced, and only
   * `removedIds` are delisted.
   */
  mode?: 'snapshot' | 'delta';
  removedIds?: string[];
  /** Files read, for the record. */
  files: string[];
}

export interface Rejection {
  file: string;
  line: number;
  reason: string;
}

/** Whether a string is one of the allow-listed names; used before a label or type enters Cypher text. */
export function isAllowedLabel(s: string): s is Label {
  return (Object.values(LABELS) as string[]).includes(s) || (PARTY_KIND_NAMES as string[]).includes(s);
}
export function isAllowedRelType(s: string): s is RelType {
  return (REL_TYPE_NAMES as string[]).includes(s);
}
