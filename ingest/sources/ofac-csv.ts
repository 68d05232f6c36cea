/**
 * OFAC legacy CSV files (SDN and Consolidated lists) -> the common model.
 *
 * A release is one primary file (sdn.csv / cons_prim.csv) plus, when present, its address, alias and
 * comments files. Each file's role is recognised from its content (column count), not its name.
 * Rows of the secondary files whose ent_num is not in the primary file are "orphans" (files from
 * different releases); they are reported as rejected, never attached to another entry.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Alias, ParsedRelease, PartyKind, Provenance, Rejection } from '../../server/core/model';
import { SourceFormatError } from '../../server/core/errors';
import { addressRecord, identifierRecord, nameKey } from '../../server/core/text/normalize';
import { firstRecord, readCsvBatches } from '../csv';
import { encodingProblem } from '../encoding';
import { OFAC_CSV_COLUMNS, OFAC_DATASETS, OfacFileRole, REMARKS_COLUMN_WIDTH, ofacId, OFAC_ID_PREFIX } from './ofac-csv.meta';
import { parseRemarks } from './ofac-remarks';
import { chooseRelease, ParseOptions, readerOptions, recordsOut } from '../parse-options';

export type OfacCsvOptions = ParseOptions;

/** `-0-` (with or without trailing spaces) means "empty" in OFAC's legacy files. */
export function cell(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' || t === '-0-' ? null : t;
}

/** The role of a file from its first record, or null if it is not an OFAC legacy CSV file. */
export function roleOf(first: string[] | null): OfacFileRole | null {
  if (!first || !/^\d+$/.test(first[0]?.trim() ?? '')) return null;
  for (const [role, cols] of Object.entries(OFAC_CSV_COLUMNS)) {
    if (cols.length === first.length) return role as OfacFileRole;
  }
  return null;
}

export async function detectOfacCsv(file: string): Promise<OfacFileRole | null> {
  try {
    return roleOf(await firstRecord(file));
  } catch {
    return null;
  }
}

const ALT_TYPES: Record<string, Alias['type']> = { aka: 'a.k.a.', fka: 'f.k.a.', nka: 'n.k.a.', dba: 'd.b.a.' };

const KINDS: Record<string, PartyKind> = { individual: 'Person', vessel: 'Vessel', aircraft: 'Aircraft' };

function splitPrograms(v: string | null): string[] {
  if (!v) return [];
  // One program (v is a trimmed, non-empty cell): what the split below gives it, without the regexes.
  if (!v.includes('[') && !v.includes(']')) return [v];
  // Several programs are written "SDGT] [IFSR" inside one bracketed field.
  return v.split(/\]\s*\[/).map((p) => p.replace(/[[\]]/g, '').trim()).filter(Boolean);
}

const DIGITS = /^\d+$/;
/** A string with an ASCII letter or digit: its nameKey is not empty (NFKD and upper-casing keep them). */
const ASCII_ALNUM = /[A-Za-z0-9]/;

function aliasKey(a: Alias): string {
  return `${a.type}|${nameKey(a.name)}`;
}

export async function parseOfacCsv(files: string[], opts: OfacCsvOptions): Promise<ParsedRelease> {
  const byRole = new Map<OfacFileRole, string>();
  for (const f of files) {
    if (!fs.existsSync(f)) throw new SourceFormatError(path.basename(f), undefined, `cannot be read: no such file (${f})`);
    const role = await detectOfacCsv(f);
    if (!role) {
      // Unreadable text is named as such (mixed encodings, UTF-16, ...), not as "not an OFAC file".
      const problem = await encodingProblem(f);
      if (problem) throw problem;
      throw new SourceFormatError(
        path.basename(f),
        1,
        'is not an OFAC legacy CSV file (expected a first field with a number and 12, 6, 5 or 2 columns)',
      );
    }
    if (byRole.has(role)) {
      throw new SourceFormatError(path.basename(f), undefined, `is a second ${role} file (${path.basename(byRole.get(role)!)} is one already); load one release at a time`);
    }
    byRole.set(role, f);
  }
  const primary = byRole.get('primary');
  if (!primary) {
    throw new SourceFormatError(
      files.map((f) => path.basename(f)).join(', '),
      undefined,
      'no primary file (sdn.csv or cons_prim.csv) among these; address, alias and comment files belong to entries of a primary file',
    );
  }
  const primaryName = path.basename(primary);
  const isCons = /^cons/i.test(primaryName);
  const dataset = opts.dataset ?? (isCons ? OFAC_DATASETS.cons.name : OFAC_DATASETS.sdn.name);
  // The legacy CSV files carry no date inside (OFAC publishes the date only on the web page).
  const release = chooseRelease(primary, opts, null);
  const rejected: Rejection[] = [];
  const prov = (file: string, line: number, uid: string): Provenance => ({ dataset, release, record: `${file}:${line} (ent_num ${uid})` });

  // 1. Comments: remarks that overflow the primary file continue here, keyed by ent_num. The
  //    continuation is appended as is: OFAC splits the text mid-word.
  const comments = new Map<string, { text: string; line: number }>();
  const commentsFile = byRole.get('comments');
  const commentsName = commentsFile ? path.basename(commentsFile) : '';
  if (commentsFile) {
    for await (const rows of readCsvBatches(commentsFile, readerOptions(opts))) for (const row of rows) {
      const uid = row.fields[0]?.trim();
      if (row.fields.length !== 2 || !/^\d+$/.test(uid)) {
        rejected.push({ file: commentsName, line: row.line, reason: `expected 2 columns (ent_num, remarks), found ${row.fields.length}` });
        continue;
      }
      const prev = comments.get(uid);
      comments.set(uid, { text: (prev?.text ?? '') + (row.fields[1] ?? '').replace(/^-0-\s*$/, ''), line: prev?.line ?? row.line });
    }
  }

  // 2. Aliases (alt.csv): ent_num, alt_num, alt_type, alt_name, alt_remarks. Read before the primary
  //    file so that each party leaves the parser whole (ParseOptions.sink); held by ent_num meanwhile
  //    (the alias file is a small share of a release, and the scale data has none).
  const altFile = byRole.get('alias');
  const altName = altFile ? path.basename(altFile) : '';
  const altRows = new Map<string, { line: number; alias?: Alias; reason?: string }[]>();
  if (altFile) {
    for await (const rows of readCsvBatches(altFile, readerOptions(opts))) for (const row of rows) {
      const [uidRaw, , typeRaw, nameRaw] = row.fields;
      const uid = uidRaw.trim();
      const name = cell(nameRaw);
      const typeKey = (cell(typeRaw) ?? '').toLowerCase();
      const type = Object.hasOwn(ALT_TYPES, typeKey) ? ALT_TYPES[typeKey] : undefined;
      const entry = !name || !type
        ? { line: row.line, reason: !name ? 'alias row without a name' : `unknown alt_type ${JSON.stringify(typeRaw)}` }
        : { line: row.line, alias: { name, type, quality: null } };
      const list = altRows.get(uid);
      if (list) list.push(entry);
      else altRows.set(uid, [entry]);
    }
  }
  const altRejected: Rejection[] = [];

  // 3. Primary entries, each handed on complete (with its aliases from alt.csv). Only the line of each
  //    ent_num is kept, for duplicates and for the address rows that follow.
  const out = recordsOut(opts);
  // Keyed by the ent_num as a number (as written, when it is not written as a plain number is): a
  // million entries' ids as strings would be held a second time (the records leave at once).
  const seen = new Map<number | string, number>();
  const seenKey = (uid: string): number | string => (String(Number(uid)) === uid ? Number(uid) : uid);
  let sawEof = false;
  const cutShortEntries: string[] = [];
  const reject = (line: number, reason: string) => rejected.push({ file: primaryName, line, reason });
  for await (const rows of readCsvBatches(primary, { ...readerOptions(opts), sawEof: () => (sawEof = true) })) for (const row of rows) {
    const f = row.fields;
    if (f.length !== OFAC_CSV_COLUMNS.primary.length) {
      // A record with too few columns mid-file means the file is damaged; at the end, truncated.
      throw new SourceFormatError(primaryName, row.line, `expected ${OFAC_CSV_COLUMNS.primary.length} columns, found ${f.length} (damaged or truncated file)`);
    }
    const uid = f[0].trim();
    const name = cell(f[1]);
    if (!DIGITS.test(uid)) {
      reject(row.line, `ent_num ${JSON.stringify(uid)} is not a number`);
      continue;
    }
    if (!name) {
      reject(row.line, `entry ${uid} has no name`);
      continue;
    }
    const id = ofacId(uid);
    const num = seenKey(uid);
    if (seen.has(num)) {
      reject(row.line, `duplicate ent_num ${uid} (first seen at ${primaryName}:${seen.get(num)} (ent_num ${uid})); this row is ignored`);
      continue;
    }
    const sdnType = cell(f[2])?.toLowerCase() ?? null;
    if (sdnType !== null && !Object.hasOwn(KINDS, sdnType)) {
      reject(row.line, `entry ${uid} has unknown SDN_Type ${JSON.stringify(f[2])} (expected individual, vessel, aircraft or -0-)`);
      continue;
    }
    seen.set(num, row.line);
    // OFAC's entries without a type are "entities": organisations of any form.
    const kind: PartyKind = sdnType ? KINDS[sdnType] : 'Organization';
    const extra = comments.get(uid);
    comments.delete(uid);
    const ownRemarks = cell(f[11]);
    // The column width is measured on the raw field: a cut can fall just after a space, which trimming loses.
    const full = (f[11] ?? '').length >= REMARKS_COLUMN_WIDTH;
    let remarks = ownRemarks;
    if (extra && full) remarks = (f[11] + extra.text).trim();
    else if (extra) {
      rejected.push({
        file: commentsName,
        line: extra.line,
        reason: `continuation of entry ${uid} does not fit: its remarks in ${primaryName} are ${(f[11] ?? '').length} characters, not full (${REMARKS_COLUMN_WIDTH}), so the files are from different releases`,
      });
    }
    const cutShort = !extra && full;
    if (cutShort) cutShortEntries.push(uid);
    const facts = parseRemarks(remarks, { cutShort });
    const provenance = prov(primaryName, row.line, uid);
    const vessel =
      kind === 'Vessel'
        ? { callSign: cell(f[5]), type: cell(f[6]), tonnage: cell(f[7]), grossTonnage: cell(f[8]), flag: cell(f[9]), owner: cell(f[10]) }
        : null;
    const aliases = facts.aliases;
    const alts = altRows.get(uid);
    if (alts) {
      altRows.delete(uid);
      const keys = new Set(aliases.map(aliasKey));
      for (const a of alts) {
        if (!a.alias) altRejected.push({ file: altName, line: a.line, reason: a.reason! });
        else if (!keys.has(aliasKey(a.alias))) {
          keys.add(aliasKey(a.alias));
          aliases.push(a.alias);
        }
      }
    }
    const title = cell(f[4]);
    out.party({
      id,
      kind,
      name,
      aliases,
      programs: splitPrograms(cell(f[3])),
      birthDates: facts.birthDates,
      birthPlaces: facts.birthPlaces,
      nationalities: facts.nationalities,
      citizenships: facts.citizenships,
      gender: facts.gender,
      titles: title ? [title] : [],
      remarks,
      vessel,
      provenance,
    });
    for (const idf of facts.identifiers) {
      out.identifier({
        partyId: id,
        identifier: identifierRecord(idf.type, idf.value, idf.country, idf.label),
        label: idf.label,
        issued: idf.issued,
        expires: idf.expires,
        provenance,
      });
    }
    if (vessel?.callSign) {
      out.identifier({ partyId: id, identifier: identifierRecord('callSign', vessel.callSign, null, 'Call_Sign'), label: 'Call_Sign', issued: null, expires: null, provenance });
    }
    for (const target of facts.linkedTo) {
      if (!ASCII_ALNUM.test(target) && nameKey(target) === '') {
        reject(row.line, `entry ${uid}: "Linked To:" names no party (${JSON.stringify(target)}); the link is skipped`);
        continue;
      }
      out.link({ type: 'UNKNOWN_LINK', from: id, to: { name: target }, label: 'Linked To', provenance });
    }
  }
  if (seen.size === 0) {
    throw new SourceFormatError(primaryName, undefined, 'holds no entries: an empty file is refused (it would delist everything)');
  }
  for (const [uid, extra] of comments) {
    rejected.push({ file: commentsName, line: extra.line, reason: `orphan: ent_num ${uid} is not in ${primaryName} (files from different releases?)` });
  }
  for (const [uid, rows] of altRows) {
    for (const a of rows) altRejected.push({ file: altName, line: a.line, reason: `orphan: ent_num ${uid} is not in ${primaryName} (files from different releases?)` });
  }
  rejected.push(...altRejected.sort((a, b) => a.line - b.line));

  // 4. Addresses (add.csv): ent_num, add_num, address, city/state/postal code, country, remarks.
  const addFile = byRole.get('address');
  if (addFile) {
    const addName = path.basename(addFile);
    for await (const rows of readCsvBatches(addFile, readerOptions(opts))) for (const row of rows) {
      const [uidRaw, addNum, street, city, country] = row.fields;
      const uid = uidRaw.trim();
      const id = ofacId(uid);
      if (!seen.has(seenKey(uid))) {
        rejected.push({ file: addName, line: row.line, reason: `orphan: ent_num ${uid} is not in ${primaryName} (files from different releases?)` });
        continue;
      }
      const addr = addressRecord(cell(street), cell(city), cell(country));
      if (addr.full === '') continue; // OFAC writes an all-empty address row for entries without one.
      out.address({
        partyId: id,
        address: addr,
        provenance: { dataset, release, record: `${addName}:${row.line} (ent_num ${uid}, add_num ${addNum?.trim()})` },
      });
    }
  }

  return {
    dataset,
    release,
    idPrefix: OFAC_ID_PREFIX,
    parties: out.parties,
    addresses: out.addresses,
    identifiers: out.identifiers,
    links: out.links,
    rejected,
    files: [...byRole.values()].map((f) => path.basename(f)),
    warnings: [
      ...(sawEof ? [] : [`${primaryName} does not end with OFAC's end-of-file mark (0x1A): if it was cut short, entries are missing`]),
      ...(cutShortEntries.length
        ? [
            `${cutShortEntries.length} entries have remarks cut at ${REMARKS_COLUMN_WIDTH} characters without their continuation ` +
              `(load the release's comments file with it); their last, incomplete statement was not parsed: ent_num ${cutShortEntries.join(', ')}`,
          ]
        : []),
    ],
  };
}
