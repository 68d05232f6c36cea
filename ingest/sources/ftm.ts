/**
 * OpenSanctions FollowTheMoney (FtM) JSON lines and OpenSanctions delta files -> the common model.
 *
 * A snapshot (`entities.ftm.json`) is one FtM entity a line. FtM relationships are entities too
 * (Ownership has `owner` and `asset`), and so are sanctions (Sanction.entity), addresses and identity
 * documents: they are attached to their parties whatever the order of the lines, by a join in files
 * sorted on disk (ftm-join.ts), so that an export of a million entities is never held in memory.
 * Fragments of one id on several lines are merged, as FtM does (union of the values, the more specific
 * of two compatible schemata); fragments whose schemata conflict are rejected.
 *
 * A delta set (`<version>.entities.delta.json`, one `{"op", "entity"}` a line, and optionally the
 * `delta.json` index) is applied in version order: ADD and MOD carry the whole new entity and replace
 * what an earlier operation of the set said; DEL removes it. The result is a 'delta' release: its parties
 * are added or replaced, and the ids deleted (of any schema: a DEL says only the id) are `removedIds`.
 *
 * Files are read line by line with a strict UTF-8 decoder (../jsonl.ts); a line that is not valid JSON
 * fails the whole parse with its file and line (see readJsonLines for why), an odd entity (no id, no
 * schema, a conflict) is rejected with its file and line and the rest loads.
 *
 * Release date: a snapshot carries no export date (OpenSanctions writes it only into the dataset's
 * index.json; `last_change`/`last_seen` are per entity and say when OpenSanctions last saw or changed it,
 * not when the file was made), so --release or a date in the path applies. A delta file's name is its
 * version id, the export build's time (20240528134729-3iv), so a delta set's release is the date of its
 * newest version.
 *
 * This file recognises the files, reads them and names the release; ftm-join.ts merges fragments,
 * applies deltas and puts each entity together with what refers to it; ftm-map.ts maps one entity to
 * the model.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParsedRelease } from '../../server/core/model';
import { SourceFormatError } from '../../server/core/errors';
import { chooseRelease, ParseOptions, readerOptions, recordsOut } from '../parse-options';
import type { SourceFormat } from '../parse-options';
import { isObject, readJsonLines } from '../jsonl';
import { Spool } from '../spool';
import { At, toEntity } from './ftm-map';
import { FragmentLine, FtmJoin } from './ftm-join';
import { DELTA_OPS, DELTA_VERSION, DeltaOp, FTM_DATASET_PREFIX, FTM_PUBLISHER, MAX_INDEX_BYTES } from './ftm.meta';


// ---------------------------------------------------------------------------------------------------
// Recognising the files.

const isEntity = (v: unknown): boolean => isObject(v) && typeof v.schema === 'string' && isObject(v.properties);
export const isDeltaOp = (v: unknown): boolean => isObject(v) && typeof v.op === 'string' && isObject(v.entity);

export type FtmFileKind = 'entities' | 'delta' | 'index';

export interface DeltaIndex {
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
// Parsing.

export interface DataFile {
  file: string;
  name: string;
  kind: 'entities' | 'delta';
}

export interface FtmFiles {
  /** Entities or delta files, in the order they apply (by name: a delta file's name is its version). */
  data: DataFile[];
  indexes: { name: string; index: DeltaIndex }[];
  mode: 'snapshot' | 'delta';
}

/** Which file is what: refused when a file is not FtM, or a snapshot comes with deltas, or an index without them. */
export async function ftmDataFiles(files: string[], opts: ParseOptions): Promise<FtmFiles> {
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
  return { data, indexes, mode };
}

/**
 * The release's dataset (the entities' most frequent OpenSanctions dataset unless --dataset) and date,
 * with what is worth saying about them and about the delta index; refused without a date.
 */
export function nameRelease(a: FtmFiles & {
  ops: Record<DeltaOp, number>;
  /** Entities per OpenSanctions dataset (an entity of several counts for each). */
  datasetCounts: Map<string, number>;
  /** The newest last_seen of the entities ('' for none). */
  lastSeen: string;
  opts: ParseOptions;
}): { dataset: string; release: string; warnings: string[] } {
  const { data, indexes, mode, ops, datasetCounts, lastSeen, opts } = a;
  const warnings: string[] = [];
  const ranked = [...datasetCounts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
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
  return { dataset, release, warnings };
}

/**
 * Reads every line once into the join's fragment file (ftm-join.ts: entities meet what refers to them
 * on disk, not in memory), then names the release and runs the join, whose records go to opts.sink.
 */
export async function parseFtm(files: string[], opts: ParseOptions): Promise<ParsedRelease> {
  // 1. Which file is what.
  const { data, indexes, mode } = await ftmDataFiles(files, opts);

  // The join's files go into the load's own spool folder (removed with it, also after a kill: the next
  // load removes it); without a spool (tests, a parse whose records are returned in memory anyway) into
  // the system's temp folder.
  const work = fs.mkdtempSync(path.join(opts.sink instanceof Spool ? opts.sink.dir : os.tmpdir(), 'ftm-'));
  const join = new FtmJoin(work, mode);
  const { onPhase, onBytes } = opts;
  if (onPhase) join.progress = { step: (name, bytes) => onPhase(name, bytes, 'bytes'), read: (n) => onBytes?.(n) };
  try {
    // 2. Read: every fragment (snapshot) or operation (delta) under its id, numbered in reading order.
    const warnings: string[] = [];
    const ops: Record<DeltaOp, number> = { ADD: 0, MOD: 0, DEL: 0 };
    let seq = 0;
    for (const d of data) {
      for await (const { line, values } of readJsonLines(d.file, warnings, readerOptions(opts))) {
        const at: At = { file: d.name, line };
        for (const v of values) {
          const q = seq++;
          const reject = (reason: string) => join.reject(0, q, '', at, reason);
          const write = (id: string, f: FragmentLine) => join.fragment(id, q, f);
          if (d.kind === 'entities') {
            if (isDeltaOp(v)) {
              reject('a delta operation inside a snapshot file; ignored');
              continue;
            }
            const e = toEntity(v, at);
            if (typeof e === 'string') reject(e);
            else write(e.id, { e });
            continue;
          }
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
            if (!id) reject('DEL operation without an entity id; ignored');
            else write(id, { del: at });
            continue;
          }
          const e = toEntity(v.entity, at);
          // ADD and MOD carry the whole entity as it now is: it replaces, never merges with, what an
          // earlier operation of the set said (ftm-join.ts applies them in this order).
          if (typeof e === 'string') reject(`${op}: ${e}`);
          else write(e.id, { e });
        }
      }
    }
    // Fragments merged, operations applied, parties mapped.
    await join.readEntities();
    if (mode === 'snapshot' && join.entities === 0) {
      throw new SourceFormatError(data.map((d) => d.name).join(', '), undefined, 'holds no entities: an empty list is refused (it would delist everything)');
    }
    if (mode === 'delta' && ops.ADD + ops.MOD + ops.DEL === 0) {
      throw new SourceFormatError(data.map((d) => d.name).join(', '), undefined, 'holds no delta operations');
    }
    if (join.merged) warnings.push(`${join.merged} lines were further fragments of an entity already read and were merged into it (FtM semantics)`);

    // 3. Dataset and release.
    const named = nameRelease({ data, indexes, mode, ops, datasetCounts: join.datasetCounts, lastSeen: join.lastSeen, opts });
    warnings.push(...named.warnings);
    const { dataset, release } = named;
    if (mode === 'snapshot' && join.parties === 0) {
      throw new SourceFormatError(data.map((d) => d.name).join(', '), undefined, 'holds no parties (Person, Company, Organization, LegalEntity, PublicBody, Vessel or Airplane entities)');
    }

    // 4. Map the entities to parties, facts and links, and hand them on.
    await join.resolve({ dataset, release });
    await join.assemble();
    const out = recordsOut(opts);
    await join.emit(out);
    warnings.push(...join.warnings());

    return {
      dataset,
      release,
      idPrefix: FTM_DATASET_PREFIX,
      parties: out.parties,
      addresses: out.addresses,
      identifiers: out.identifiers,
      links: out.links,
      rejected: join.rejected(),
      warnings,
      mode,
      removedIds: mode === 'delta' ? join.removedIds() : undefined,
      files: [...indexes.map((i) => i.name), ...data.map((d) => d.name)],
    };
  } finally {
    join.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export const ftmFormat: SourceFormat = {
  name: 'ftm',
  description: 'OpenSanctions FollowTheMoney entities (entities.ftm.json) or delta files (*.entities.delta.json, with delta.json)',
  publisher: FTM_PUBLISHER,
  detect: detectFtm,
  parse: parseFtm,
  title: (dataset) => (dataset.startsWith(`${FTM_DATASET_PREFIX}-`) ? `OpenSanctions: ${dataset.slice(FTM_DATASET_PREFIX.length + 1)}` : dataset),
};
