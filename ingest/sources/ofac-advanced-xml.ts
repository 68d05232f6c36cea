/**
 * OFAC ADVANCED XML (schema sdn_advanced.xsd, namespace http://www.un.org/sanctions/1.0; published as
 * SDN_ADVANCED.XML and CONS_ADVANCED.XML) -> the common model.
 *
 * The file is one <Sanctions> document whose children come in the order the schema fixes:
 *   DateOfIssue, ReferenceValueSets, Locations, IDRegDocuments, DistinctParties, ProfileRelationships,
 *   SanctionsEntries, SanctionsEntryLinks.
 * Records refer to one another by numeric id: an Alias names its AliasTypeID, a Feature its FeatureTypeID and
 * (through VersionLocation) a LocationID, an IDRegDocument the IdentityID of a party, a ProfileRelationship its
 * From-/To-ProfileID, a SanctionsEntry its ProfileID and ListID. The file is streamed once (ingest/xml.ts) and
 * only small maps are kept: the reference values, the locations (as address records), the documents no party
 * has claimed yet (documents come before parties) and the parties themselves, which are the output.
 *
 * Bad input, decided here:
 * - not well-formed, truncated, not UTF-8 or mojibake (UTF-8 once read as Latin-1): SourceFormatError with file
 *   and line (ingest/xml.ts through readOfacXml and assertNoMojibake of ofac-xml-common.ts).
 * - an id that names no value of ReferenceValueSets (e.g. AliasTypeID="9999"): SourceFormatError with the
 *   line of the element. The reference tables are the file's own dictionary; an id outside it means the file
 *   is damaged or was edited, and its records cannot be read reliably.
 * - a record the others do not depend on (a party without a primary name, a second DistinctParty with the
 *   same FixedRef, a document or sanctions entry for an identity or profile the file does not hold, a feature
 *   naming a Location the file does not hold, a relationship from a party the file does not hold): a
 *   `rejected` row with file, line and reason; the rest loads. Duplicates are never merged.
 * - a relationship to a profile the file does not hold: the link is kept; the loader makes a placeholder.
 *
 * Fields the model has no place for are written into the party's `remarks` as "<wording> <value>" statements,
 * the way the legacy CSV's Remarks column carries them (e.g. "Executive Order 13662 Directive Determination -
 * Subject to Directive 2"), so what the file says about a party is not lost: DistinctParty/Comment, features
 * without a model field, a document's IssuingAuthority and Comment, and per SanctionsEntry its List,
 * SanctionsMeasures (Block, Reject, sectoral directives), EntryEvent dates and LegalBasis.
 * Not mapped: IdentityReference / IdentityFeatureLinkType (which identity of the profile a feature belongs to;
 * OFAC profiles have one), FeatureVersion ReliabilityID, VersionDetail DetailTypeID (the kind of value, which
 * the value shows), DocumentedNameReference (under which name a document was issued), NamePartValue
 * ScriptStatusID and Acronym, FeatureVersionReference (back-references to features), SanctionsEntryLinks
 * (empty in the files seen). On ProfileRelationship, LinkRecord has no field for RelationQualityID,
 * SanctionsEntryID, Comment or Former; a Former="true" link loads as a current one and is counted in a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  AddressFact,
  AddressRecord,
  Alias,
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
import { SourceFormatError } from '../../server/core/errors';
import { identifierRecord } from '../../server/core/text/normalize';
import { chooseRelease, ParseOptions, readerOptions } from '../parse-options';
import { child, children, head, textOf, XmlElement } from '../xml';
import type { SourceFormat } from '../parse-options';
import { OFAC_DATASETS, OFAC_PUBLISHER, ofacId, ofacUid, OFAC_ID_PREFIX } from './ofac-csv.meta';
// The label classification, date, address and link rules OFAC's XML formats share, so an ADVANCED, ENHANCED
// or classic XML file of the same list gives the same model (and the legacy CSV, whose tables they reuse).
import { assertNoMojibake, classifyLabel, dateWindow, documentTypeOf, identifierOf, linkTypeOf, ofacAddress, partyKindOf, readOfacXml } from './ofac-xml-common';

const NS = 'http://www.un.org/sanctions/1.0';

/** Whether the file is an ADVANCED XML document: a <Sanctions> root in the sdn_advanced.xsd namespace. */
export async function detectOfacAdvancedXml(file: string): Promise<boolean> {
  try {
    const text = head(file);
    return /<(?:[\w.-]+:)?Sanctions[\s>]/.test(text) && text.includes(NS);
  } catch {
    return false;
  }
}

/** AliasType wording -> model alias type. "Name" is the type of the primary alias; elsewhere it is an a.k.a. */
const ALIAS_TYPE_WORDING: Record<string, AliasType> = { 'A.K.A.': 'a.k.a.', 'F.K.A.': 'f.k.a.', 'N.K.A.': 'n.k.a.', 'D.B.A.': 'd.b.a.', Name: 'a.k.a.' };

function pad(n: string, width: number): string {
  return n.trim().padStart(width, '0');
}

/** <Year>/<Month>/<Day> children -> YYYY[-MM[-DD]]; null when there is no year. */
function ymd(el: XmlElement | undefined): string | null {
  const y = textOf(el, 'Year');
  if (!y) return null;
  const m = textOf(el, 'Month');
  const d = textOf(el, 'Day');
  return [pad(y, 4), m && pad(m, 2), m && d && pad(d, 2)].filter(Boolean).join('-');
}

/**
 * A DatePeriod as text: Start/From .. End/To as the most precise value it denotes (dateWindow: OFAC writes an
 * imprecise date of birth as 1962-01-01 .. 1962-12-31, i.e. "1962"); "circa" when OFAC marks it Approximate.
 */
function periodText(dp: XmlElement | undefined): string | null {
  if (!dp) return null;
  const start = child(dp, 'Start');
  const end = child(dp, 'End');
  const from = ymd(child(start, 'From')) ?? ymd(child(start, 'To')) ?? ymd(child(end, 'From'));
  const to = ymd(child(end, 'To')) ?? ymd(child(end, 'From')) ?? ymd(child(start, 'To')) ?? from;
  if (!from || !to) return null;
  const approximate = start?.attrs.Approximate === 'true' || end?.attrs.Approximate === 'true';
  return `${approximate ? 'circa ' : ''}${dateWindow(from, to)}`;
}

/**
 * One bound (Start or End) of a DatePeriod as one date: its From..To range says how precisely the bound is
 * known, so a whole year or month shortens to "YYYY" / "YYYY-MM"; any other range gives its earliest day.
 */
function boundDate(bound: XmlElement | undefined): string | null {
  const from = ymd(child(bound, 'From'));
  if (!from) return null;
  const s = dateWindow(from, ymd(child(bound, 'To')) ?? from)!;
  return s.includes('/') ? from : s;
}

interface RefValue {
  text: string;
  attrs: Record<string, string>;
}

interface LocationInfo {
  line: number;
  /** Null when the Location holds no part and no country (OFAC writes such "undetermined" locations). */
  address: AddressRecord | null;
  country: string | null;
}

interface PendingDocument {
  line: number;
  id: string;
  identityId: string;
  type: IdentifierType;
  label: string;
  value: string;
  country: string | null;
  issued: string | null;
  expires: string | null;
  /** IssuingAuthority and Comment, which IdentifierFact has no field for; they go into the party's remarks. */
  note: string | null;
}

/** Order in which LocationPart types make up the legacy address columns (see readLocation). */
const STREET_PARTS = ['ADDRESS1', 'ADDRESS2', 'ADDRESS3'];

export async function parseOfacAdvancedXml(files: string[], opts: ParseOptions): Promise<ParsedRelease> {
  if (files.length !== 1) {
    throw new SourceFormatError(
      files.map((f) => path.basename(f)).join(', '),
      undefined,
      'an ADVANCED XML release is one file (SDN_ADVANCED.XML or CONS_ADVANCED.XML); load one at a time',
    );
  }
  const file = files[0];
  const fileName = path.basename(file);
  if (!fs.existsSync(file)) throw new SourceFormatError(fileName, undefined, `cannot be read: no such file (${file})`);

  const fail = (line: number | undefined, reason: string) => new SourceFormatError(fileName, line, reason);
  const rejected: Rejection[] = [];
  const reject = (line: number, reason: string) => rejected.push({ file: fileName, line, reason });
  const warnings: string[] = [];

  // Dataset and release are known only at the end (the release date is at the top, but the lists that name
  // the dataset are in SanctionsEntries, last); every provenance is made now and completed then.
  const provenances: Provenance[] = [];
  const prov = (line: number, what: string): Provenance => {
    const p = { dataset: '', release: '', record: `${fileName}:${line} (${what})` };
    provenances.push(p);
    return p;
  };

  // --- Reference values: <XValues><X ID="..">text</X>...</XValues> -> table "X".
  const refs = new Map<string, Map<string, RefValue>>();
  const refAt = (type: string, el: XmlElement, attr: string): RefValue | null => {
    const id = el.attrs[attr];
    if (id === undefined) return null;
    const value = refs.get(type)?.get(id);
    if (!value) throw fail(el.line, `<${el.name}> ${attr}="${id}" names no ${type} of ReferenceValueSets (damaged or edited file?)`);
    return value;
  };
  /** A reference the schema requires: missing is as bad as undefined. */
  const ref = (type: string, el: XmlElement, attr: string): RefValue => {
    const v = refAt(type, el, attr);
    if (!v) throw fail(el.line, `<${el.name}> has no ${attr}`);
    return v;
  };
  const countryOf = (el: XmlElement, attr: string): string | null => {
    const c = refAt('Country', el, attr);
    return c ? c.text || c.attrs.ISO2 || null : null;
  };

  let issuedOn: string | null = null;
  const locations = new Map<string, LocationInfo>();
  const pendingDocs = new Map<string, PendingDocument[]>();
  const parties = new Map<string, PartyRecord>();
  /** Remarks statements per party, joined at the end (sanctions entries add to them after the party). */
  const notes = new Map<string, string[]>();
  /** Profile ID -> party id (OFAC's Profile ID is the FixedRef, but the schema does not promise it). */
  const profileParty = new Map<string, string>();
  const addresses: AddressFact[] = [];
  const identifiers: IdentifierFact[] = [];
  const links: LinkRecord[] = [];
  const listsUsed = new Set<string>();
  let firstEntryLine: number | undefined;
  const formerLinks: string[] = [];

  // --- Locations: parts by LocPartType, countries by LocationCountry / LocationAreaCode.
  function readLocation(el: XmlElement): LocationInfo {
    const parts = new Map<string, string[]>();
    for (const part of children(el, 'LocationPart')) {
      const type = ref('LocPartType', part, 'LocPartTypeID').text;
      const values = children(part, 'LocationPartValue');
      // A part may hold several values (spellings); the one marked Primary is the address as OFAC prints it.
      const primary = values.find((v) => v.attrs.Primary === 'true') ?? values[0];
      for (const v of values) {
        refAt('LocPartValueType', v, 'LocPartValueTypeID');
        refAt('LocPartValueStatus', v, 'LocPartValueStatusID');
      }
      const text = textOf(primary, 'Value');
      if (text) parts.set(type, [...(parts.get(type) ?? []), text]);
    }
    const take = (type: string) => {
      const v = parts.get(type);
      parts.delete(type);
      return v?.join(', ') ?? null;
    };
    let country: string | null = null;
    for (const c of children(el, 'LocationCountry')) {
      refAt('CountryRelevance', c, 'CountryRelevanceID');
      country ??= countryOf(c, 'CountryID');
    }
    for (const a of children(el, 'LocationAreaCode')) {
      const area = ref('AreaCode', a, 'AreaCodeID');
      // AreaCode "undetermined" (no ISO code) is how OFAC says "no country".
      if (area.text) country ??= area.attrs.Description ?? null;
    }
    // The parts make up the legacy add.csv columns as OFAC prints them (ofacAddress; cons_add.csv's add_num is
    // the Location ID, so this was checked address by address): ADDRESS1..3 are the street, "CITY,
    // STATE/PROVINCE POSTAL CODE" the city, REGION without a country "Region: Gaza". The address keys of
    // the formats then meet.
    const lines = STREET_PARTS.map(take).filter((x): x is string => !!x);
    const city = take('CITY');
    const state = take('STATE/PROVINCE');
    const region = take('REGION');
    const postalCode = take('POSTAL CODE');
    // LocPartType "Unknown" holds free text: in OFAC's files a country name given without a LocationCountry.
    const unknown = take('Unknown');
    if (unknown) {
      if (country) lines.push(unknown);
      else country = unknown;
    }
    // Part types outside the reference list OFAC publishes: kept in the street text rather than dropped.
    for (const [type, values] of parts) lines.push(`${type}: ${values.join(', ')}`);
    const empty = !lines.length && !city && !state && !region && !postalCode && !country;
    const address = empty ? null : ofacAddress({ lines, city, state, postalCode, region, country });
    return { line: el.line, address, country: country ?? (region ? `Region: ${region}` : null) };
  }

  // --- Identity documents: buffered by IdentityID until the party that owns the identity is read.
  function readDocument(el: XmlElement): void {
    const id = el.attrs.ID ?? '?';
    const identityId = el.attrs.IdentityID;
    const label = ref('IDRegDocType', el, 'IDRegDocTypeID').text;
    if (!identityId) throw fail(el.line, `<IDRegDocument ID="${id}"> has no IdentityID`);
    let value = textOf(el, 'IDRegistrationNo');
    if (!value) {
      reject(el.line, `IDRegDocument ${id} (${label}) has no IDRegistrationNo; the document is skipped`);
      return;
    }
    // A type no table knows stays an identifier of type 'other' with OFAC's wording as its label.
    // "Vessel Registration Identification" holds "IMO 9187629": an imoNumber 9187629 (identifierOf), the
    // key the legacy CSV gives "Vessel Registration Identification IMO 9187629".
    const id0 = identifierOf(documentTypeOf(label).type, label, value);
    const type = id0.type;
    value = id0.value;
    // IssuedIn-LocationID is the place of issue; the model has none, so it only stands in for a missing
    // IssuedBy-CountryID (in OFAC's files it is the same country).
    let country = countryOf(el, 'IssuedBy-CountryID');
    const issuedIn = el.attrs['IssuedIn-LocationID'];
    if (issuedIn !== undefined) {
      const loc = locations.get(issuedIn);
      if (!loc) reject(el.line, `IDRegDocument ${id}: IssuedIn-LocationID ${issuedIn} names no Location of this file; the place of issue is skipped`);
      country ??= loc?.country ?? null;
    }
    let issued: string | null = null;
    let expires: string | null = null;
    for (const d of children(el, 'DocumentDate')) {
      const kind = ref('IDRegDocDateType', d, 'IDRegDocDateTypeID').text;
      const date = periodText(child(d, 'DatePeriod'));
      if (/issue/i.test(kind)) issued = date;
      else if (/expir/i.test(kind)) expires = date;
      else warnings.push(`${fileName}:${d.line}: IDRegDocument ${id} has a date of unknown type ${JSON.stringify(kind)}; it is not loaded`);
    }
    // ValidityID "Fraudulent" marks a document OFAC knows to be forged. IdentifierFact has no validity field,
    // so the label says so: "Passport (fraudulent)".
    const validity = refAt('Validity', el, 'ValidityID')?.text;
    const fullLabel = validity && validity !== 'Valid' ? `${label} (${validity.toLowerCase()})` : label;
    const noteParts = [textOf(el, 'IssuingAuthority') && `issued by ${textOf(el, 'IssuingAuthority')}`, textOf(el, 'Comment')].filter(Boolean);
    const doc: PendingDocument = {
      line: el.line,
      id,
      identityId,
      type,
      label: fullLabel,
      value,
      country,
      issued,
      expires,
      note: noteParts.length ? `${label} ${value}: ${noteParts.join(', ')}` : null,
    };
    pendingDocs.set(identityId, [...(pendingDocs.get(identityId) ?? []), doc]);
  }

  function claimDocuments(identityId: string, party: PartyRecord, fixedRef: string): void {
    for (const d of pendingDocs.get(identityId) ?? []) {
      identifiers.push({
        partyId: party.id,
        identifier: identifierRecord(d.type, d.value, d.country, d.label),
        label: d.label,
        issued: d.issued,
        expires: d.expires,
        provenance: prov(d.line, `FixedRef ${fixedRef}, IDRegDocument ${d.id}`),
      });
      if (d.note) notes.get(party.id)!.push(d.note);
    }
    pendingDocs.delete(identityId);
  }

  // --- Names: a DocumentedName is a list of NamePartValues, each typed through its NamePartGroup.
  function composeName(dn: XmlElement, groups: Map<string, string>): { name: string; latin: boolean } {
    const last: string[] = [];
    const rest: string[] = [];
    let latin = true;
    for (const part of children(dn, 'DocumentedNamePart')) {
      for (const v of children(part, 'NamePartValue')) {
        const script = refAt('Script', v, 'ScriptID');
        if (script && script.attrs.ScriptCode !== 'Latin') latin = false;
        refAt('ScriptStatus', v, 'ScriptStatusID');
        if (!v.text) continue;
        (groups.get(v.attrs.NamePartGroupID) === 'Last Name' ? last : rest).push(v.text);
      }
    }
    // The legacy files print "LAST, First Middle"; entity, vessel and aircraft names have no last name.
    const name = last.length && rest.length ? `${last.join(' ')}, ${rest.join(' ')}` : [...last, ...rest].join(' ');
    return { name: name.replace(/\s+/g, ' ').trim(), latin };
  }

  // --- Parties.
  function readParty(el: XmlElement): void {
    const fixedRef = el.attrs.FixedRef;
    if (!fixedRef || !/^\d+$/.test(fixedRef)) {
      reject(el.line, `DistinctParty has FixedRef ${JSON.stringify(fixedRef ?? null)}, not a number; it is skipped`);
      return;
    }
    const id = ofacId(fixedRef);
    const first = parties.get(id);
    if (first) {
      reject(el.line, `duplicate DistinctParty FixedRef ${fixedRef} (first seen at ${first.provenance.record}); this one is ignored`);
      return;
    }
    const profiles = children(el, 'Profile');
    if (profiles.length === 0) {
      reject(el.line, `DistinctParty ${fixedRef} has no Profile; it is skipped`);
      return;
    }
    // Kind: PartySubType (Vessel, Aircraft) or, when that is "Unknown", its PartyType (Individual, Entity).
    const subType = ref('PartySubType', profiles[0], 'PartySubTypeID');
    let typeText = subType.text;
    if (typeText === 'Unknown') {
      const partyType = refs.get('PartyType')?.get(subType.attrs.PartyTypeID);
      if (!partyType) {
        throw fail(profiles[0].line, `PartySubType ${profiles[0].attrs.PartySubTypeID} names PartyTypeID="${subType.attrs.PartyTypeID}", which is no PartyType of ReferenceValueSets`);
      }
      typeText = partyType.text;
    }
    // Individual -> Person, Entity -> Organization, Vessel, Aircraft (partyKindOf).
    let kind: PartyKind | null = partyKindOf(typeText);
    if (!kind) {
      // PartyType "Location", "Transport" (without a sub type) or "Other Entity": the model's LegalEntity.
      kind = 'LegalEntity';
      warnings.push(`${fileName}:${el.line}: DistinctParty ${fixedRef} is of party type ${JSON.stringify(typeText)}; loaded as LegalEntity`);
    }

    // Names. The primary name is the Alias with Primary="true" (AliasType "Name"); within it, the
    // DocumentedName with DocNameStatus "Primary Latin", else the first Latin one. Its other DocumentedNames
    // (other scripts) and all names of the other aliases become aliases.
    let name: string | null = null;
    const aliases: Alias[] = [];
    const identityIds: string[] = [];
    for (const profile of profiles) {
      for (const identity of children(profile, 'Identity')) {
        if (identity.attrs.ID) identityIds.push(identity.attrs.ID);
        const groups = new Map<string, string>();
        for (const g of children(identity, 'NamePartGroups').flatMap((x) => children(x, 'MasterNamePartGroup')).flatMap((x) => children(x, 'NamePartGroup'))) {
          groups.set(g.attrs.ID, ref('NamePartType', g, 'NamePartTypeID').text);
        }
        // Identity False="true" marks a false identity OFAC lists; its names are still names the party uses.
        for (const alias of children(identity, 'Alias')) {
          const aliasTypeText = ref('AliasType', alias, 'AliasTypeID').text;
          let type = Object.hasOwn(ALIAS_TYPE_WORDING, aliasTypeText) ? ALIAS_TYPE_WORDING[aliasTypeText] : undefined;
          if (!type) {
            type = 'a.k.a.';
            warnings.push(`${fileName}:${alias.line}: AliasType ${JSON.stringify(aliasTypeText)} is not one the model knows; loaded as a.k.a.`);
          }
          const quality = alias.attrs.LowQuality === 'true' ? 'weak' : 'strong';
          const names = children(alias, 'DocumentedName').map((dn) => ({
            ...composeName(dn, groups),
            status: refAt('DocNameStatus', dn, 'DocNameStatusID')?.text,
          }));
          const isPrimary = alias.attrs.Primary === 'true' && identity.attrs.Primary !== 'false' && name === null;
          let primaryIndex = -1;
          if (isPrimary) {
            primaryIndex = names.findIndex((n) => n.status === 'Primary Latin' && n.name);
            if (primaryIndex < 0) primaryIndex = names.findIndex((n) => n.latin && n.name);
            if (primaryIndex < 0) primaryIndex = names.findIndex((n) => n.name);
            if (primaryIndex >= 0) name = names[primaryIndex].name;
          }
          names.forEach((n, i) => {
            if (i !== primaryIndex && n.name) aliases.push({ name: n.name, type, quality });
          });
        }
      }
    }
    if (!name) {
      reject(el.line, `DistinctParty ${fixedRef} has no primary name (no Alias with Primary="true" and a DocumentedName); it is skipped`);
      return;
    }
    // OFAC repeats some names verbatim (an a.k.a. equal to the primary name, the same a.k.a. twice): kept
    // once. Only exact repeats: spellings that differ in punctuation ("VTB BANK (ARMENIA) CJSC" beside the
    // name "VTB BANK (ARMENIA), CJSC") are OFAC's own variants and stay.
    const seen = new Set([`a.k.a.|${name}`]);
    const uniqueAliases = aliases.filter((a) => {
      const key = `${a.type}|${a.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });

    const provenance = prov(el.line, `FixedRef ${fixedRef}`);
    const party: PartyRecord = {
      id,
      kind,
      name,
      aliases: uniqueAliases,
      programs: [],
      birthDates: [],
      birthPlaces: [],
      nationalities: [],
      citizenships: [],
      gender: null,
      titles: [],
      remarks: null,
      listedOn: null,
      vessel: kind === 'Vessel' ? { callSign: null, type: null, tonnage: null, grossTonnage: null, flag: null, owner: null } : null,
      provenance,
    };
    parties.set(id, party);
    const partyNotes: string[] = [];
    notes.set(id, partyNotes);
    // DistinctParty/Comment is the party's remark (e.g. "HAMAS - Hebron", directive links): the legacy
    // Remarks column carries the same text.
    const comment = textOf(el, 'Comment');
    if (comment) partyNotes.push(comment.replace(/\.$/, ''));
    for (const profile of profiles) {
      profileParty.set(profile.attrs.ID ?? fixedRef, id);
      for (const feature of children(profile, 'Feature')) readFeature(feature, party, fixedRef, partyNotes);
    }
    for (const identityId of identityIds) {
      claimDocuments(identityId, party, fixedRef);
    }
  }

  function readFeature(feature: XmlElement, party: PartyRecord, fixedRef: string, partyNotes: string[]): void {
    const type = ref('FeatureType', feature, 'FeatureTypeID').text.trim();
    for (const version of children(feature, 'FeatureVersion')) {
      refAt('Reliability', version, 'ReliabilityID');
      const texts: string[] = [];
      let location: LocationInfo | null = null;
      let locationId: string | null = null;
      for (const detail of children(version, 'VersionDetail')) {
        refAt('DetailType', detail, 'DetailTypeID');
        // DetailType LOOKUP: the value is a DetailReference (e.g. "Male", "Subject to Directive 2").
        const v = detail.attrs.DetailReferenceID !== undefined ? ref('DetailReference', detail, 'DetailReferenceID').text : detail.text;
        if (v) texts.push(v);
      }
      for (const dp of children(version, 'DatePeriod')) {
        const v = periodText(dp);
        if (v) texts.push(v);
      }
      for (const vl of children(version, 'VersionLocation')) {
        const loc = locations.get(vl.attrs.LocationID);
        if (!loc) {
          reject(vl.line, `Feature ${feature.attrs.ID ?? '?'} (${type}) of FixedRef ${fixedRef} names Location ${vl.attrs.LocationID}, which this file does not hold; the value is skipped`);
          continue;
        }
        location = loc;
        locationId = vl.attrs.LocationID;
      }
      const where = `FixedRef ${fixedRef}, Feature ${feature.attrs.ID ?? '?'}`;

      if (type === 'Location') {
        // An "undetermined" location (no part, no country) says nothing; the legacy add.csv prints it as a
        // row of -0- that the CSV parser skips too.
        if (location?.address) {
          addresses.push({ partyId: party.id, address: location.address, provenance: prov(feature.line, `${where}, Location ${locationId}`) });
        }
        for (const t of texts) partyNotes.push(`${type} ${t}`);
        continue;
      }
      // Country-valued features (citizenship, nationality, flag) point at a country-only Location.
      const values = [...texts, ...(location ? [location.country ?? location.address?.full].filter((x): x is string => !!x) : [])];
      for (const value of values) {
        // Feature type wording -> party field, vessel field, identifier or remark (classifyLabel).
        const c = classifyLabel(type);
        if (c.kind === 'field') {
          if (c.party !== 'gender') {
            if (!party[c.party].includes(value)) party[c.party].push(value);
          } else if (party.gender === null || party.gender === value) party.gender = value;
          else partyNotes.push(`${type} ${value}`);
        } else if (c.kind === 'vessel' && party.vessel && party.vessel[c.vessel] === null) {
          party.vessel[c.vessel] = value;
          // The call sign is also an identifier that ships share, as the CSV parser makes it.
          if (c.vessel === 'callSign') {
            identifiers.push({ partyId: party.id, identifier: identifierRecord('callSign', value, null, type), label: type, issued: null, expires: null, provenance: prov(feature.line, where) });
          }
        } else if (c.kind === 'identifier') {
          const idv = identifierOf(c.type, type, value);
          identifiers.push({
            partyId: party.id,
            identifier: identifierRecord(idv.type, idv.value, null, type),
            label: type,
            issued: null,
            expires: null,
            provenance: prov(feature.line, where),
          });
        } else {
          // No model field (e.g. "Executive Order 13662 Directive Determination -", "Nationality of
          // Registration", "Organization Established Date", a vessel field of a non-vessel or a second vessel
          // flag): a remark, worded as the legacy Remarks column words it.
          partyNotes.push(`${type} ${value}`);
        }
      }
    }
  }

  // --- Relationships: From-ProfileID -> To-ProfileID, typed by RelationType.
  function readRelationship(el: XmlElement): void {
    const relId = el.attrs.ID ?? '?';
    const wording = ref('RelationType', el, 'RelationTypeID').text;
    refAt('RelationQuality', el, 'RelationQualityID');
    const fromPid = el.attrs['From-ProfileID'];
    const toPid = el.attrs['To-ProfileID'];
    if (!fromPid || !toPid) throw fail(el.line, `<ProfileRelationship ID="${relId}"> lacks From-ProfileID or To-ProfileID`);
    const from = profileParty.get(fromPid);
    if (!from) {
      reject(el.line, `ProfileRelationship ${relId} (${wording}) starts at profile ${fromPid}, which is no party of this file; the link is skipped`);
      return;
    }
    // The target may be a party of the other list (SDN vs consolidated): the link is kept and the loader
    // makes a placeholder for it.
    const to = profileParty.get(toPid) ?? ofacId(toPid);
    const dp = child(el, 'DatePeriod');
    if (el.attrs.Former === 'true') formerLinks.push(relId);
    links.push({
      // OFAC's wording also says the direction: From "Owned or Controlled By" To runs asset -> owner.
      type: linkTypeOf(wording).type,
      inverse: linkTypeOf(wording).inverse,
      from,
      to: { id: to },
      label: wording,
      startDate: boundDate(child(dp, 'Start')),
      endDate: boundDate(child(dp, 'End')),
      sourceId: relId,
      provenance: prov(el.line, `FixedRef ${ofacUid(from)}, ProfileRelationship ${relId}`),
    });
  }

  // --- Sanctions entries: lists, programs, measures and the date of listing of a profile.
  function readEntry(el: XmlElement): void {
    firstEntryLine ??= el.line;
    const entryId = el.attrs.ID ?? '?';
    const list = ref('List', el, 'ListID').text;
    listsUsed.add(list);
    const partyId = profileParty.get(el.attrs.ProfileID ?? '');
    const party = partyId ? parties.get(partyId) : undefined;
    if (!party) {
      reject(el.line, `SanctionsEntry ${entryId} (${list}) is for profile ${el.attrs.ProfileID}, which is no party of this file; it is skipped`);
      return;
    }
    const events: string[] = [];
    for (const ev of children(el, 'EntryEvent')) {
      const what = refAt('EntryEventType', ev, 'EntryEventTypeID')?.text ?? 'Event';
      const basis = refAt('LegalBasis', ev, 'LegalBasisID')?.text;
      const date = ymd(child(ev, 'Date'));
      // listedOn: the earliest date the party entered any list (a party is on several lists, e.g. the
      // consolidated list and the Palestinian Legislative Council list, each with its own date).
      if (date && (!party.listedOn || date < party.listedOn)) party.listedOn = date;
      events.push([`${what}${date ? ` ${date}` : ''}`, basis && basis !== 'Unknown' ? `legal basis ${basis}` : null, textOf(ev, 'Comment')].filter(Boolean).join(', '));
    }
    const measures: string[] = [];
    for (const m of children(el, 'SanctionsMeasure')) {
      const type = ref('SanctionsType', m, 'SanctionsTypeID').text;
      const comment = textOf(m, 'Comment');
      const period = periodText(child(m, 'DatePeriod'));
      // SanctionsType "Program": the measure's Comment is the program code (SDGT, UKRAINE-EO13662, ...).
      if (type === 'Program') {
        if (comment && !party.programs.includes(comment)) party.programs.push(comment);
        continue;
      }
      measures.push([type, comment, period].filter(Boolean).join(' '));
    }
    // The list, measures (Block, Reject, "13662 Sectoral Directive 2") and events have no model field: one
    // remark per entry keeps them.
    notes.get(party.id)!.push(`${list}: ${measures.join(', ') || 'listed'}${events.length ? ` (${events.join(', ')})` : ''}`);
  }

  // A record is built as a small tree only for these paths; everything else streams past.
  const RECORDS: Record<string, (el: XmlElement) => void> = {
    'Sanctions/DateOfIssue': (el) => {
      issuedOn = ymd(el);
    },
    'Sanctions/Locations/Location': (el) => {
      const id = el.attrs.ID;
      if (!id) throw fail(el.line, '<Location> has no ID');
      if (locations.has(id)) reject(el.line, `duplicate Location ID ${id} (first at line ${locations.get(id)!.line}); the first is used`);
      else locations.set(id, readLocation(el));
    },
    'Sanctions/IDRegDocuments/IDRegDocument': readDocument,
    'Sanctions/DistinctParties/DistinctParty': readParty,
    'Sanctions/ProfileRelationships/ProfileRelationship': readRelationship,
    'Sanctions/SanctionsEntries/SanctionsEntry': readEntry,
  };
  const recordPath = (p: string[]) => p.join('/');
  // readOfacXml: streamXml, naming the exact line when the file is not UTF-8.
  await readOfacXml(file, {
    // Each table of ReferenceValueSets (e.g. <AliasTypeValues>) is one small record.
    isRecord: (p) => (p.length === 3 && p[1] === 'ReferenceValueSets') || Object.hasOwn(RECORDS, recordPath(p)),
    onRecord: (el, p) => {
      if (p.length === 3 && p[1] === 'ReferenceValueSets') {
        const table = new Map<string, RefValue>();
        for (const v of el.children) if (v.attrs.ID !== undefined) table.set(v.attrs.ID, { text: v.text, attrs: v.attrs });
        refs.set(el.name.replace(/Values$/, ''), table);
      } else {
        // Valid UTF-8 can still be mojibake (UTF-8 read as Latin-1 and saved again): refused with its line.
        assertNoMojibake(el, fileName);
        RECORDS[recordPath(p)](el);
      }
    },
    onOpen: (name, _attrs, line, p) => {
      if (p.length === 1 && name !== 'Sanctions') {
        throw fail(line, `is not an OFAC ADVANCED XML file: the root element is <${name}>, not <Sanctions> (sdn_advanced.xsd)`);
      }
    },
    ...readerOptions(opts),
  });

  for (const docs of pendingDocs.values()) {
    for (const d of docs) {
      reject(d.line, `orphan: IDRegDocument ${d.id} (${d.label}) is for IdentityID ${d.identityId}, the identity of no party in this file; it is skipped`);
    }
  }
  if (parties.size === 0) {
    throw fail(undefined, 'holds no DistinctParty: an empty file is refused (it would delist everything)');
  }

  // Dataset from the lists the entries name. CONS_ADVANCED.XML puts every party on "Consolidated List" (some
  // also on "SDN List" or a program's list); SDN_ADVANCED.XML puts them on "SDN List" and not on the
  // consolidated one.
  const dataset =
    opts.dataset ??
    (listsUsed.has('Consolidated List') ? OFAC_DATASETS.cons.name : listsUsed.has('SDN List') ? OFAC_DATASETS.sdn.name : null);
  if (!dataset) {
    throw fail(
      firstEntryLine,
      `its SanctionsEntries name neither "SDN List" nor "Consolidated List" (${[...listsUsed].join(', ') || 'none'}), so its dataset is unknown: give one with --dataset`,
    );
  }
  const release = chooseRelease(file, opts, issuedOn);
  if (formerLinks.length) {
    warnings.push(
      `${formerLinks.length} relationships are marked Former="true" (ended); the model cannot say so, they load as current links: ProfileRelationship ${formerLinks.join(', ')}`,
    );
  }
  for (const p of provenances) {
    p.dataset = dataset;
    p.release = release;
  }
  for (const party of parties.values()) {
    const statements = notes.get(party.id)!;
    party.remarks = statements.length ? `${statements.join('; ')}.` : null;
  }

  return {
    dataset,
    release,
    idPrefix: OFAC_ID_PREFIX,
    parties: [...parties.values()],
    addresses,
    identifiers,
    links,
    rejected,
    warnings,
    files: [fileName],
  };
}

export const ofacAdvancedXmlFormat: SourceFormat = {
  name: 'ofac-advanced-xml',
  description: 'OFAC ADVANCED XML (sdn_advanced.xsd): SDN_ADVANCED.XML or CONS_ADVANCED.XML',
  publisher: OFAC_PUBLISHER,
  detect: detectOfacAdvancedXml,
  parse: parseOfacAdvancedXml,
  title: (dataset) => Object.values(OFAC_DATASETS).find((d) => d.name === dataset)?.title ?? dataset,
};
