/**
 * OFAC classic XML (`sdnList`: SDN.XML, and consolidated.xml for the Consolidated list) -> the common model.
 *
 * Format: OFAC's sdnList.xsd (shipped beside the 2018 sample as consolidated.xsd; the data file declares
 * the namespace http://tempuri.org/sdnList.xsd). Root `sdnList` holds publshInformation (sic: Publish_Date
 * as MM/DD/YYYY, Record_Count) and one sdnEntry per listed party, keyed by sdnEntry/uid (the same number
 * as ent_num in the legacy CSV files and entity/@id in ENHANCED_XML).
 *
 * Mapping (element -> model):
 * - uid -> id `ofac-<uid>`; sdnType -> kind; lastName + firstName -> name, written "LAST, First" as the
 *   legacy CSV and ENHANCED formattedFullName write it; title -> titles; programList/program -> programs.
 * - akaList/aka -> aliases: type (a.k.a., f.k.a., n.k.a.), category (strong/weak) -> quality, names
 *   written like the primary name. aka/uid is OFAC's alias number and not kept (aliases have no id).
 * - idList/id: the classic format mixes identity documents and features here. Documents (Passport,
 *   Registration ID, MMSI, Vessel Registration Identification "IMO 9187629", Email Address, Website, ...)
 *   -> identifiers with idType as label, idNumber, idCountry, issueDate, expirationDate; features without
 *   a model field ("Former Vessel Flag", "Additional Sanctions Information -", "Executive Order 13662
 *   Directive Determination -", ...) -> remark statements; features with a field (Gender, ...) -> it.
 * - addressList/address -> AddressFact (written as the legacy add.csv writes it, see ofacAddress).
 * - nationalityList, citizenshipList, dateOfBirthList, placeOfBirthList -> nationalities, citizenships,
 *   birthDates, birthPlaces (mainEntry only orders OFAC's own display and is not kept).
 * - vesselInfo -> vessel; callSign is also an identifier (as in the legacy CSV parser). vesselInfo's
 *   values are labelled with ENHANCED's feature names ("Vessel Call Sign", ...) so both XML formats agree.
 * - remarks -> remarks (after the statements above), kept whole; "(Linked To: NAME)" statements become
 *   UNKNOWN_LINK links to a party named, not numbered (the format has no typed relationships; the loader
 *   resolves the name), and phone numbers written there become identifiers.
 * - The format states no designation date: listedOn stays null.
 * - The dataset: the file never names its list (SDN.XML and consolidated.xml share the schema and
 *   namespace), so it comes from --dataset, else the file name OFAC publishes it under (sdn.xml ->
 *   ofac-sdn, consolidated.xml / cons*.xml -> ofac-cons), else ofac-sdn with a warning.
 *
 * Problems: not well-formed, truncated or non-UTF-8 files fail with file and line (streamXml), as do
 * files that look re-encoded (assertNoMojibake). An sdnEntry without a numeric uid, a lastName or a known
 * sdnType, or with a uid seen before, is rejected with file, line and reason and the rest loads. A file
 * whose entry count differs from its Record_Count is loaded with a warning (a cut at an element boundary
 * would not be well-formed, so the difference means an excerpt or an inconsistent export).
 */
import path from 'node:path';
import type { ParsedRelease } from '../../server/core/model';
import { SourceFormatError } from '../../server/core/errors';
import type { SourceFormat } from '../parse-options';
import { chooseRelease, type ParseOptions, readerOptions } from '../parse-options';
import { child, children, head, textOf, type XmlElement } from '../xml';
import { nameKey } from '../../server/core/text/normalize';
import { OFAC_DATASETS, OFAC_PUBLISHER } from './ofac-csv.meta';
import {
  OfacEntry,
  ReleaseCollector,
  aliasTypeOf,
  assertNoMojibake,
  datasetOf,
  isFeatureLabel,
  ofacAddress,
  partyKindOf,
  readOfacXml,
  remarkFacts,
  type ReleaseMeta,
} from './ofac-xml-common';

const ROOT = 'sdnList';

/** Classic OFAC XML files start with an `sdnList` root element (namespace tempuri.org/sdnList.xsd). */
export async function detectOfacClassicXml(file: string): Promise<boolean> {
  try {
    return /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?sdnList[\s>]/.test(head(file));
  } catch {
    return false;
  }
}

/** "04/06/2018" (publshInformation/Publish_Date) -> "2018-04-06"; null when it is not such a date. */
export function publishDate(raw: string | null): string | null {
  const m = raw ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw.trim()) : null;
  if (!m) return null;
  const iso = `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** "LAST, First" as OFAC's other formats write a name; entities have a lastName only. */
function fullName(el: XmlElement): string | null {
  const last = textOf(el, 'lastName');
  const first = textOf(el, 'firstName');
  if (!last) return first;
  return first ? `${last}, ${first}` : last;
}

function readEntry(el: XmlElement, file: string, meta: ReleaseMeta, out: ReleaseCollector): void {
  out.seen++;
  const uid = textOf(el, 'uid') ?? '';
  if (!/^\d+$/.test(uid)) {
    out.reject(el.line, `sdnEntry without a numeric uid (${JSON.stringify(textOf(el, 'uid'))}); it is skipped`);
    return;
  }
  const type = textOf(el, 'sdnType');
  const kind = partyKindOf(type);
  if (!kind) {
    out.reject(el.line, `sdnEntry ${uid}: ${type ? `unknown sdnType ${JSON.stringify(type)}` : 'no sdnType'} (expected Individual, Entity, Vessel or Aircraft); it is skipped`);
    return;
  }
  const name = textOf(el, 'lastName') ? fullName(el) : null;
  if (!name) {
    out.reject(el.line, `sdnEntry ${uid} has no lastName (the schema requires it; it holds an entity's whole name); it is skipped`);
    return;
  }
  const e = new OfacEntry(uid, kind, name, el.line, file, meta);
  const title = textOf(el, 'title');
  if (title) e.titles.push(title);
  for (const p of children(child(el, 'programList'), 'program')) e.addProgram(p.text);

  for (const a of children(child(el, 'akaList'), 'aka')) {
    const aliasText = textOf(a, 'type');
    const aliasType = aliasTypeOf(aliasText);
    if (!aliasType) out.warnings.push(`${file}:${a.line}: sdnEntry ${uid}: alias type ${JSON.stringify(aliasText)} is not a.k.a., f.k.a., n.k.a. or d.b.a.; read as a.k.a.`);
    const category = textOf(a, 'category')?.toLowerCase();
    e.addAlias(fullName(a), aliasType ?? 'a.k.a.', category === 'weak' ? 'weak' : category === 'strong' ? 'strong' : null);
  }

  for (const id of children(child(el, 'idList'), 'id')) {
    const label = textOf(id, 'idType');
    const value = textOf(id, 'idNumber');
    if (!label || !value) {
      if (label || value) e.statement([label, value].filter(Boolean).join(' '));
      continue;
    }
    const opts = {
      line: id.line,
      country: textOf(id, 'idCountry'),
      issued: textOf(id, 'issueDate'),
      expires: textOf(id, 'expirationDate'),
      extra: `id ${textOf(id, 'uid') ?? '?'}`,
    };
    if (isFeatureLabel(label)) e.addLabelled(label, value, opts);
    else e.addDocument(label, value, opts);
  }

  for (const a of children(child(el, 'addressList'), 'address')) {
    e.addAddress(
      ofacAddress({
        lines: [textOf(a, 'address1'), textOf(a, 'address2'), textOf(a, 'address3')].filter((x): x is string => !!x),
        city: textOf(a, 'city'),
        state: textOf(a, 'stateOrProvince'),
        postalCode: textOf(a, 'postalCode'),
        region: null,
        country: textOf(a, 'country'),
      }),
      a.line,
      `address ${textOf(a, 'uid') ?? '?'}`,
    );
  }

  const lists: [string, string, string][] = [
    ['nationalityList', 'nationality', 'country'],
    ['citizenshipList', 'citizenship', 'country'],
    ['dateOfBirthList', 'dateOfBirthItem', 'dateOfBirth'],
    ['placeOfBirthList', 'placeOfBirthItem', 'placeOfBirth'],
  ];
  const labels: Record<string, string> = {
    nationalityList: 'Nationality Country',
    citizenshipList: 'Citizenship Country',
    dateOfBirthList: 'Birthdate',
    placeOfBirthList: 'Place of Birth',
  };
  for (const [list, item, value] of lists) {
    for (const i of children(child(el, list), item)) e.addLabelled(labels[list], textOf(i, value), { line: i.line });
  }

  const vessel = child(el, 'vesselInfo');
  if (vessel) {
    const fields: [string, string][] = [
      ['callSign', 'Vessel Call Sign'],
      ['vesselType', 'Vessel Type'],
      ['vesselFlag', 'Vessel Flag'],
      ['vesselOwner', 'Vessel Owner'],
      ['tonnage', 'Vessel Tonnage'],
      ['grossRegisteredTonnage', 'Vessel Gross Registered Tonnage'],
    ];
    for (const [element, label] of fields) e.addLabelled(label, textOf(vessel, element), { line: child(vessel, element)?.line ?? vessel.line, extra: 'vesselInfo' });
  }

  const own = textOf(el, 'remarks');
  if (own) {
    const line = child(el, 'remarks')!.line;
    const facts = remarkFacts(own);
    for (const id of facts.identifiers) {
      e.addIdentifier(id.type, id.label, id.value, { line, country: id.country, issued: id.issued, expires: id.expires, extra: 'remarks' });
    }
    for (const a of facts.aliases) e.addAlias(a.name, a.type, a.quality);
    for (const target of facts.linkedTo) {
      if (nameKey(target) === '') {
        out.reject(line, `sdnEntry ${uid}: "Linked To:" names no party (${JSON.stringify(target)}); the link is skipped`);
        continue;
      }
      e.addLink({ type: 'UNKNOWN_LINK', to: { name: target }, label: 'Linked To' }, line, 'remarks');
    }
  }
  out.commit(e, own);
}

export async function parseOfacClassicXml(files: string[], opts: ParseOptions): Promise<ParsedRelease> {
  if (files.length !== 1) {
    throw new SourceFormatError(files.map((f) => path.basename(f)).join(', '), undefined, 'a classic OFAC XML release is one file; load one file at a time');
  }
  const file = files[0];
  const name = path.basename(file);
  const out = new ReleaseCollector(name);
  let published: string | null = null;
  let recordCount: number | null = null;
  let meta: ReleaseMeta | null = null;
  // publshInformation precedes the entries (xsd sequence): dataset and release are fixed at the first one.
  const ensureMeta = (): ReleaseMeta => {
    if (meta) return meta;
    let dataset = opts.dataset ?? datasetOf([], file);
    if (!dataset) {
      dataset = OFAC_DATASETS.sdn.name;
      out.warnings.push(`${name}: the classic format does not name its list and the file name does not say; loaded as ${dataset} (give --dataset to choose)`);
    }
    meta = { dataset, release: chooseRelease(file, opts, published) };
    return meta;
  };

  await readOfacXml(file, {
    ...readerOptions(opts),
    isRecord: (p) => p.length === 2 && (p[1] === 'publshInformation' || p[1] === 'sdnEntry'),
    onOpen: (tag, _attrs, line, p) => {
      if (p.length === 1 && tag !== ROOT) throw new SourceFormatError(name, line, `root element is <${tag}>, not <${ROOT}>: not an OFAC classic XML file`);
    },
    onRecord: (el) => {
      assertNoMojibake(el, name);
      if (el.name === 'publshInformation') {
        const raw = textOf(el, 'Publish_Date');
        published = publishDate(raw);
        if (raw && !published) {
          throw new SourceFormatError(name, child(el, 'Publish_Date')!.line, `publshInformation/Publish_Date ${JSON.stringify(raw)} is not a date like 04/06/2018 (MM/DD/YYYY)`);
        }
        const count = textOf(el, 'Record_Count');
        recordCount = count && /^\d+$/.test(count) ? Number(count) : null;
        return;
      }
      readEntry(el, name, ensureMeta(), out);
    },
  });
  if (recordCount !== null && recordCount !== out.seen) {
    out.warnings.push(`${name} says Record_Count ${recordCount} but holds ${out.seen} sdnEntry elements (an excerpt, or an inconsistent export)`);
  }
  return out.result(ensureMeta(), [name]);
}

export const ofacClassicXmlFormat: SourceFormat = {
  name: 'ofac-classic-xml',
  description: 'OFAC classic XML (sdnList: SDN.XML or consolidated.xml): one file per release',
  publisher: OFAC_PUBLISHER,
  detect: detectOfacClassicXml,
  parse: parseOfacClassicXml,
  title: (dataset) => Object.values(OFAC_DATASETS).find((d) => d.name === dataset)?.title ?? dataset,
};
