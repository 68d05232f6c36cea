/**
 * OFAC ENHANCED_XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML) -> the common model.
 *
 * Format: https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML.xsd.
 * Root `sanctionsData` holds publicationInfo (dataAsOf, filters), referenceValues and featureTypes (code
 * tables), and entities/entity, one per listed party, keyed by `entity/@id` (the same number as ent_num
 * in the legacy CSV files and uid in the classic XML, so all three formats give a party one id). Every
 * reference inside an entity carries the referenced value's text as well as its refId, so the code
 * tables are not needed to read an entity and are not loaded.
 *
 * Mapping (element -> model):
 * - generalInfo/entityType -> kind; generalInfo/remarks -> remarks (after the statements below);
 *   generalInfo/title -> titles; livingStatus, isUsCitizen, isUsPerson -> remark statements.
 *   generalInfo/identityId (OFAC's internal identity number) is not mapped: it identifies nothing outside
 *   OFAC's database and the entity id already does.
 * - names/name[isPrimary=true], its primary translation's formattedFullName -> name. Every other
 *   translation (other names, and the same names in Cyrillic or Chinese script) -> aliases, typed by
 *   aliasType (the primary name's translations are a.k.a.), 'weak' when isLowQuality (the legacy files
 *   print those as "a.k.a." in Remarks), else 'strong'. nameParts are the same text split and not kept.
 * - sanctionsPrograms -> programs; sanctionsLists/@datePublished, earliest -> listedOn; the list names,
 *   sanctionsTypes and legalAuthorities -> remark statements (the model has no sanction facet).
 * - addresses/address: each translation with content -> one AddressFact (written as the legacy add.csv
 *   writes it, see ofacAddress), the country from address/country.
 * - features/feature: by type, into a field (Birthdate, Place of Birth, Nationality/Citizenship Country,
 *   Gender, Vessel *), an identifier (Email Address, Website, SWIFT/BIC, ISIN, Digital Currency Address -
 *   XBT, ...) or a remark statement ("Target Type Private Company"). feature/comments is kept in the
 *   statement; a feature with reliability "False" (OFAC's mark for a value known to be false) is not put
 *   into a field but kept as a statement saying so. versionId and valueRefId are internal and not kept.
 * - identityDocuments/identityDocument -> identifiers: type text as label, documentNumber, issuingCountry,
 *   issueDate/expirationDate; issuingAuthority, issuingLocation, comments and isValid=false -> a remark
 *   statement (IdentifierFact has no field for them). identityDocument/name (which of the party's names
 *   the document was issued under) and idFeatures are not mapped: the model attaches documents to
 *   parties, not to names or features.
 * - relationships/relationship -> LinkRecord from this entity to relatedEntity/@entityId, even when that
 *   entity is not in the file (CONS_ENHANCED points at SDN entries); relatedEntity's text (the other
 *   party's name) names the placeholder. type -> label and link type; @id -> sourceId; dateRange ->
 *   startDate/endDate; comments -> a remark statement. relationship/quality ("High", "Low") is not mapped:
 *   LinkRecord has no confidence property.
 *
 * Problems: a file that is not well-formed, truncated, or not UTF-8 fails with file and line (streamXml);
 * so does a file that looks re-encoded (assertNoMojibake). An entity that cannot be read (no id, no type,
 * no primary name) or whose id was seen before is rejected with file, line and reason, and the rest loads:
 * as the legacy CSV parser does, one bad record does not stop a list of thousands.
 */
import path from 'node:path';
import { ALIAS_TYPES, type ParsedRelease } from '../../server/core/model';
import { SourceFormatError } from '../../server/core/errors';
import type { SourceFormat } from '../parse-options';
import { chooseRelease, type ParseOptions, readerOptions } from '../parse-options';
import { child, children, head, textOf, type XmlElement } from '../xml';
import { OFAC_DATASETS, OFAC_PUBLISHER, ofacId } from './ofac-csv.meta';
import {
  OfacEntry,
  ReleaseCollector,
  aliasTypeOf,
  assertNoMojibake,
  dateWindow,
  datasetOf,
  linkTypeOf,
  ofacAddress,
  partyKindOf,
  readOfacXml,
  remarkFacts,
  type ReleaseMeta,
} from './ofac-xml-common';

const ROOT = 'sanctionsData';

/** ENHANCED_XML files start with a `sanctionsData` root in OFAC's ENHANCED_XML namespace. */
export async function detectOfacEnhancedXml(file: string): Promise<boolean> {
  try {
    const text = head(file);
    const root = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?sanctionsData[\s>]/.exec(text);
    return root !== null && /exports\/ENHANCED_XML/.test(text);
  } catch {
    return false;
  }
}

/** ENHANCED DatePeriodType (fromDateBegin .. toDateEnd) -> a single date, or start and end of a range. */
function period(el: XmlElement | undefined): { date: string | null; start: string | null; end: string | null } {
  if (!el) return { date: null, start: null, end: null };
  const fb = textOf(el, 'fromDateBegin');
  const fe = textOf(el, 'fromDateEnd');
  const tb = textOf(el, 'toDateBegin');
  const te = textOf(el, 'toDateEnd');
  if (textOf(el, 'isDateRange') === 'true') {
    const start = dateWindow(fb, fe);
    const end = dateWindow(tb, te);
    return { date: start && end ? `${start}/${end}` : (start ?? end), start, end };
  }
  const date = dateWindow(fb ?? tb, te ?? fe);
  return { date, start: date, end: null };
}

/** A translation's full name: formattedFullName, else its name parts in order. */
function translationName(tr: XmlElement): string | null {
  return textOf(tr, 'formattedFullName') ?? (children(child(tr, 'nameParts'), 'namePart').map((p) => textOf(p, 'value')).filter(Boolean).join(' ') || null);
}

function primaryTranslation(name: XmlElement): XmlElement | undefined {
  const trs = children(child(name, 'translations'), 'translation');
  return trs.find((t) => textOf(t, 'isPrimary') === 'true') ?? trs[0];
}

function readEntity(el: XmlElement, file: string, meta: ReleaseMeta, out: ReleaseCollector): void {
  out.seen++;
  const uid = el.attrs.id?.trim() ?? '';
  if (!/^\d+$/.test(uid)) {
    out.reject(el.line, `entity without a numeric id attribute (id=${JSON.stringify(el.attrs.id ?? null)}); it is skipped`);
    return;
  }
  const general = child(el, 'generalInfo');
  const type = textOf(general, 'entityType');
  const kind = partyKindOf(type);
  if (!kind) {
    out.reject(el.line, `entity ${uid}: ${type ? `unknown entityType ${JSON.stringify(type)}` : 'no generalInfo/entityType'} (expected Individual, Entity, Vessel or Aircraft); it is skipped`);
    return;
  }
  const names = children(child(el, 'names'), 'name');
  const primaryName = names.find((n) => textOf(n, 'isPrimary') === 'true');
  const primaryTr = primaryName && primaryTranslation(primaryName);
  const name = primaryTr && translationName(primaryTr);
  if (!name) {
    out.reject(el.line, `entity ${uid} has no primary name (names/name with isPrimary true and a formattedFullName); it is skipped`);
    return;
  }
  const e = new OfacEntry(uid, kind, name, el.line, file, meta);

  for (const n of names) {
    const isPrimary = n === primaryName;
    const aliasText = textOf(n, 'aliasType');
    const aliasType = isPrimary ? 'a.k.a.' : (aliasTypeOf(aliasText) ?? 'a.k.a.');
    if (!isPrimary && aliasText && !aliasTypeOf(aliasText)) out.warnings.push(`${file}:${n.line}: entity ${uid}: alias type ${JSON.stringify(aliasText)} is not one of ${ALIAS_TYPES.join(', ')}; read as a.k.a.`);
    const quality = textOf(n, 'isLowQuality') === 'true' ? 'weak' : 'strong';
    for (const tr of children(child(n, 'translations'), 'translation')) {
      if (tr === primaryTr) continue;
      e.addAlias(translationName(tr), aliasType, quality);
    }
  }

  for (const p of children(child(el, 'sanctionsPrograms'), 'sanctionsProgram')) e.addProgram(p.text);
  const title = textOf(general, 'title');
  if (title) e.titles.push(title);
  const living = textOf(general, 'livingStatus');
  if (living) e.statement(`Living status: ${living}`);
  if (textOf(general, 'isUsCitizen') === 'true') e.statement('U.S. citizen');
  if (textOf(general, 'isUsPerson') === 'true') e.statement('U.S. person');

  // Addresses: one fact per translation (the Latin one and, e.g., the Cyrillic original).
  for (const a of children(child(el, 'addresses'), 'address')) {
    const country = textOf(a, 'country');
    const trs = children(child(a, 'translations'), 'translation');
    const ordered = [...trs.filter((t) => textOf(t, 'isPrimary') === 'true'), ...trs.filter((t) => textOf(t, 'isPrimary') !== 'true')];
    if (ordered.length === 0) ordered.push({ name: 'translation', attrs: {}, children: [], text: '', line: a.line });
    for (const tr of ordered) {
      const parts = new Map<string, string[]>();
      for (const p of children(child(tr, 'addressParts'), 'addressPart')) {
        const t = textOf(p, 'type')?.toUpperCase();
        const v = textOf(p, 'value');
        if (t && v) parts.set(t, [...(parts.get(t) ?? []), v]);
      }
      const one = (k: string) => (parts.get(k) ?? []).join(', ') || null;
      const script = textOf(tr, 'script');
      e.addAddress(
        ofacAddress({
          lines: [...(parts.get('ADDRESS1') ?? []), ...(parts.get('ADDRESS2') ?? []), ...(parts.get('ADDRESS3') ?? [])],
          city: one('CITY'),
          state: one('STATE/PROVINCE'),
          postalCode: one('POSTAL CODE'),
          region: one('REGION'),
          country,
        }),
        a.line,
        `address ${a.attrs.id ?? '?'}${script && script !== 'Latin' ? `, ${script}` : ''}`,
      );
    }
  }

  // Features: facts by feature type.
  for (const f of children(child(el, 'features'), 'feature')) {
    const label = textOf(f, 'type');
    if (!label) continue;
    const when = period(child(f, 'valueDate'));
    let value = textOf(f, 'value') ?? when.date;
    if (value && label === 'Birthdate' && child(f, 'valueDate') && textOf(child(f, 'valueDate'), 'isApproximate') === 'true' && !/circa/i.test(value)) {
      value = `circa ${value}`; // the legacy files print approximate birth dates as "DOB circa 1962"
    }
    const comments = textOf(f, 'comments');
    if (textOf(f, 'reliability') === 'False') {
      e.statement(`${label} ${value ?? ''} (reliability: False)`);
      continue;
    }
    e.addLabelled(label, value, { line: f.line, comments, extra: `feature ${f.attrs.id ?? '?'}` });
  }

  // Identity documents.
  for (const d of children(child(el, 'identityDocuments'), 'identityDocument')) {
    const label = textOf(d, 'type');
    const number = textOf(d, 'documentNumber');
    const country = textOf(d, 'issuingCountry');
    if (!label || !number) {
      e.statement(`identity document ${d.attrs.id ?? '?'} without ${!label ? 'type' : 'number'}: ${[label, number, country].filter(Boolean).join(' ')}`);
      continue;
    }
    e.addDocument(label, number, {
      line: d.line,
      country,
      issued: period(child(d, 'issueDate')).date,
      expires: period(child(d, 'expirationDate')).date,
      extra: `document ${d.attrs.id ?? '?'}`,
    });
    const details = [
      textOf(d, 'issuingAuthority') && `issued by ${textOf(d, 'issuingAuthority')}`,
      textOf(d, 'issuingLocation') && `issued in ${textOf(d, 'issuingLocation')}`,
      textOf(d, 'comments'),
      textOf(d, 'isValid') === 'false' && 'not valid',
    ].filter(Boolean);
    if (details.length) e.statement(`${label} ${number}: ${details.join(', ')}`);
  }

  // Typed relationships.
  for (const r of children(child(el, 'relationships'), 'relationship')) {
    const related = child(r, 'relatedEntity');
    const target = related?.attrs.entityId?.trim() ?? '';
    const label = textOf(r, 'type');
    if (!/^\d+$/.test(target) || !label) {
      out.reject(r.line, `entity ${uid}: relationship ${r.attrs.id ?? '?'} has ${!label ? 'no type' : 'no numeric relatedEntity/@entityId'}; the relationship is skipped`);
      continue;
    }
    const when = period(child(r, 'dateRange'));
    const relatedName = related?.text || undefined;
    const linkType = linkTypeOf(label);
    if (!linkType.known) out.unknownRelationshipTypes.add(label);
    e.addLink(
      {
        type: linkType.type,
        inverse: linkType.inverse,
        to: { id: ofacId(target), name: relatedName },
        label,
        startDate: when.start,
        endDate: when.end,
        sourceId: r.attrs.id ?? null,
      },
      r.line,
      `relationship ${r.attrs.id ?? '?'}`,
    );
    const comments = textOf(r, 'comments');
    if (comments) e.statement(`${label} ${relatedName ?? target}: ${comments}`);
  }

  // Lists, sanctions types and legal authorities (after the features, which the legacy files print first).
  const lists = children(child(el, 'sanctionsLists'), 'sanctionsList');
  const published = lists.map((l) => l.attrs.datePublished?.slice(0, 10)).filter((d): d is string => !!d && /^\d{4}-\d{2}-\d{2}$/.test(d));
  // The first listing on any OFAC list is when OFAC designated the party.
  e.listedOn = published.length ? published.sort()[0] : null;
  if (lists.length) e.statement(`Sanctions lists: ${lists.map((l) => (l.attrs.datePublished ? `${l.text} (${l.attrs.datePublished.slice(0, 10)})` : l.text)).join(', ')}`);
  const types = children(child(el, 'sanctionsTypes'), 'sanctionsType').map((t) => t.text).filter(Boolean);
  if (types.length) e.statement(`Sanctions types: ${types.join(', ')}`);
  const authorities = children(child(el, 'legalAuthorities'), 'legalAuthority').map((t) => t.text).filter(Boolean);
  if (authorities.length) e.statement(`Legal authorities: ${authorities.join(', ')}`);


  // Free-text remarks: kept whole; identifiers written in them (phone numbers) are read too. "Linked To"
  // statements are not: ENHANCED states those links as typed relationships already.
  const own = textOf(general, 'remarks');
  for (const id of remarkFacts(own).identifiers) {
    e.addIdentifier(id.type, id.label, id.value, { line: child(general, 'remarks')!.line, country: id.country, issued: id.issued, expires: id.expires, extra: 'remarks' });
  }
  out.commit(e, own);
}

export async function parseOfacEnhancedXml(files: string[], opts: ParseOptions): Promise<ParsedRelease> {
  if (files.length !== 1) {
    throw new SourceFormatError(files.map((f) => path.basename(f)).join(', '), undefined, 'an ENHANCED_XML release is one file; load one file at a time');
  }
  const file = files[0];
  const name = path.basename(file);
  const out = new ReleaseCollector(name);
  let dataAsOf: string | null = null;
  const listNames: string[] = [];
  let meta: ReleaseMeta | null = null;
  // publicationInfo precedes the entities (xsd sequence); the dataset and release are fixed at the first
  // entity, so every provenance is complete when made, and a file without a date fails before any work.
  const ensureMeta = (): ReleaseMeta => {
    if (meta) return meta;
    let dataset = opts.dataset ?? datasetOf(listNames, file);
    if (!dataset) {
      dataset = OFAC_DATASETS.sdn.name;
      out.warnings.push(`${name} names no list in publicationInfo/filters and its file name does not say; loaded as ${dataset} (give --dataset to choose)`);
    }
    meta = { dataset, release: chooseRelease(file, opts, dataAsOf) };
    return meta;
  };

  await readOfacXml(file, {
    ...readerOptions(opts),
    isRecord: (p) => (p.length === 2 && p[1] === 'publicationInfo') || (p.length === 3 && p[1] === 'entities' && p[2] === 'entity'),
    onOpen: (tag, _attrs, line, p) => {
      if (p.length === 1 && tag !== ROOT) throw new SourceFormatError(name, line, `root element is <${tag}>, not <${ROOT}>: not an OFAC ENHANCED_XML file`);
    },
    onRecord: (el) => {
      assertNoMojibake(el, name);
      if (el.name === 'publicationInfo') {
        const raw = textOf(el, 'dataAsOf');
        if (raw && !/^\d{4}-\d{2}-\d{2}/.test(raw)) throw new SourceFormatError(name, child(el, 'dataAsOf')!.line, `publicationInfo/dataAsOf ${JSON.stringify(raw)} is not a date like 2025-01-10T00:00:00`);
        dataAsOf = raw ? raw.slice(0, 10) : null;
        const filters = child(el, 'filters');
        for (const l of children(child(filters, 'sanctionsLists'), 'sanctionsList')) listNames.push(l.text);
        const programs = children(child(filters, 'sanctionsPrograms'), 'sanctionsProgram').map((p) => p.text);
        if (programs.length) {
          out.warnings.push(`${name} is an export filtered to programs ${programs.join(', ')}: loaded as a whole list, it delists the parties of other programs`);
        }
        return;
      }
      readEntity(el, name, ensureMeta(), out);
    },
  });
  return out.result(ensureMeta(), [name]);
}

export const ofacEnhancedXmlFormat: SourceFormat = {
  name: 'ofac-enhanced-xml',
  description: 'OFAC ENHANCED_XML (SDN_ENHANCED.XML or CONS_ENHANCED.XML): one file per release, with typed relationships',
  publisher: OFAC_PUBLISHER,
  detect: detectOfacEnhancedXml,
  parse: parseOfacEnhancedXml,
  title: (dataset) => Object.values(OFAC_DATASETS).find((d) => d.name === dataset)?.title ?? dataset,
};
