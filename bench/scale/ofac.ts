/**
 * OFAC legacy CSV copies (sdn.csv, add.csv, sdn_comments.csv). Copy 0 is the real list as published;
 * copies 1..F-1 are made from it row by row with fresh ent_nums (copy * stride + the real ent_num, so
 * they never meet a real one), varied names, dates, identifiers and addresses, and the real structure:
 * every "Linked To:" of a real entry is one of its copy, pointing at the copy of the same target, or, for
 * a share of links, at that target's copy in another copy (one network, not F islands).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCsv, DOS_EOF } from '../../ingest/csv';
import { cell } from '../../ingest/sources/ofac-csv';
import { OFAC_ID_LABELS, DIGITAL_CURRENCY_LABEL, REMARKS_COLUMN_WIDTH } from '../../ingest/sources/ofac-csv.meta';
import { parseIdentifierValue, splitRemarks } from '../../ingest/sources/ofac-remarks';
import { nameKey } from '../../server/core/text/normalize';
import { FrozenPools, NamePools, NameRegistry, newContext, Token, varyName, NameContext } from './names';
import { rng } from './random';
import { dateShift, shiftOfacDate, varyChars, varyIdentifier, varyStreet } from './values';
import { OutFile } from './writer';

type Kind = 'Person' | 'Organization' | 'Vessel' | 'Aircraft';
const KINDS: Record<string, Kind> = { individual: 'Person', vessel: 'Vessel', aircraft: 'Aircraft' };

interface Entry {
  uid: number;
  fields: string[];
  kind: Kind;
  name: string;
  /** Nationality (or program) whose name parts this entry's copies draw from. */
  group: string | null;
  /** Remarks statements, whole ones only (a statement cut at the column width without its continuation is dropped). */
  statements: string[];
  /** Per statement: the entry index a "Linked To:" resolves to, -1 when it names no entry, undefined otherwise. */
  targets: (number | undefined)[];
  /** Entry index the vessel owner names, when it names one. */
  owner?: number;
  addresses: string[][];
}

export interface OfacSource {
  primary: string;
  entries: Entry[];
  pools: FrozenPools;
  streetWords: string[];
  commonStreetWords: Set<string>;
  /** Real ent_nums are below this; copy k uses k * stride + ent_num. */
  stride: number;
  addStride: number;
  realAddressRows: number;
}

const ALIAS = /^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.|d\.b\.a\.)\s+(.*)$/;
const LABELS = Object.keys(OFAC_ID_LABELS).sort((a, b) => b.length - a.length);

function unquote(s: string): string {
  const t = s.trim().replace(/\.$/, '');
  return t.replace(/^'/, '').replace(/'$/, '').trim();
}

/** Where a name's words come from; a person's part before the comma is the surname ("KIM, Chol Min"). */
function positionFor(kind: Kind): (i: number, tokens: Token[]) => string {
  if (kind === 'Person') {
    return (i, tokens) => {
      const comma = tokens.findIndex((t) => t.post.includes(','));
      return comma >= 0 && i <= comma ? 'surname' : 'given';
    };
  }
  return () => (kind === 'Vessel' ? 'vessel' : kind === 'Aircraft' ? 'aircraft' : 'org');
}

function groupOf(kind: Kind, statements: string[], programs: string | null): string | null {
  if (kind === 'Person') {
    for (const re of [/^nationality\s+(.+)$/, /^citizen\s+(.+)$/, /^POB\s+.*,\s*([^,]+)$/]) {
      for (const s of statements) {
        const m = re.exec(s.replace(/^alt\.\s+/, ''));
        if (m) return m[1].trim();
      }
    }
  }
  if (kind === 'Vessel' || kind === 'Aircraft') return null;
  return programs?.split(/\]\s*\[/)[0].replace(/[[\]]/g, '').trim() ?? null;
}

/** One sdn.csv row as an entry (its links and addresses are filled in later). */
function entryOf(f: string[]): Entry {
  const kind = KINDS[cell(f[2])?.toLowerCase() ?? ''] ?? 'Organization';
  const raw = f[11] ?? '';
  const remarks = cell(raw);
  const statements = remarks ? splitRemarks(remarks) : [];
  // Cut at the column width and no continuation loaded: the last statement is incomplete.
  if (raw.length >= REMARKS_COLUMN_WIDTH && !/;\s*$/.test(raw)) statements.pop();
  const group = groupOf(kind, statements, cell(f[3]));
  return { uid: Number(f[0].trim()), fields: f, kind, name: cell(f[1])!, group, statements, targets: [], addresses: [] };
}

/** An entry's primary name and aliases into the name pools of its kind and group. */
function addNames(pools: NamePools, kind: Entry['kind'], group: string | null, name: string, statements: string[]): void {
  const position = positionFor(kind);
  const addName = (n: string) => {
    if (kind === 'Aircraft') return; // registration marks are varied letter by letter, not from a pool
    if (kind !== 'Person') return pools.add(position(0, []), group, n);
    const comma = n.indexOf(',');
    if (comma >= 0) pools.add('surname', group, n.slice(0, comma));
    pools.add('given', group, n.slice(comma + 1));
  };
  addName(name);
  for (const s of statements) {
    const m = ALIAS.exec(s.replace(/^alt\.\s+/, ''));
    if (m) addName(unquote(m[2]));
  }
}

/**
 * `vocabulary`: the sdn.csv whose names fill the name pools (default: `sdnFile` itself). Two releases
 * scaled with the same vocabulary vary an entry both list alike in the same way (every choice is keyed by
 * the entry's ent_num, not its place in the list), so their copies differ where the real releases do: the
 * kill test's pair of scaled releases (with pools of their own, a pool one entry larger changes most picks,
 * and 41% of the copies' parties differed between the x4 releases of 2024-04-26 and 2024-05-03).
 */
export async function readOfacSource(sdnFile: string, addFile: string | null, vocabulary: string = sdnFile): Promise<OfacSource> {
  const entries: Entry[] = [];
  const pools = new NamePools();
  for await (const row of readCsv(vocabulary, { sawEof: () => undefined })) {
    const e = entryOf(row.fields);
    addNames(pools, e.kind, e.group, e.name, e.statements);
  }
  for await (const row of readCsv(sdnFile, { sawEof: () => undefined })) entries.push(entryOf(row.fields));

  // "Linked To:" names its target: resolved as the loader does (primary names first, then aliases).
  const byKey = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!byKey.has(nameKey(e.name))) byKey.set(nameKey(e.name), i);
  });
  const aliasKey = new Map<string, number>();
  entries.forEach((e, i) => {
    for (const s of e.statements) {
      const m = ALIAS.exec(s.replace(/^alt\.\s+/, ''));
      const k = m ? nameKey(unquote(m[2])) : '';
      if (k && !byKey.has(k) && !aliasKey.has(k)) aliasKey.set(k, i);
    }
  });
  const resolve = (name: string) => byKey.get(nameKey(name)) ?? aliasKey.get(nameKey(name)) ?? -1;
  for (const e of entries) {
    e.targets = e.statements.map((s) => {
      const m = /^Linked To:\s*(.+)$/.exec(s.replace(/^alt\.\s+/, ''));
      return m ? resolve(m[1].trim().replace(/\.$/, '')) : undefined;
    });
    const owner = cell(e.fields[10]);
    if (owner && resolve(owner) >= 0) e.owner = resolve(owner);
  }

  // Addresses of the listed entries only (add.csv may be of another release: its other rows are orphans).
  const byUid = new Map(entries.map((e) => [e.uid, e]));
  let maxAdd = 0;
  let realAddressRows = 0;
  const streetCount = new Map<string, number>();
  if (addFile) {
    for await (const row of readCsv(addFile)) {
      const e = byUid.get(Number(row.fields[0].trim()));
      if (!e || row.fields.length !== 6) continue;
      e.addresses.push(row.fields);
      realAddressRows++;
      maxAdd = Math.max(maxAdd, Number(row.fields[1].trim()) || 0);
      for (const w of (cell(row.fields[2]) ?? '').split(/\s+/)) {
        const core = w.replace(/[^\p{L}]/gu, '');
        if (core.length >= 4 && core === w.replace(/[.,]$/, '')) streetCount.set(core, (streetCount.get(core) ?? 0) + 1);
      }
    }
  }
  const commonStreetWords = new Set([...streetCount].filter(([, n]) => n >= NamePools.COMMON).map(([w]) => w.toUpperCase()));
  const maxUid = Math.max(...entries.map((e) => e.uid));
  return {
    primary: sdnFile,
    entries,
    pools: pools.freeze(),
    streetWords: [...streetCount.keys()].filter((w) => !commonStreetWords.has(w.toUpperCase())),
    commonStreetWords,
    stride: 10 ** String(maxUid).length,
    addStride: 10 ** String(Math.max(maxAdd, 1)).length,
    realAddressRows,
  };
}

/** The name of entry `i` in copy `k` (copy 0: the real name). */
function nameContext(src: OfacSource, seed: string, k: number, i: number, attempt: number): NameContext {
  const e = src.entries[i];
  return newContext(src.pools, `${seed}|ofac|${k}|${e.uid}`, e.group, attempt, e.kind === 'Aircraft');
}
function makeName(src: OfacSource, seed: string, k: number, i: number, attempt: number): { name: string; ctx: NameContext } {
  const e = src.entries[i];
  if (k === 0) return { name: e.name, ctx: nameContext(src, seed, k, i, 0) };
  const ctx = nameContext(src, seed, k, i, attempt);
  return { name: varyName(ctx, e.name, positionFor(e.kind)), ctx };
}

/** Every copy's primary names, unique (as nameKey), so "Linked To" finds exactly its target. */
export function claimNames(src: OfacSource, seed: string, factor: number, registry: NameRegistry): void {
  for (const e of src.entries) registry.reserve(e.name);
  for (let k = 1; k < factor; k++) {
    for (let i = 0; i < src.entries.length; i++) {
      registry.claim(`ofac|${k}|${src.entries[i].uid}`, (attempt) => makeName(src, seed, k, i, attempt).name);
    }
  }
}

const q = (s: string | null) => (s === null || s === '' ? '-0- ' : `"${s.replace(/"/g, '""')}"`);

export interface OfacCounts {
  parties: number;
  links: number;
  crossCopyLinks: number;
  addressRows: number;
  commentRows: number;
}

export interface OfacOutput {
  sdn: OutFile;
  add: OutFile;
  comments: OutFile;
}

/** Copy 0: the real primary file byte for byte (without its end-of-file mark), its addresses re-written. */
export async function writeRealCopy(src: OfacSource, out: OfacOutput, counts: OfacCounts): Promise<void> {
  let text = fs.readFileSync(src.primary, 'utf8');
  const eof = text.lastIndexOf(DOS_EOF);
  if (eof >= 0 && text.slice(eof + 1).trim() === '') text = text.slice(0, eof);
  if (!text.endsWith('\n')) text += '\r\n';
  await out.sdn.write(text);
  for (const e of src.entries) {
    counts.parties++;
    counts.links += e.targets.filter((t) => t !== undefined).length;
    for (const a of e.addresses) {
      await out.add.write(`${a[0].trim()},${a[1].trim()},${q(cell(a[2]))},${q(cell(a[3]))},${q(cell(a[4]))},${q(cell(a[5]))}\r\n`);
      counts.addressRows++;
    }
  }
}

export interface CopyOptions {
  seed: string;
  factor: number;
  /** Share of a copy's links whose target is taken in another copy. */
  cross: number;
  registry: NameRegistry;
}

export async function writeCopy(src: OfacSource, k: number, opts: CopyOptions, out: OfacOutput, counts: OfacCounts): Promise<void> {
  const { seed, factor } = opts;
  const copyKey = `${seed}|${k}`;
  const nameOf = (kk: number, i: number) => makeName(src, seed, kk, i, opts.registry.attempt(`ofac|${kk}|${src.entries[i].uid}`));
  for (let i = 0; i < src.entries.length; i++) {
    const e = src.entries[i];
    const f = e.fields;
    const uid = k * src.stride + e.uid;
    const { name, ctx } = nameOf(k, i);
    const aliasCtx: NameContext = { ...ctx, attempt: Math.min(ctx.attempt, 3) };
    const shift = dateShift(rng(seed, 'dob', k, e.uid));
    const statements = e.statements.map((raw, j) => {
      const alt = /^alt\.\s+/.exec(raw)?.[0] ?? '';
      const s = raw.slice(alt.length);
      let m: RegExpExecArray | null;
      if ((m = ALIAS.exec(s))) return `${alt}${m[1]} '${varyName(aliasCtx, unquote(m[2]), positionFor(e.kind))}'`;
      const target = e.targets[j];
      if (target !== undefined) {
        counts.links++;
        if (target < 0) {
          // A name the list does not hold (a placeholder): a name of its own in each copy.
          const text = s.replace(/^Linked To:\s*/, '').replace(/\.$/, '');
          const phCtx = newContext(src.pools, `${copyKey}|placeholder|${text}`, null, 0);
          return `${alt}Linked To: ${varyName(phCtx, text, () => 'org')}`;
        }
        const r = rng(seed, 'link', k, e.uid, j);
        let kk = k;
        if (factor > 1 && r.chance(opts.cross)) {
          kk = r.int(0, factor - 2);
          if (kk >= k) kk++;
          counts.crossCopyLinks++;
        }
        return `${alt}Linked To: ${nameOf(kk, target).name}`;
      }
      if (/^DOB\s/.test(s)) return alt + shiftOfacDate(s, shift);
      const dc = /^(Digital Currency Address - [A-Z0-9]+)\s+(\S+)(.*)$/.exec(s);
      if (dc && DIGITAL_CURRENCY_LABEL.test(dc[1])) return `${alt}${dc[1]} ${varyIdentifier(dc[2], copyKey)}${dc[3]}`;
      for (const label of LABELS) {
        if (s.length > label.length && s.startsWith(label) && s[label.length] === ' ') {
          const rest = s.slice(label.length + 1);
          const { value } = parseIdentifierValue(rest);
          if (!value) break;
          const at = rest.indexOf(value);
          return `${alt}${label} ${rest.slice(0, at)}${varyIdentifier(value, copyKey)}${rest.slice(at + value.length)}`;
        }
      }
      return raw;
    });
    let remarks: string | null = statements.length ? `${statements.join('; ')}.` : null;
    if (remarks && remarks.length >= REMARKS_COLUMN_WIDTH) {
      // As OFAC does: the column holds the first 1,000 characters, the rest continues in sdn_comments.csv.
      await out.comments.write(`${uid},${q(remarks.slice(REMARKS_COLUMN_WIDTH))}\r\n`);
      counts.commentRows++;
      remarks = remarks.slice(0, REMARKS_COLUMN_WIDTH);
    }
    const vessel = e.kind === 'Vessel';
    const callSign = cell(f[5]);
    const tonnage = (v: string | null) =>
      v && /^[\d,]+$/.test(v) ? Math.round(Number(v.replace(/,/g, '')) * (0.8 + 0.4 * rng(seed, 'tons', k, e.uid).next())).toLocaleString('en-US') : v;
    const owner = cell(f[10]);
    const cols = [
      String(uid),
      q(name),
      q(cell(f[2])),
      q(cell(f[3])),
      q(cell(f[4])),
      q(callSign ? varyIdentifier(callSign, copyKey) : null),
      q(cell(f[6])),
      q(vessel ? tonnage(cell(f[7])) : cell(f[7])),
      q(vessel ? tonnage(cell(f[8])) : cell(f[8])),
      q(cell(f[9])),
      q(owner && e.owner !== undefined ? nameOf(k, e.owner).name : owner),
      q(remarks),
    ];
    await out.sdn.write(cols.join(',') + '\r\n');
    counts.parties++;
    for (const a of e.addresses) {
      const street = cell(a[2]);
      const city = cell(a[3]);
      const cityKey = `${copyKey}|city|${city}`;
      const row = [
        String(uid),
        String(k * src.addStride + Number(a[1].trim())),
        q(street ? varyStreet(street, copyKey, src.streetWords, src.commonStreetWords) : null),
        q(city ? city.replace(/\S*\d\S*/g, (w) => varyChars(w, `${cityKey}|${w}`)) : null),
        q(cell(a[4])),
        q(cell(a[5])),
      ];
      await out.add.write(row.join(',') + '\r\n');
      counts.addressRows++;
    }
  }
}

export function ofacFolder(out: string, factor: number): string {
  return path.join(out, `ofac-sdn-x${factor}`);
}
