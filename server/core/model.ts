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
 * chosen for colour-blind safety; the legend and stylesheet read them from here) and the FtM schema it
 * is (`ftm`; followthemoney/schema/<ftm>.yaml: FtM's Airplane is our Aircraft).
 */
export const PARTY_KINDS = {
  LegalEntity: { parents: [], ftm: 'LegalEntity', description: 'A person or organisation whose exact kind the source does not say', shape: 'ellipse', color: '#7f7f7f' },
  Person: { parents: ['LegalEntity'], ftm: 'Person', description: 'A natural person', shape: 'ellipse', color: '#0072b2' },
  Organization: { parents: ['LegalEntity'], ftm: 'Organization', description: 'An organisation, e.g. a government body, group or company', shape: 'round-rectangle', color: '#e69f00' },
  Company: { parents: ['Organization', 'LegalEntity'], ftm: 'Company', description: 'A registered company', shape: 'round-rectangle', color: '#d55e00' },
  Vessel: { parents: [], ftm: 'Vessel', description: 'A ship', shape: 'diamond', color: '#009e73' },
  Aircraft: { parents: [], ftm: 'Airplane', description: 'An aircraft', shape: 'triangle', color: '#56b4e9' },
} as const satisfies Record<string, { parents: readonly string[]; ftm: string; description: string; shape: string; color: string }>;
export type PartyKind = keyof typeof PARTY_KINDS;
export const PARTY_KIND_NAMES = Object.keys(PARTY_KINDS) as PartyKind[];

/**
 * Fact nodes: shared by every party that states the fact (two parties with one email meet at one
 * Identifier node), attached by the relationship type `relType`. `rank` orders a neighbourhood's
 * nodes after the parties (0): shared addresses and identifiers (1) say more than a program (2).
 * `ftm` is the FtM property of a party (Thing.yaml) that holds the fact: an address's full text in
 * `address`, a program in `program`; an identifier in the property its type names (IDENTIFIER_TYPES),
 * else in `idNumber` (LegalEntity.yaml: "ID number of any applicable ID").
 */
export const FACT_KINDS = {
  Address: { description: 'An address; shared by everyone who used it', relType: 'HAS_ADDRESS', ftm: 'address', rank: 1, shape: 'round-tag', color: '#cc79a7' },
  Identifier: { description: 'A document number, email, phone, wallet, ...; shared by its holders', relType: 'HAS_IDENTIFIER', ftm: 'idNumber', rank: 1, shape: 'hexagon', color: '#f0e442' },
  // A blue-grey that reads on both themes' canvases (WCAG asks 3:1 of graphics): 3.8:1 on the light
  // #f7f8fa, 4.6:1 on the dark #11151b, where the former #444444 was 1.9:1 and the star hard to see.
  Program: { description: 'A sanctions program', relType: 'SANCTION', ftm: 'program', rank: 2, shape: 'star', color: '#7a8089' },
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
  /**
   * A saved investigation (server/core/investigations.ts): a named canvas, its notes and the releases it was
   * made on. No relationships, and no load, purge or cleanup query matches the label: loads never touch it.
   */
  Investigation: 'Investigation',
  /** A watched party and its radius (server/core/alerts.ts); like an investigation, no load touches it. */
  Watch: 'Watch',
  /** A change a load made inside a watch's radius (server/core/alerts.ts); no load touches it. */
  Alert: 'Alert',
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
 * A link's `ftm` is the FtM relationship schema it is: the schema's `edge: {source, target}` properties
 * hold the two ends (the link runs source -> target), and `wording` is the property that holds the
 * source's wording (Interest.role; Family and Associate say `relationship`).
 */
export const REL_TYPES = {
  HAS_ADDRESS: { between: 'fact', target: 'Address', description: 'The party used this address', name: 'address', color: '#cc79a7', line: 'dotted' },
  HAS_IDENTIFIER: { between: 'fact', target: 'Identifier', description: 'The party holds this identifier (passport, email, wallet, ...)', name: 'identifier', color: '#b8a400', line: 'dotted' },
  SANCTION: { between: 'fact', target: 'Program', description: 'The party is listed under this sanctions program', name: 'program', color: '#888888', line: 'dotted' },
  OWNERSHIP: { between: 'parties', target: 'Party', ftm: { schema: 'Ownership', source: 'owner', target: 'asset', wording: 'role' }, description: 'Owner owns (part of) the asset (FtM Ownership)', name: 'owns', color: '#d55e00', line: 'solid' },
  DIRECTORSHIP: { between: 'parties', target: 'Party', ftm: { schema: 'Directorship', source: 'director', target: 'organization', wording: 'role' }, description: 'Director directs the organisation (FtM Directorship)', name: 'directs', color: '#e69f00', line: 'solid' },
  FAMILY: { between: 'parties', target: 'Party', ftm: { schema: 'Family', source: 'person', target: 'relative', wording: 'relationship' }, description: 'Family relation between two people (FtM Family)', name: 'family', color: '#0072b2', line: 'solid' },
  ASSOCIATE: { between: 'parties', target: 'Party', ftm: { schema: 'Associate', source: 'person', target: 'associate', wording: 'relationship' }, description: 'Associates (FtM Associate)', name: 'associate', color: '#56b4e9', line: 'solid' },
  UNKNOWN_LINK: { between: 'parties', target: 'Party', ftm: { schema: 'UnknownLink', source: 'subject', target: 'object', wording: 'role' }, description: 'A link the source does not type, e.g. OFAC "Linked To:" (FtM UnknownLink)', name: 'linked to', color: '#444444', line: 'dashed' },
  POSSIBLY_SAME_AS: {
    between: 'candidate',
    target: 'Party',
    description: 'Parties of different lists that may be the same (computed; score and features on the relationship; a person can confirm or reject it)',
    name: 'possibly same',
    color: '#9b59b6',
    line: 'dashed',
  },
} as const satisfies Record<
  string,
  {
    between: 'fact' | 'parties' | 'candidate';
    target: string;
    ftm?: FtmEdge;
    description: string;
    name: string;
    color: string;
    line: 'solid' | 'dashed' | 'dotted';
  }
>;
/** An FtM relationship schema: its name, the properties of its two ends and of the wording. */
export interface FtmEdge {
  schema: string;
  source: string;
  target: string;
  wording: string;
}
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
export function isLinkType(s: string): s is LinkType {
  return (LINK_TYPES as string[]).includes(s);
}
/** The FtM schema of each link type, e.g. OWNERSHIP -> Ownership, owner -> asset. */
export const LINK_FTM: Record<LinkType, FtmEdge> = Object.fromEntries(LINK_TYPES.map((t) => [t, REL_TYPES[t].ftm])) as Record<LinkType, FtmEdge>;
/**
 * Relationship types a path follows unless the caller says otherwise (the API's `paths` and the
 * explorer's Paths panel): all but program membership (being listed under the same program is not a
 * connection; it joins thousands of parties) and candidate matches (POSSIBLY_SAME_AS: not yet a fact).
 */
export const DEFAULT_PATH_REL_TYPES = REL_TYPE_NAMES.filter((t) => t !== FACT_KINDS.Program.relType && REL_TYPES[t].between !== 'candidate');

/**
 * How much one step of a path says that two parties are connected, in (0, 1], for paths ranked by
 * evidence (`paths(rank: EVIDENCE)`, server/core/paths/evidence.ts): a path's strength is the product
 * of its steps' weights. A shared address or identifier is one step (party - fact - party), weighed
 * once. Ownership and directorship as a list states them outweigh family and associates, which outweigh
 * a link the list does not type, which outweighs a shared identifier, which outweighs a shared address
 * (registered-agent addresses are shared by hundreds): two steps of a kind outweigh one step of the
 * next kinds below (two "Linked To" links, 0.36, over one shared address, 0.3; two family links, 0.49,
 * over one shared identifier, 0.4). A candidate match is not yet a fact. Being
 * listed under the same program is no connection at all: weight 0, never followed when ranking by
 * evidence. Declared for every type (Record<RelType, ...>), so a new type must be weighed on purpose.
 */
export const EVIDENCE_WEIGHTS: Record<RelType, number> = {
  OWNERSHIP: 0.9,
  DIRECTORSHIP: 0.9,
  FAMILY: 0.7,
  ASSOCIATE: 0.7,
  UNKNOWN_LINK: 0.6,
  HAS_IDENTIFIER: 0.4,
  HAS_ADDRESS: 0.3,
  POSSIBLY_SAME_AS: 0.2,
  SANCTION: 0,
};

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

const LEGAL_ENTITIES = ['Person', 'Organization', 'Company', 'LegalEntity'] as const;

/**
 * Identifier categories; the source's own label is kept on the relationship as `label`. `ftm` is the
 * FtM property that holds the type on a party of `kinds` (checked against followthemoney/schema:
 * LegalEntity.yaml email, phone, website, taxNumber, registrationNumber, idNumber, leiCode, swiftBic;
 * Person.yaml passportNumber; Company.yaml isinCode; Organization.yaml and Vessel.yaml imoNumber;
 * Vessel.yaml mmsi, callSign; Vehicle.yaml registrationNumber, an Airplane's tail number; Airplane.yaml
 * serialNumber). `document` is the FtM schema a number becomes when no property fits (another kind of
 * holder, or a number with its issuing country, which a property cannot say): Identification (its
 * `type` says which of these), Passport, or CryptoWallet (which has no property on a party at all).
 */
export const IDENTIFIER_TYPES = {
  passport: { description: 'Passport or travel document', ftm: { property: 'passportNumber', kinds: ['Person'] }, document: 'Passport' },
  nationalId: { description: 'National identity number or card', ftm: { property: 'idNumber', kinds: ['Person'] }, document: 'Identification' },
  taxId: { description: 'Tax identification number', ftm: { property: 'taxNumber', kinds: LEGAL_ENTITIES }, document: 'Identification' },
  registrationNumber: {
    description: 'Company or business registration number',
    ftm: { property: 'registrationNumber', kinds: [...LEGAL_ENTITIES, 'Vessel'] },
    document: 'Identification',
  },
  leiCode: { description: 'Legal Entity Identifier', ftm: { property: 'leiCode', kinds: LEGAL_ENTITIES }, document: 'Identification' },
  swiftBic: { description: 'SWIFT/BIC bank code', ftm: { property: 'swiftBic', kinds: LEGAL_ENTITIES }, document: 'Identification' },
  isin: { description: 'Securities identification number', ftm: { property: 'isinCode', kinds: ['Company'] }, document: 'Identification' },
  email: { description: 'Email address', ftm: { property: 'email', kinds: LEGAL_ENTITIES }, document: 'Identification' },
  phone: { description: 'Phone or fax number', ftm: { property: 'phone', kinds: LEGAL_ENTITIES }, document: 'Identification' },
  website: { description: 'Website', ftm: { property: 'website', kinds: LEGAL_ENTITIES }, document: 'Identification' },
  cryptoWallet: { description: 'Digital currency address', ftm: null, document: 'CryptoWallet' },
  imoNumber: { description: 'IMO ship or company number', ftm: { property: 'imoNumber', kinds: ['Vessel', 'Organization', 'Company'] }, document: 'Identification' },
  mmsi: { description: 'Maritime Mobile Service Identity', ftm: { property: 'mmsi', kinds: ['Vessel'] }, document: 'Identification' },
  callSign: { description: 'Radio call sign', ftm: { property: 'callSign', kinds: ['Vessel'] }, document: 'Identification' },
  aircraftSerial: { description: 'Aircraft serial or construction number', ftm: { property: 'serialNumber', kinds: ['Aircraft'] }, document: 'Identification' },
  aircraftTailNumber: { description: 'Aircraft tail (registration) number', ftm: { property: 'registrationNumber', kinds: ['Aircraft'] }, document: 'Identification' },
  other: { description: 'Other identifying document', ftm: { property: 'idNumber', kinds: ['Organization', 'Company', 'LegalEntity'] }, document: 'Identification' },
} as const satisfies Record<
  string,
  { description: string; ftm: { property: string; kinds: readonly PartyKind[] } | null; document: 'Identification' | 'Passport' | 'CryptoWallet' }
>;
export type IdentifierType = keyof typeof IDENTIFIER_TYPES;
export const IDENTIFIER_TYPE_NAMES = Object.keys(IDENTIFIER_TYPES) as IdentifierType[];
export function isIdentifierType(s: string): s is IdentifierType {
  return Object.hasOwn(IDENTIFIER_TYPES, s);
}

/**
 * The identifier type an FtM property holds on a party of a kind: the type that names the property for
 * that kind (idNumber is a national id of a person, another document of an organisation), else the
 * first type that names it at all (FtM files do not always keep to the schema). Null: no type does.
 */
export function identifierTypeOfFtm(property: string, kind: PartyKind): IdentifierType | null {
  let any: IdentifierType | null = null;
  for (const t of IDENTIFIER_TYPE_NAMES) {
    const ftm = IDENTIFIER_TYPES[t].ftm as { property: string; kinds: readonly PartyKind[] } | null;
    if (ftm?.property !== property) continue;
    if (ftm.kinds.includes(kind)) return t;
    any ??= t;
  }
  return any;
}

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

/**
 * Where a parser puts records as it reads them, when the caller gives one (ParseOptions.sink): the
 * records then leave the parser at once and its ParsedRelease comes back with empty record lists, so a
 * release of any size is never held whole (ingest/spool.ts writes them to a temporary file). A parser
 * hands over each record complete: a party with all its aliases, a fact with its party's id.
 */
export interface ReleaseSink {
  party(p: PartyRecord): void;
  address(a: AddressFact): void;
  identifier(i: IdentifierFact): void;
  link(l: LinkRecord): void;
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
