/**
 * OpenSanctions FollowTheMoney (FtM) JSON lines and OpenSanctions delta files -> the common model.
 *
 * A snapshot (`entities.ftm.json`) is one FtM entity a line. FtM relationships are entities too
 * (Ownership has `owner` and `asset`), and so are sanctions (Sanction.entity), addresses and identity
 * documents: they are collected first and attached to their parties at the end, whatever the order of
 * the lines. Fragments of one id on several lines are merged, as FtM does (union of the values, the more
 * specific of two compatible schemata); fragments whose schemata conflict are rejected.
 *
 * A delta set (`<version>.entities.delta.json`, one `{"op", "entity"}` a line, and optionally the
 * `delta.json` index) is applied in version order: ADD and MOD carry the whole new entity and replace
 * what an earlier operation of the set said; DEL removes it. The result is a 'delta' release: its parties
 * are added or replaced, and the ids deleted (of any schema: a DEL says only the id) are `removedIds`.
 *
 * Files are read line by line with a strict UTF-8 decoder; a line that is not valid JSON fails the whole
 * parse with its file and line (see readFtmFile for why), an odd entity (no id, no schema, a conflict)
 * is rejected with its file and line and the rest loads.
 *
 * Release date: a snapshot carries no export date (OpenSanctions writes it only into the dataset's
 * index.json; `last_change`/`last_seen` are per entity and say when OpenSanctions last saw or changed it,
 * not when the file was made), so --release or a date in the path applies. A delta file's name is its
 * version id, the export build's time (20240528134729-3iv), so a delta set's release is the date of its
 * newest version.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  AddressFact,
  AddressRecord,
  Alias,
  IdentifierFact,
  LinkRecord,
  ParsedRelease,
  PartyKind,
  PartyRecord,
  Provenance,
  Rejection,
} from '../../server/core/model';
import { isIdentifierType } from '../../server/core/model';
import { SourceFormatError } from '../../server/core/errors';
import { addressRecord, identifierRecord, nameKey, normaliseIdentifierValue } from '../../server/core/text/normalize';
import { chooseRelease, ParseOptions } from '../parse-options';
import type { SourceFormat } from '../parse-options';
import {
  commonSchema,
  DELTA_OPS,
  DELTA_VERSION,
  DeltaOp,
  FTM_ALIAS_PROPS,
  FTM_COUNTRY_NAMES,
  FTM_DATASET_PREFIX,
  FTM_DOCUMENTS,
  FTM_GENERIC_ID,
  ftmIdentifierProps,
  FTM_LINKS,
  FTM_PARTY_KINDS,
  FTM_PUBLISHER,
  FTM_SCHEMATA,
  MAX_INDEX_BYTES,
} from './ftm.meta';

// ---------------------------------------------------------------------------------------------------
// Reading: lines, strict UTF-8, and JSON objects run together on one line.

/**
 * The top-level JSON texts of a line: `{...}{...}` (two objects without the line break between them)
 * gives two. Braces inside strings do not count. `complete` is false when the line ends inside a text
 * (a cut line); text outside any object or array is returned whole so that JSON.parse names the fault.
 */
export function splitJsonTexts(line: string): { texts: string[]; complete: boolean } {
  const texts: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"' && depth > 0) {
      inString = true;
    } else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if ((c === '}' || c === ']') && depth > 0) {
      depth--;
      if (depth === 0) texts.push(line.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c)) {
      return { texts: [line.trim()], complete: true };
    }
  }
  if (depth > 0) {
    texts.push(line.slice(start));
    return { texts, complete: false };
  }
  return { texts, complete: true };
}

interface Line {
  /** 1-based line number. */
  line: number;
  text: string;
  /** No non-empty line follows (a cut here means a cut download). */
  last: boolean;
}

/**
 * Non-empty lines of a file, decoded as strict UTF-8 line by line (so a wrong encoding is reported at
 * its own line). One line is held back to know which is the last.
 */
async function* readLines(file: string, onBytes?: (n: number) => void): AsyncGenerator<Line> {
  const name = path.basename(file);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (parts: Buffer[], line: number): string => {
    try {
      return decoder.decode(Buffer.concat(parts)).replace(/\r$/, '');
    } catch {
      throw new SourceFormatError(name, line, 'is not valid UTF-8 text (wrong encoding, e.g. Latin-1, or a binary file?)');
    }
  };
  const input = fs.createReadStream(file);
  let held: Line | null = null;
  let pending: Buffer[] = [];
  let lineNo = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      onBytes?.(chunk.length);
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
        pending.push(chunk.subarray(start, nl));
        const text = decode(pending, ++lineNo);
        pending = [];
        start = nl + 1;
        if (text.trim() === '') continue;
        if (held) yield held;
        held = { line: lineNo, text, last: false };
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
    if (pending.length) {
      const text = decode(pending, ++lineNo);
      if (text.trim() !== '') {
        if (held) yield held;
        held = { line: lineNo, text, last: false };
      }
    }
    if (held) yield { ...held, last: true };
  } catch (err) {
    if (err instanceof SourceFormatError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new SourceFormatError(name, undefined, `cannot be read: no such file (${file})`);
    throw new SourceFormatError(name, undefined, `cannot be read: ${(err as Error).message}`);
  } finally {
    input.destroy();
  }
}

interface JsonLine {
  line: number;
  values: unknown[];
}

/**
 * The JSON values of each line. A line that is not valid JSON fails the parse instead of being
 * rejected: it has no id we could report or keep, and in a snapshot the entity it held would silently
 * drop out of the list (the loader would delist it). A cut last line is a cut download.
 */
async function* readJsonLines(file: string, warnings: string[], onBytes?: (n: number) => void): AsyncGenerator<JsonLine> {
  const name = path.basename(file);
  for await (const { line, text, last } of readLines(file, onBytes)) {
    try {
      yield { line, values: [JSON.parse(text)] };
      continue;
    } catch {
      // Not one JSON value: perhaps several run together, or a damaged line (below).
    }
    const { texts, complete } = splitJsonTexts(text);
    if (!complete) {
      throw new SourceFormatError(
        name,
        line,
        last
          ? 'the last line is cut short (its JSON object never closes): the download is incomplete; fetch the file again'
          : 'is cut short (its JSON object never closes): the file is damaged',
      );
    }
    const values = texts.map((t) => {
      try {
        return JSON.parse(t) as unknown;
      } catch (err) {
        throw new SourceFormatError(name, line, `is not valid JSON (${(err as Error).message})`);
      }
    });
    if (values.length > 1) {
      warnings.push(`${name}:${line} holds ${values.length} JSON objects on one line (a missing line break); each was read as a line of its own`);
    }
    yield { line, values };
  }
}

// ---------------------------------------------------------------------------------------------------
// Recognising the files.

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEntity = (v: unknown): boolean => isObject(v) && typeof v.schema === 'string' && isObject(v.properties);
const isDeltaOp = (v: unknown): boolean => isObject(v) && typeof v.op === 'string' && isObject(v.entity);

export type FtmFileKind = 'entities' | 'delta' | 'index';

interface DeltaIndex {
  /** Version id -> URL of its delta file. */
  versions: Record<string, string>;
}

/** The delta index (delta.json: {"versions": {version: url}, "updated_at"}), read whole: it is small and pretty-printed. */
async function readDeltaIndex(file: string): Promise<DeltaIndex | null> {
  const stat = await fs.promises.stat(file);
  if (stat.size > MAX_INDEX_BYTES) return null;
  const bytes = await fs.promises.readFile(file);
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (!isObject(v) || !isObject(v.versions) || !Object.values(v.versions).every((u) => typeof u === 'string')) return null;
  return { versions: v.versions as Record<string, string> };
}

/**
 * What an FtM file holds, from its content (first line; the whole file for the small delta index), or
 * the reading error that stopped it from being recognised (wrong encoding, a cut line, not JSON).
 */
async function classify(file: string): Promise<FtmFileKind | SourceFormatError | null> {
  let failure: SourceFormatError | null = null;
  try {
    // A delta file of a version without changes is empty; its name still says what it is.
    if ((await fs.promises.stat(file)).size === 0) return /\.delta\.json$/i.test(file) ? 'delta' : null;
    for await (const { values } of readJsonLines(file, [])) {
      if (isEntity(values[0])) return 'entities';
      if (isDeltaOp(values[0])) return 'delta';
      break;
    }
  } catch (err) {
    // Not JSON lines; perhaps the (pretty-printed) delta index, tried next.
    if (err instanceof SourceFormatError) failure = err;
  }
  try {
    if (await readDeltaIndex(file)) return 'index';
  } catch {
    // Unreadable: the failure above says why.
  }
  return failure;
}

export async function classifyFtmFile(file: string): Promise<FtmFileKind | null> {
  const kind = await classify(file);
  return kind instanceof SourceFormatError ? null : kind;
}

/**
 * Whether a file is FtM JSON lines: its first non-empty line is an entity (`schema` + `properties`) or
 * a delta operation (`op` + `entity`), or the file is a delta index.
 */
export async function detectFtm(file: string): Promise<boolean> {
  return (await classifyFtmFile(file)) !== null;
}

// ---------------------------------------------------------------------------------------------------
// Entities.

interface At {
  file: string;
  line: number;
}

interface FtmEntity {
  id: string;
  schema: string;
  caption: string | null;
  properties: Record<string, string[]>;
  datasets: string[];
  lastSeen: string | null;
  /** Where it was read (the first fragment, for a merged entity). */
  at: At;
}

const where = (at: At) => `${at.file}:${at.line}`;

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** An entity from its JSON object, or the reason it cannot be one. */
function toEntity(v: unknown, at: At): FtmEntity | string {
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
function merge(into: FtmEntity, other: FtmEntity, schema: string): void {
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
// Parsing.

interface DataFile {
  file: string;
  name: string;
  kind: 'entities' | 'delta';
}

export async function parseFtm(files: string[], opts: ParseOptions): Promise<ParsedRelease> {
  // 1. Which file is what.
  const data: DataFile[] = [];
  const indexes: { name: string; index: DeltaIndex }[] = [];
  for (const file of files) {
    const name = path.basename(file);
    if (!fs.existsSync(file)) throw new SourceFormatError(name, undefined, `cannot be read: no such file (${file})`);
    const kind = await classify(file);
    if (kind instanceof SourceFormatError) throw kind;
    if (kind === 'index') {
      indexes.push({ name, index: (await readDeltaIndex(file))! });
      opts.onBytes?.((await fs.promises.stat(file)).size);
    } else if (kind) {
      data.push({ file, name, kind });
    } else {
      throw new SourceFormatError(
        name,
        1,
        'is not FollowTheMoney JSON lines (expected a first line {"id": ..., "schema": ..., "properties": {...}} or a delta operation {"op": ..., "entity": {...}})',
      );
    }
  }
  const mode: 'snapshot' | 'delta' = data.some((d) => d.kind === 'delta') ? 'delta' : 'snapshot';
  const snapshotFile = data.find((d) => d.kind === 'entities');
  if (mode === 'delta' && snapshotFile) {
    throw new SourceFormatError(snapshotFile.name, 1, 'is a snapshot (entities) but other files are delta operations: load a snapshot and its deltas one after the other');
  }
  if (data.length === 0 || (mode === 'snapshot' && indexes.length)) {
    throw new SourceFormatError(indexes.map((i) => i.name).join(', '), undefined, 'is a delta index without delta files: give the delta files it lists');
  }
  // Delta files are named by version id (a timestamp), so name order is release order, which is the
  // order OpenSanctions says to apply them in; snapshot fragments merge the same in any order.
  data.sort((a, b) => a.name.localeCompare(b.name));

  // 2. Read: merge fragments (snapshot) or apply operations in order (delta).
  const warnings: string[] = [];
  const rejected: Rejection[] = [];
  const entities = new Map<string, FtmEntity>();
  const deleted = new Map<string, At>();
  const ops: Record<DeltaOp, number> = { ADD: 0, MOD: 0, DEL: 0 };
  let merged = 0;
  for (const d of data) {
    for await (const { line, values } of readJsonLines(d.file, warnings, opts.onBytes)) {
      const at: At = { file: d.name, line };
      const reject = (reason: string) => rejected.push({ file: d.name, line, reason });
      for (const v of values) {
        if (d.kind === 'entities') {
          if (isDeltaOp(v)) {
            reject('a delta operation inside a snapshot file; ignored');
            continue;
          }
          const e = toEntity(v, at);
          if (typeof e === 'string') {
            reject(e);
            continue;
          }
          const prev = entities.get(e.id);
          if (!prev) {
            entities.set(e.id, e);
            continue;
          }
          // FtM: fragments of one id are one entity; their schemata must share a line of descent.
          const schema = commonSchema(prev.schema, e.schema);
          if (!schema) {
            reject(`entity ${e.id}: schema ${e.schema} conflicts with ${prev.schema} of the same id at ${where(prev.at)}; this fragment is ignored`);
            continue;
          }
          merge(prev, e, schema);
          merged++;
        } else {
          const op = isObject(v) ? v.op : undefined;
          if (!isObject(v) || typeof op !== 'string' || !isObject(v.entity)) {
            reject('is not a delta operation ({"op": "ADD" | "MOD" | "DEL", "entity": {...}}); ignored');
            continue;
          }
          if (!(DELTA_OPS as readonly string[]).includes(op)) {
            reject(`unknown delta operation ${JSON.stringify(op)} (expected ADD, MOD or DEL); ignored`);
            continue;
          }
          ops[op as DeltaOp]++;
          if (op === 'DEL') {
            const id = typeof v.entity.id === 'string' ? v.entity.id.trim() : '';
            if (!id) {
              reject('DEL operation without an entity id; ignored');
              continue;
            }
            entities.delete(id);
            deleted.set(id, at);
            continue;
          }
          const e = toEntity(v.entity, at);
          if (typeof e === 'string') {
            reject(`${op}: ${e}`);
            continue;
          }
          // ADD and MOD carry the whole entity as it now is: it replaces, never merges with, what an
          // earlier operation of the set said.
          entities.set(e.id, e);
          deleted.delete(e.id);
        }
      }
    }
  }
  if (mode === 'snapshot' && entities.size === 0) {
    throw new SourceFormatError(data.map((d) => d.name).join(', '), undefined, 'holds no entities: an empty list is refused (it would delist everything)');
  }
  if (mode === 'delta' && ops.ADD + ops.MOD + ops.DEL === 0) {
    throw new SourceFormatError(data.map((d) => d.name).join(', '), undefined, 'holds no delta operations');
  }
  if (merged) warnings.push(`${merged} lines were further fragments of an entity already read and were merged into it (FtM semantics)`);

  // 3. Dataset and release.
  const datasetCounts = new Map<string, number>();
  for (const e of entities.values()) for (const ds of e.datasets) datasetCounts.set(ds, (datasetCounts.get(ds) ?? 0) + 1);
  const ranked = [...datasetCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const dataset = opts.dataset ?? (ranked.length ? `${FTM_DATASET_PREFIX}-${ranked[0][0]}` : FTM_DATASET_PREFIX);
  if (!opts.dataset && ranked.length > 1) {
    warnings.push(
      `the entities come from ${ranked.length} OpenSanctions datasets (${ranked.slice(0, 5).map(([d, n]) => `${d} ${n}`).join(', ')}` +
        `${ranked.length > 5 ? ', ...' : ''}); the release is named after the most frequent, ${dataset} (name it with --dataset)`,
    );
  } else if (!opts.dataset && ranked.length === 0) {
    warnings.push(`the entities name no OpenSanctions dataset; the release is named ${dataset} (name it with --dataset)`);
  }

  const versions = data.map((d) => DELTA_VERSION.exec(d.name)).filter((m): m is RegExpExecArray => m !== null);
  const newest = versions.map((m) => m[0]).sort().at(-1);
  const inside = mode === 'delta' && newest ? `${newest.slice(0, 4)}-${newest.slice(4, 6)}-${newest.slice(6, 8)}` : null;
  let release: string;
  try {
    release = chooseRelease(data[0].file, opts, inside);
  } catch (err) {
    if (!(err instanceof SourceFormatError)) throw err;
    const lastSeen = [...entities.values()].map((e) => e.lastSeen ?? '').sort().at(-1);
    const why =
      mode === 'delta'
        ? 'carries no publication date (its file names do not start with a version id like 20240528134729-3iv)'
        : 'carries no export date (OpenSanctions writes it only into the dataset index; ' +
          `${lastSeen ? `the newest last_seen here is ${lastSeen}, a lower bound` : 'no entity says when it was last seen'})`;
    throw new SourceFormatError(err.file, err.line, `${why}: give one with --release YYYY-MM-DD`);
  }
  if (inside && release === inside && opts.releaseFrom === 'path' && opts.release && opts.release !== inside) {
    warnings.push(`release ${inside} is the date of the newest delta version (${newest}); the path says ${opts.release}`);
  }
  for (const { name, index } of indexes) {
    const have = new Set(versions.map((m) => m[0]));
    const missing = Object.keys(index.versions).filter((v) => !have.has(v)).sort();
    if (missing.length) {
      warnings.push(
        `${name} lists ${missing.length} version(s) whose delta file is not among these files (${missing.join(', ')}): ` +
          'unless the graph already holds them, their changes are missing',
      );
    }
    const unlisted = [...have].filter((v) => !Object.hasOwn(index.versions, v));
    if (unlisted.length) warnings.push(`${name} does not list version(s) ${unlisted.join(', ')}, whose delta files were given`);
  }
  if (mode === 'delta') warnings.push(`delta operations applied in version order: ${ops.ADD} ADD, ${ops.MOD} MOD, ${ops.DEL} DEL`);

  // 4. Map the entities to parties, facts and links.
  const mapped = mapEntities([...entities.values()], { dataset, release, mode });
  warnings.push(...mapped.warnings);
  rejected.push(...mapped.rejected);
  if (mode === 'snapshot' && mapped.parties.length === 0) {
    throw new SourceFormatError(data.map((d) => d.name).join(', '), undefined, 'holds no parties (Person, Company, Organization, LegalEntity, PublicBody, Vessel or Airplane entities)');
  }

  return {
    dataset,
    release,
    idPrefix: FTM_DATASET_PREFIX,
    parties: mapped.parties,
    addresses: mapped.addresses,
    identifiers: mapped.identifiers,
    links: mapped.links,
    rejected,
    warnings,
    mode,
    removedIds: mode === 'delta' ? [...deleted.keys()] : undefined,
    files: [...indexes.map((i) => i.name), ...data.map((d) => d.name)],
  };
}

interface Mapped {
  parties: PartyRecord[];
  addresses: AddressFact[];
  identifiers: IdentifierFact[];
  links: LinkRecord[];
  rejected: Rejection[];
  warnings: string[];
}

function mapEntities(entities: FtmEntity[], ctx: { dataset: string; release: string; mode: 'snapshot' | 'delta' }): Mapped {
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
            identifier: identifierRecord(docType, n, country(first(e, 'country'))),
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
            identifier: identifierRecord(spec.type, value, spec.country ? country(spec.country) : null),
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

export const ftmFormat: SourceFormat = {
  name: 'ftm',
  description: 'OpenSanctions FollowTheMoney entities (entities.ftm.json) or delta files (*.entities.delta.json, with delta.json)',
  publisher: FTM_PUBLISHER,
  detect: detectFtm,
  parse: parseFtm,
  title: (dataset) => (dataset.startsWith(`${FTM_DATASET_PREFIX}-`) ? `OpenSanctions: ${dataset.slice(FTM_DATASET_PREFIX.length + 1)}` : dataset),
};
