/**
 * What OFAC's two XML list formats share, for ofac-enhanced-xml.ts (ENHANCED_XML, `sanctionsData`) and
 * ofac-classic-xml.ts (the classic `sdnList` schema of SDN.XML / consolidated.xml).
 *
 * Both describe the same OFAC records with the same vocabulary: party types (Individual, Entity, Vessel,
 * Aircraft), alias types (a.k.a., f.k.a., n.k.a.) with a strength, and "labelled values" whose label is
 * an OFAC document or feature type ("Passport", "Email Address", "Vessel Flag", "Secondary sanctions
 * risk:"). ENHANCED_XML splits the labelled values into identityDocuments and features; the classic
 * format puts both into idList. One classification (`classifyLabel`) routes every label to a party
 * field, an identifier, or a remark statement, so the two parsers (and the legacy CSV parser, whose
 * OFAC_ID_LABELS table it reuses) map the same OFAC data to the same model.
 *
 * Facts the model has no field for (sanctions-list membership, directive determinations, "Target Type",
 * establishment dates, former flags, document issuing authorities, ...) are kept as "<label> <value>"
 * statements in the party's remarks, which is how OFAC's own legacy files print them (the legacy Remarks
 * column is generated from the same features), so nothing readable is dropped.
 */
import path from 'node:path';
import type {
  AddressFact,
  Alias,
  AliasQuality,
  AliasType,
  IdentifierFact,
  IdentifierType,
  LinkRecord,
  ParsedRelease,
  PartyKind,
  PartyRecord,
  Provenance,
  Rejection,
} from '../../server/core/model';
import { ALIAS_TYPES } from '../../server/core/model';
import { SourceFormatError } from '../../server/core/errors';
import { addressRecord, identifierRecord, nameKey } from '../../server/core/text/normalize';
import { streamXml, type StreamXmlOptions, type XmlElement } from '../xml';
import { DIGITAL_CURRENCY_LABEL, OFAC_DATASETS, OFAC_ID_LABELS, ofacId, ofacUid, OFAC_ID_PREFIX } from './ofac-csv.meta';
import { parseRemarks, splitRemarks, type RemarkFacts, type RemarkIdentifier } from './ofac-remarks';

/** OFAC's party types (ENHANCED generalInfo/entityType, classic sdnType), lower-cased. */
const PARTY_KINDS: Record<string, PartyKind> = {
  individual: 'Person',
  // OFAC's "Entity" is any organisation (company, government body, armed group...): the type does not say.
  entity: 'Organization',
  vessel: 'Vessel',
  aircraft: 'Aircraft',
};

export function partyKindOf(type: string | null | undefined): PartyKind | null {
  const k = type?.trim().toLowerCase();
  return k && Object.hasOwn(PARTY_KINDS, k) ? PARTY_KINDS[k] : null;
}

/** "A.K.A." (ENHANCED aliasType) and "a.k.a." (classic aka/type) -> the model's alias type. */
export function aliasTypeOf(type: string | null | undefined): AliasType | null {
  const t = type?.trim().toLowerCase();
  return t && (ALIAS_TYPES as readonly string[]).includes(t) ? (t as AliasType) : null;
}

/**
 * Identifier labels of the XML formats that the legacy CSV table (OFAC_ID_LABELS) does not list: these
 * are ENHANCED_XML "ID DOCUMENT TYPE" reference values that never appear in the legacy Remarks column
 * under this exact wording.
 */
export const OFAC_XML_ID_LABELS: Record<string, IdentifierType> = {
  // "Vessel Registration Identification" holds "IMO 9187629"; see identifierOf for the IMO case.
  'Vessel Registration Identification': 'registrationNumber',
  'Tourism License No.': 'registrationNumber',
  'Romanian Permanent Resident': 'nationalId',
  // The GIIN is issued by the U.S. IRS to financial institutions under FATCA: a tax registration.
  'Global Intermediary Identification Number': 'taxId',
  'Serial No.': 'other',
  'File Number': 'other',
  'Trademark number': 'other',
};

/** Party fields an OFAC label fills (ENHANCED feature types; classic list elements use the same words). */
type PartyField = 'birthDates' | 'birthPlaces' | 'nationalities' | 'citizenships' | 'gender' | 'titles';
type VesselField = 'callSign' | 'type' | 'flag' | 'owner' | 'tonnage' | 'grossTonnage';

/**
 * Feature types that are party fields. Names are OFAC's feature types (ENHANCED featureTypes/featureType/
 * type); the vessel ones appear in SDN_ENHANCED.XML (OpenSanctions' us_ofac crawler maps the same names),
 * "VESSEL TYPE" in capitals as OFAC writes it. Matched case-insensitively.
 */
const FIELD_LABELS: Record<string, { party: PartyField } | { vessel: VesselField }> = {
  birthdate: { party: 'birthDates' },
  'place of birth': { party: 'birthPlaces' },
  'nationality country': { party: 'nationalities' },
  'citizenship country': { party: 'citizenships' },
  gender: { party: 'gender' },
  title: { party: 'titles' },
  'vessel call sign': { vessel: 'callSign' },
  'vessel type': { vessel: 'type' },
  'vessel flag': { vessel: 'flag' },
  'vessel owner': { vessel: 'owner' },
  'vessel tonnage': { vessel: 'tonnage' },
  'vessel gross registered tonnage': { vessel: 'grossTonnage' },
};

export type LabelClass =
  | { kind: 'field'; party: PartyField }
  | { kind: 'vessel'; vessel: VesselField }
  | { kind: 'identifier'; type: IdentifierType }
  | { kind: 'remark' };

/** Where the value of an OFAC label belongs in the model. */
export function classifyLabel(label: string): LabelClass {
  const l = label.trim();
  const lower = l.toLowerCase();
  if (Object.hasOwn(FIELD_LABELS, lower)) {
    const f = FIELD_LABELS[lower];
    return 'party' in f ? { kind: 'field', party: f.party } : { kind: 'vessel', vessel: f.vessel };
  }
  if (Object.hasOwn(OFAC_ID_LABELS, l)) return { kind: 'identifier', type: OFAC_ID_LABELS[l] };
  if (Object.hasOwn(OFAC_XML_ID_LABELS, l)) return { kind: 'identifier', type: OFAC_XML_ID_LABELS[l] };
  // "Digital Currency Address - XBT" / "- ETH" / ...: the currency is part of the label.
  if (DIGITAL_CURRENCY_LABEL.test(l)) return { kind: 'identifier', type: 'cryptoWallet' };
  return { kind: 'remark' };
}

/**
 * Identity-document types (ENHANCED identityDocument/type, classic idList/id/idType) are all
 * identifiers; ones no table knows are kept with type 'other' and their own label.
 */
export function documentTypeOf(label: string): { type: IdentifierType; known: boolean } {
  const c = classifyLabel(label);
  return c.kind === 'identifier' ? { type: c.type, known: true } : { type: 'other', known: false };
}

/**
 * The identifier a labelled value stands for. "Vessel Registration Identification" holds the IMO
 * number as "IMO 9187629"; it becomes an imoNumber with the bare number, the same key the legacy CSV
 * parser gives "Vessel Registration Identification IMO 9187629", so the formats meet on one node.
 */
export function identifierOf(type: IdentifierType, label: string, value: string): { type: IdentifierType; value: string } {
  const imo = /^IMO\s*(\d{7})$/i.exec(value.trim());
  if (imo && (type === 'imoNumber' || label === 'Vessel Registration Identification')) return { type: 'imoNumber', value: imo[1] };
  return { type, value: value.trim() };
}

/**
 * Relationship types of ENHANCED_XML (reference values of type "RELATIONSHIP TYPE") -> link types.
 * The label keeps OFAC's wording, which also says the direction: the link always runs from the entity
 * that carries the relationship to relatedEntity, so "Owned or Controlled By" runs asset -> owner while
 * "Owns, controls, or operates" runs owner -> asset.
 */
export const OFAC_RELATIONSHIP_TYPES: Record<string, LinkRecord['type']> = {
  'Owned or Controlled By': 'OWNERSHIP',
  'Owns, controls, or operates': 'OWNERSHIP',
  'Property in the interest of': 'OWNERSHIP',
  'Leader or official of': 'DIRECTORSHIP',
  'Principal Executive Officer': 'DIRECTORSHIP',
  'Family member of': 'FAMILY',
  'Associate Of': 'ASSOCIATE',
  // FtM would call these Representation and Membership; the model has no such link type.
  'Acting for or on behalf of': 'UNKNOWN_LINK',
  'playing a significant role in': 'UNKNOWN_LINK',
  'Providing support to': 'UNKNOWN_LINK',
  'Linked To': 'UNKNOWN_LINK',
};

/** Link type for a relationship label; unknown wordings are guessed from their words. */
export function linkTypeOf(label: string): { type: LinkRecord['type']; known: boolean; inverse: boolean } {
  // "X Owned or Controlled By Y" / "X Property in the interest of Y": Y is the owner, so the model's
  // owner -> asset link runs Y -> X (LinkRecord.inverse).
  const inverse = /\bby\b|in the interest of/i.test(label);
  if (Object.hasOwn(OFAC_RELATIONSHIP_TYPES, label)) return { type: OFAC_RELATIONSHIP_TYPES[label], known: true, inverse };
  const l = label.toLowerCase();
  const type: LinkRecord['type'] = /\bown|control/.test(l)
    ? 'OWNERSHIP'
    : /leader|official|director|officer/.test(l)
      ? 'DIRECTORSHIP'
      : /family|relative/.test(l)
        ? 'FAMILY'
        : /associate/.test(l)
          ? 'ASSOCIATE'
          : 'UNKNOWN_LINK';
  return { type, known: false, inverse };
}

/**
 * The dataset of a file, from the names of the lists it says it holds (ENHANCED publicationInfo/filters/
 * sanctionsLists: "SDN List" or "Consolidated List"), else from its file name (SDN.XML, SDN_ENHANCED.XML,
 * consolidated.xml, CONS_ENHANCED.XML: the names OFAC publishes them under). Null when neither tells.
 */
export function datasetOf(listNames: string[], file: string): string | null {
  const lists = new Set(listNames.map((n) => n.trim().toLowerCase()));
  if (lists.has('consolidated list') && !lists.has('sdn list')) return OFAC_DATASETS.cons.name;
  if (lists.has('sdn list') && !lists.has('consolidated list')) return OFAC_DATASETS.sdn.name;
  const base = path.basename(file).toLowerCase();
  if (/^cons/.test(base)) return OFAC_DATASETS.cons.name;
  if (/^sdn/.test(base)) return OFAC_DATASETS.sdn.name;
  return null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The most precise value a date window [begin, end] denotes: OFAC writes "1962" as 1962-01-01 ..
 * 1962-12-31 (ENHANCED DatePeriodType). Whole years -> YYYY, whole months -> YYYY-MM, one day ->
 * YYYY-MM-DD, anything else an ISO 8601 interval "begin/end".
 */
export function dateWindow(begin: string | null, end: string | null): string | null {
  const b = begin?.slice(0, 10) ?? null;
  const e = end?.slice(0, 10) ?? null;
  if (!b || !e) return b ?? e;
  if (b === e) return b;
  if (ISO_DATE.test(b) && ISO_DATE.test(e)) {
    const [by, bm, bd] = b.split('-');
    const [ey, em, ed] = e.split('-');
    if (by === ey && bm === '01' && bd === '01' && em === '12' && ed === '31') return by;
    const last = new Date(Date.UTC(Number(ey), Number(em), 0)).getUTCDate();
    if (by === ey && bm === em && bd === '01' && Number(ed) === last) return `${by}-${bm}`;
  }
  return `${b}/${e}`;
}

/**
 * Address parts -> the model's address, written the way OFAC's legacy add.csv writes the same address
 * (checked against cons_add.csv: 568 of 569 shared addresses agree), so CSV and XML loads share nodes:
 * street = address lines joined by ", "; city = "City, State/Province Postal Code"; a REGION without a
 * country is written "Region: Gaza" in the country slot as the legacy files do.
 */
export function ofacAddress(p: {
  lines: string[];
  city: string | null;
  state: string | null;
  postalCode: string | null;
  region: string | null;
  country: string | null;
}) {
  const street = p.lines.filter(Boolean).join(', ') || null;
  let city = [p.city, p.state].filter(Boolean).join(', ');
  if (p.postalCode) city = city ? `${city} ${p.postalCode}` : p.postalCode;
  let country = p.country;
  if (p.region) {
    if (country) city = city ? `${city}, ${p.region}` : p.region;
    else country = `Region: ${p.region}`;
  }
  return addressRecord(street, city || null, country);
}

/** Phone labels of OFAC_ID_LABELS, longest first. */
const PHONE_LABELS = Object.keys(OFAC_ID_LABELS)
  .filter((k) => OFAC_ID_LABELS[k] === 'phone')
  .sort((a, b) => b.length - a.length);

/**
 * Facts in an XML record's free-text remarks, read with the legacy Remarks parser. Two differences of
 * the XML remarks are handled first: the classic format wraps links in parentheses ("(Linked To:
 * NATIONAL IRANIAN TANKER COMPANY)"), and phone numbers are written with parenthesised codes
 * ("Telephone (357)(22660766)") that parseIdentifierValue would take for an issuing country.
 */
export function remarkFacts(remarks: string | null): RemarkFacts {
  if (!remarks) return parseRemarks(null);
  const phones: RemarkIdentifier[] = [];
  const rest: string[] = [];
  for (const raw of splitRemarks(remarks)) {
    let s = raw.replace(/^alt\.\s+/, '');
    const linked = /^\(\s*(Linked To:.*)\)$/.exec(s);
    if (linked) s = linked[1];
    const label = PHONE_LABELS.find((l) => s.startsWith(`${l} `));
    if (label && s.slice(label.length).trim()) {
      phones.push({ label, type: 'phone', value: s.slice(label.length).trim(), country: null, issued: null, expires: null });
    } else rest.push(s);
  }
  const facts = parseRemarks(rest.join('; '));
  facts.identifiers.unshift(...phones);
  return facts;
}

/**
 * C1 control characters (U+0080..U+009F) never occur in OFAC's lists; they are what UTF-8 text becomes
 * when it was read as Latin-1 and saved again as UTF-8 (e.g. Cyrillic "П" = D0 9F -> "Ð\u009F"). Such a
 * file is valid UTF-8 and well-formed XML, so only this check keeps mojibake names out of the graph.
 */
export function assertNoMojibake(el: XmlElement, file: string): void {
  const bad = /[\u0080-\u009f]/;
  if (bad.test(el.text) || Object.values(el.attrs).some((v) => bad.test(v))) {
    throw new SourceFormatError(
      file,
      el.line,
      'holds C1 control characters (U+0080-U+009F): the file looks re-encoded (UTF-8 read as Latin-1 and saved again); use the file as OFAC publishes it',
    );
  }
  for (const c of el.children) assertNoMojibake(c, file);
}

/**
 * streamXml for the OFAC formats. (It names the line and byte offset of a byte that is not UTF-8 itself;
 * this was where that used to be worked out after a failure.)
 */
export async function readOfacXml(file: string, opts: StreamXmlOptions): Promise<void> {
  await streamXml(file, opts);
}

/** Dataset and release, known once the file's header has been read. */
export interface ReleaseMeta {
  dataset: string;
  release: string;
}

/**
 * One OFAC record (ENHANCED entity, classic sdnEntry) being read: every fact lands in a model field, an
 * identifier, an address, a link, or a remark statement.
 */
export class OfacEntry {
  readonly id: string;
  readonly aliases: Alias[] = [];
  private readonly aliasKeys = new Set<string>();
  readonly programs: string[] = [];
  readonly birthDates: string[] = [];
  readonly birthPlaces: string[] = [];
  readonly nationalities: string[] = [];
  readonly citizenships: string[] = [];
  readonly titles: string[] = [];
  gender: string | null = null;
  listedOn: string | null = null;
  readonly vessel: NonNullable<PartyRecord['vessel']> = { callSign: null, type: null, tonnage: null, grossTonnage: null, flag: null, owner: null };
  /** "<label> <value>" statements for facts without a model field, in source order. */
  private readonly statements: string[] = [];
  readonly identifiers: IdentifierFact[] = [];
  private readonly identifierKeys = new Set<string>();
  readonly addresses: AddressFact[] = [];
  private readonly addressKeys = new Set<string>();
  readonly links: LinkRecord[] = [];
  /** Labels not in any table, kept as 'other' identifiers (reported once per release). */
  readonly unknownLabels: string[] = [];

  constructor(
    readonly uid: string,
    readonly kind: PartyKind,
    readonly name: string,
    readonly line: number,
    private readonly file: string,
    private readonly meta: ReleaseMeta,
  ) {
    this.id = ofacId(uid);
  }

  /** Provenance of a fact read at `line`; `extra` names the sub-record (e.g. "address 12812"). */
  prov(line: number, extra?: string): Provenance {
    return { dataset: this.meta.dataset, release: this.meta.release, record: `${this.file}:${line} (uid ${this.uid}${extra ? `, ${extra}` : ''})` };
  }

  addAlias(name: string | null, type: AliasType, quality: AliasQuality): void {
    const n = name?.trim();
    if (!n) return;
    // An a.k.a. that only repeats the name (real: 18721 lists its own name as an a.k.a.) adds nothing; an
    // f.k.a. equal to the name does say something (real: vessel 15056 HONESTY, f.k.a. HONESTY).
    if (type === 'a.k.a.' && nameKey(n) === nameKey(this.name)) return;
    // Only exact repeats are dropped: "PCC (UK)" and "PCC UK" (real: 11626) are both OFAC's wording.
    const key = `${type}|${n}`;
    if (this.aliasKeys.has(key)) return;
    this.aliasKeys.add(key);
    this.aliases.push({ name: n, type, quality });
  }

  addProgram(p: string | null): void {
    const v = p?.trim();
    if (v && !this.programs.includes(v)) this.programs.push(v);
  }

  statement(s: string): void {
    const v = s.trim();
    if (v && !this.statements.includes(v)) this.statements.push(v);
  }

  addIdentifier(
    type: IdentifierType,
    label: string,
    value: string,
    opts: { country?: string | null; issued?: string | null; expires?: string | null; line: number; extra?: string },
  ): void {
    const id = identifierOf(type, label, value);
    if (!id.value) return;
    // The label names a wallet's chain ("Digital Currency Address - ETH"), which its normalisation needs.
    const identifier = identifierRecord(id.type, id.value, opts.country ?? null, label);
    const key = `${identifier.key}|${label}`;
    if (this.identifierKeys.has(key)) return; // real: 30926 lists ISIN HK0883013259 twice
    this.identifierKeys.add(key);
    this.identifiers.push({
      partyId: this.id,
      identifier,
      label,
      issued: opts.issued ?? null,
      expires: opts.expires ?? null,
      provenance: this.prov(opts.line, opts.extra),
    });
  }

  /**
   * A labelled value (ENHANCED feature, classic idList entry or list item): into its field, as an
   * identifier, or as a remark statement. A second value for a single-valued field (gender, vessel
   * flag...) is kept as a statement rather than lost.
   */
  addLabelled(label: string, value: string | null, opts: { line: number; country?: string | null; issued?: string | null; expires?: string | null; comments?: string | null; extra?: string }): void {
    const v = value?.trim();
    const l = label.trim();
    if (!v || !l) return;
    const c = classifyLabel(l);
    // feature/comments, in parentheses unless OFAC wrote them so ("(NYSE)").
    const note = opts.comments ? (/^\(.*\)$/.test(opts.comments) ? ` ${opts.comments}` : ` (${opts.comments})`) : '';
    if (c.kind === 'field') {
      if (c.party === 'gender') {
        if (this.gender === null) this.gender = v;
        else if (this.gender !== v) this.statement(`${l} ${v}`);
      } else if (!this[c.party].includes(v)) this[c.party].push(v);
      if (note) this.statement(`${l} ${v}${note}`);
      return;
    }
    if (c.kind === 'vessel') {
      // Vessel details belong to vessels (the model's vessel is null for other kinds, as in the CSV parser).
      if (this.kind === 'Vessel' && this.vessel[c.vessel] === null) {
        this.vessel[c.vessel] = v;
        if (note) this.statement(`${l} ${v}${note}`);
      } else if (this.vessel[c.vessel] !== v) this.statement(`${l} ${v}${note}`);
      // The call sign is also an identifier, as the legacy CSV parser makes it (label Call_Sign there).
      if (c.vessel === 'callSign') this.addIdentifier('callSign', l, v, opts);
      return;
    }
    if (c.kind === 'identifier') {
      this.addIdentifier(c.type, l, v, opts);
      // The identifier fact has no comment field: "Equity Ticker CHL US (NYSE)" keeps its exchange here.
      if (note) this.statement(`${l} ${v}${note}`);
      return;
    }
    this.statement(`${l} ${v}${opts.country ? ` (${opts.country})` : ''}${note}`);
  }

  /**
   * An identity document (ENHANCED identityDocument, classic idList entry that is not a feature): always
   * an identifier; a type no table knows is kept as 'other' with its own label, and reported.
   */
  addDocument(label: string, value: string | null, opts: { line: number; country?: string | null; issued?: string | null; expires?: string | null; extra?: string }): void {
    const v = value?.trim();
    const l = label.trim();
    if (!v || !l) return;
    const { type, known } = documentTypeOf(l);
    if (!known) this.unknownLabels.push(l);
    this.addIdentifier(type, l, v, opts);
  }

  addAddress(address: ReturnType<typeof ofacAddress>, line: number, extra: string): void {
    if (address.full === '') return; // OFAC writes empty addresses for entries without one (as add.csv's "-0-" rows)
    if (this.addressKeys.has(address.key)) return;
    this.addressKeys.add(address.key);
    this.addresses.push({ partyId: this.id, address, provenance: this.prov(line, extra) });
  }

  addLink(link: Omit<LinkRecord, 'from' | 'provenance'>, line: number, extra?: string): void {
    this.links.push({ ...link, from: this.id, provenance: this.prov(line, extra) });
  }

  /** Remarks: the statements for facts without a field, then the source's own remarks (legacy order). */
  remarks(own: string | null): string | null {
    const parts = [...this.statements, ...(own?.trim() ? [own.trim()] : [])];
    return parts.length ? parts.join('; ') : null;
  }

  party(ownRemarks: string | null): PartyRecord {
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      aliases: this.aliases,
      programs: this.programs,
      birthDates: this.birthDates,
      birthPlaces: this.birthPlaces,
      nationalities: this.nationalities,
      citizenships: this.citizenships,
      gender: this.gender,
      titles: this.titles,
      remarks: this.remarks(ownRemarks),
      listedOn: this.listedOn,
      vessel: this.kind === 'Vessel' ? this.vessel : null,
      provenance: this.prov(this.line),
    };
  }
}

/**
 * OFAC feature types the model has no field for (ENHANCED featureTypes; the classic format writes the
 * same ones into idList). They become remark statements. Sanctions-information features end with ":" or
 * "-" ("Secondary sanctions risk:", "Additional Sanctions Information -") and directive dates start with
 * "Listing Date" / "Effective Date"; those are recognised by their form, so new directives need no entry.
 */
const FEATURES_WITHOUT_FIELD = new Set(
  [
    'Former Vessel Flag',
    'Other Vessel Flag',
    'Other Vessel Type',
    'Vessel Year of Build',
    'Nationality of Registration',
    'Registration Country',
    'Organization Established Date',
    'Target Type',
    'Issuer Name',
    'Location',
    'Aircraft Model',
    'Aircraft Operator',
    'Aircraft Manufacture Date',
    'MICEX Code',
    'UN/LOCODE',
    'Purchase/Sales For Divestment Date (CMIC)',
  ].map((l) => l.toLowerCase()),
);

/**
 * Whether a classic idList/id/idType is a feature (a fact about the party) rather than an identity
 * document. Identifier labels win; everything else that is not a known feature is a document.
 */
export function isFeatureLabel(label: string): boolean {
  const l = label.trim();
  const c = classifyLabel(l);
  if (c.kind === 'identifier') return false;
  if (c.kind !== 'remark') return true;
  return FEATURES_WITHOUT_FIELD.has(l.toLowerCase()) || /[:-]$/.test(l) || /^(Listing|Effective) Date\b/i.test(l);
}

/** Collects the records of one file; refuses duplicates; builds the ParsedRelease. */
export class ReleaseCollector {
  private readonly parties = new Map<string, PartyRecord>();
  private readonly addresses: AddressFact[] = [];
  private readonly identifiers: IdentifierFact[] = [];
  private readonly links: LinkRecord[] = [];
  readonly rejected: Rejection[] = [];
  readonly warnings: string[] = [];
  private readonly unknownLabels = new Map<string, number>();
  /** Relationship wordings not in OFAC_RELATIONSHIP_TYPES (typed by their words; reported). */
  readonly unknownRelationshipTypes = new Set<string>();
  /** Entries seen, accepted or not (for counts such as classic Record_Count). */
  seen = 0;

  constructor(readonly file: string) {}

  reject(line: number, reason: string): void {
    this.rejected.push({ file: this.file, line, reason });
  }

  /** Adds an entry's party and facts, unless its uid was seen before (then it is rejected whole). */
  commit(entry: OfacEntry, ownRemarks: string | null): void {
    const first = this.parties.get(entry.id);
    if (first) {
      this.reject(entry.line, `duplicate uid ${entry.uid} (first seen at ${first.provenance.record}); this entry is ignored, not merged`);
      return;
    }
    this.parties.set(entry.id, entry.party(ownRemarks));
    this.addresses.push(...entry.addresses);
    this.identifiers.push(...entry.identifiers);
    this.links.push(...entry.links);
    for (const l of entry.unknownLabels) this.unknownLabels.set(l, (this.unknownLabels.get(l) ?? 0) + 1);
  }

  result(meta: ReleaseMeta, files: string[]): ParsedRelease {
    if (this.parties.size === 0) {
      throw new SourceFormatError(this.file, undefined, 'holds no entries: an empty list is refused (it would delist everything)');
    }
    const outside = this.links.filter((l) => l.to.id && !this.parties.has(l.to.id));
    const warnings = [...this.warnings];
    if (outside.length) {
      const ids = [...new Set(outside.map((l) => ofacUid(l.to.id!)))];
      warnings.push(
        `${outside.length} relationships point at ${ids.length} entries not in ${this.file} (uid ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', ...' : ''}); ` +
          'they are kept and end at placeholders until those entries are loaded (e.g. from the SDN list)',
      );
    }
    if (this.unknownLabels.size) {
      warnings.push(
        `identifier types not in the label tables, kept as 'other' with their own label: ${[...this.unknownLabels].map(([l, n]) => `${JSON.stringify(l)} (${n})`).join(', ')}`,
      );
    }
    if (this.unknownRelationshipTypes.size) {
      warnings.push(
        `relationship types not in OFAC_RELATIONSHIP_TYPES, typed from their words: ${[...this.unknownRelationshipTypes].map((t) => `${JSON.stringify(t)} (${linkTypeOf(t).type})`).join(', ')}`,
      );
    }
    return {
      dataset: meta.dataset,
      release: meta.release,
      idPrefix: OFAC_ID_PREFIX,
      parties: [...this.parties.values()],
      addresses: this.addresses,
      identifiers: this.identifiers,
      links: this.links,
      rejected: this.rejected,
      warnings,
      files,
    };
  }
}
