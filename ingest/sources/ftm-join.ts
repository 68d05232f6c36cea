/**
 * The FtM parse in bounded memory: what an entity contributes meets the entity it refers to in files
 * sorted on disk (../sort-lines.ts), never in a Map of every entity.
 *
 * FtM references run across the file in any order: a Sanction names its party (`entity`), an identity
 * document its `holder`, a relationship its two ends, a party its Address entities (`addressEntity`),
 * and an entity may come in fragments on several lines. Each step below streams one file and writes lines
 * keyed by the id they must meet (`"<id>"\t...`, the id as a JSON string: prefix-free, so one id's lines
 * sort together, and a tab or line break in an id is escaped); the next step reads them sorted:
 *
 * 1. ftm.ts reads the files: one line per fragment (or delta operation), keyed by its id, numbered in
 *    reading order (`seq`, which is the whole-file parse's entity order: first fragment first).
 * 2. readEntities(): per id, the fragments merged (or the operations applied, in order) into the entity;
 *    a party is mapped (toParty); every entity writes its status (schema, whether it became a party, an
 *    Address's content) under its own id, and each reference it makes under the id it refers to.
 * 3. resolve(): per id, its status meets the references to it: a Sanction's programs or a document's
 *    numbers go on to their party, or are rejected as orphans; an Address goes to the parties naming it;
 *    a relationship learns what its ends are.
 * 4. assemble(): per party, its sanctions, documents and addresses make its record and facts; per
 *    relationship, its links.
 * 5. emit(): the records, sorted into the order the whole-file parse gave them (entity order; Neo4j
 *    keeps the first writer's text on a shared Address or Identifier node, so order is part of the
 *    result; a party's addresses right after it), go to the sink.
 *
 * The sorted lines are keys and pointers into payload files (Payloads), a few dozen characters each,
 * not the entities. Memory holds one id's lines at a time (its fragments, or one party's sanctions,
 * documents and addresses), one run of a sort (FTM_RUN_CHARS) or its merge, the buffers of the files
 * being written (a megabyte each), and what the parse reports: rejected
 * rows, warnings, counts per dataset and per unmapped schema, unknown country codes and the ids a delta
 * deletes (ParsedRelease returns these whole): 980,000 entities (1.5 GB) parse within a 128 MB heap
 * (bench/ftm-stream.ts). The disk holds up to about twice the files' size, in the load's spool folder;
 * every work file is removed as soon as the next step has read it, and the folder when the parse ends
 * or fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressRecord, IdentifierFact, LinkRecord, PartyRecord, Provenance, Rejection, ReleaseSink } from '../../server/core/model';
import { isIdentifierType } from '../../server/core/model';
import { addressRecord, identifierRecord, nameKey, normaliseIdentifierValue } from '../../server/core/text/normalize';
import { LineWriter, readLines } from '../spool';
import { RUN_CHARS, sortLines } from '../sort-lines';
import { addressOf, all, At, countryName, first, FtmEntity, merge, orphan, toParty, unique, where } from './ftm-map';
import { commonSchema, FTM_DOCUMENTS, FTM_GENERIC_ID, FTM_LINKS, FTM_PARTY_KINDS, FtmLinkSpec, ftmIdentifierProps } from './ftm.meta';

/**
 * Characters of one in-memory run of the on-disk sorts: the load's own (RUN_CHARS, 16 M; about 25 MB
 * of key-and-pointer lines). Not fewer: a merge reads each run through ../spool.ts readLines, which holds
 * a buffer of 1 MB a run (with node:readline, which it replaced, a 1 MB chunk and its lines: about 2 MB a
 * run), so 980,000 entities cut into 4 M-character runs (18 runs of the fragments alone) needed more heap
 * than in 16 M ones (5).
 */
export const FTM_RUN_CHARS = RUN_CHARS;

/** A number as 8 base-36 digits (up to 2.8 x 10^12): keys of fixed width sort as strings in numeric order. */
export const n36 = (n: number): string => n.toString(36).padStart(8, '0');

const NO_PROVENANCE: Provenance = { dataset: '', release: '', record: '' };

/** A fragment of an entity (snapshot) or a delta operation, as step 1 writes it. */
export type FragmentLine = { e: FtmEntity } | { del: At };

/** What step 3 knows of an id: the final entity's schema, whether it became a party, an Address's content. */
interface Status {
  s: string;
  /** Became a party. */
  p?: 1;
  /** Seq of the entity (Addresses: the unused ones are reported in entity order). */
  q: number;
  /** An Address entity itself. */
  a?: FtmEntity;
}

/** The part of a Sanction a party takes. */
interface SanctionPart {
  q: number;
  i: number;
  id: string;
  schema: string;
  at: At;
  programs: string[];
  listed: string | null;
}

/** The part of an identity document its holder takes. */
interface DocumentPart {
  q: number;
  i: number;
  id: string;
  schema: string;
  at: At;
  numbers: string[];
  docType: IdentifierFact['identifier']['type'];
  country: string | null;
  walletLabel: string | null;
  issued: string | null;
  expires: string | null;
}

/** A reference written in step 2, keyed by the id it names. */
type Reference =
  | { k: 'a'; p: string; j: number }
  | ({ k: 's' } & SanctionPart)
  | ({ k: 'd' } & DocumentPart)
  | { k: 'f' | 't'; l: string; i: number };

/** What a party's addressEntity reference found: an Address (its record and full texts), none usable, or nothing. */
type AddressPart = { r: AddressRecord; f: string[]; v: Provenance } | { r: null } | { u: 1 };

interface PartyData {
  q: number;
  r: PartyRecord;
  props: FtmEntity['properties'];
}
interface LinkData {
  q: number;
  id: string;
  schema: string;
  at: At;
  type: FtmLinkSpec['type'];
  froms: string[];
  tos: string[];
  label: string;
  percentage: string | null;
  startDate: string | null;
  endDate: string | null;
}
type EndStatus = Pick<Status, 's' | 'p'> | null;

const key = (id: string) => JSON.stringify(id);

/**
 * Calls `line` with each line's key and the rest of it, and `end` after each key's last line: the groups
 * of a sorted file, one line in memory at a time.
 */
async function eachGroup(file: string, line: (key: string, rest: string) => void, end: (key: string) => void, progress: JoinProgress | null): Promise<void> {
  let current: string | null = null;
  const read = progressCounter(progress);
  for await (const l of readLines(file)) {
    read(l);
    const tab = l.indexOf('\t');
    const k = l.slice(0, tab);
    if (k !== current) {
      if (current !== null) end(current);
      current = k;
    }
    line(k, l.slice(tab + 1));
  }
  if (current !== null) end(current);
  read(null);
}

/**
 * Told how far the join is (ingest.ts shows it): it reads its sorted files one after the other, and on a
 * million entities each takes minutes after the files were read, when a bar of the bytes read stood at
 * 100% the whole time.
 */
export interface JoinProgress {
  /** A step begins: `bytes` is the size of the file it sorts and then reads. */
  step(name: string, bytes: number): void;
  /** Read so far in the step (characters, which a progress bar takes for bytes: close enough). */
  read(n: number): void;
}

/** Counts the characters of the lines given and reports them in chunks; null reports the rest. */
function progressCounter(progress: JoinProgress | null): (line: string | null) => void {
  if (!progress) return () => undefined;
  let n = 0;
  return (line) => {
    if (line !== null) n += line.length + 1;
    if (n >= 1 << 20 || (line === null && n > 0)) {
      progress.read(n);
      n = 0;
    }
  };
}

/** `rest` split at its first tab. */
function head(rest: string): [string, string] {
  const tab = rest.indexOf('\t');
  return [rest.slice(0, tab), rest.slice(tab + 1)];
}

/**
 * JSON texts appended to a file and read back by their place (`<offset><length>`, 16 base-36 digits):
 * the sorted files carry these pointers instead of the entities and records themselves, so that a sort
 * moves lines of a few dozen characters (its merge queues about a thousand lines per run: readline's
 * async iterator), not whole entities.
 */
class Payloads {
  private writer: LineWriter | null;
  private size = 0;
  private fd = -1;
  private buf = Buffer.alloc(1 << 16);
  constructor(readonly file: string) {
    this.writer = new LineWriter(file);
  }
  put(json: string): string {
    const at = this.size;
    const length = Buffer.byteLength(json);
    this.size += length + 1;
    this.writer!.line(json);
    return n36(at) + n36(length);
  }
  /** The text at `pointer`; writing ends at the first read. */
  get(pointer: string): string {
    if (this.fd < 0) {
      this.writer!.close();
      this.writer = null;
      this.fd = fs.openSync(this.file, 'r');
    }
    const at = parseInt(pointer.slice(0, 8), 36);
    const length = parseInt(pointer.slice(8, 16), 36);
    if (this.buf.length < length) this.buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = fs.readSync(this.fd, this.buf, got, length - got, at + got);
      if (n === 0) throw new Error(`${this.file}: ends before ${at + length}`);
      got += n;
    }
    return this.buf.toString('utf8', 0, length);
  }
  /** Closes the file and removes it. */
  remove(): void {
    try {
      this.writer?.close();
      if (this.fd >= 0) fs.closeSync(this.fd);
    } finally {
      this.writer = null;
      this.fd = -1;
      fs.rmSync(this.file, { force: true });
    }
  }
}

export class FtmJoin {
  /** Step 1 writes here: `"<id>"\t<seq>\t<pointer to a FragmentLine>` (fragment()). */
  private readonly fragments: LineWriter;
  /**
   * Written by step 1 (fragments), 2 (refs: statuses and references; owners: party and relationship
   * data), 3 (parts: what an Address gives its parties) and 4 (records); each removed once read.
   */
  private readonly payloads: Record<'fragments' | 'refs' | 'owners' | 'parts' | 'records', Payloads>;
  /** Steps 2 and 3 write here what steps 4 puts together, keyed by the party or relationship it belongs to. */
  private owners: LineWriter | null = null;
  private readonly rejects: { k: string; r: Rejection }[] = [];
  private readonly unknownCountries = new Set<string>();
  private readonly country = (code: string | null) => countryName(code, this.unknownCountries);
  private readonly countries = (codes: string[]) => unique(codes.map((c) => this.country(c)!));
  private ctx = { dataset: '', release: '' };
  /** Told of each step and of what it has read (ftm.ts passes it on to the load's progress bar). */
  progress: JoinProgress | null = null;

  // Step 2's findings.
  entities = 0;
  parties = 0;
  merged = 0;
  readonly datasetCounts = new Map<string, number>();
  lastSeen = '';
  private readonly removed: { q: number; id: string }[] = [];
  /** Schemata the model has no place for: how many entities, and the first one's seq (warnings name them in entity order). */
  private readonly unmapped = new Map<string, { n: number; q: number }>();

  // Steps 3 and 4.
  private unusedAddresses = 0;
  /** The first five unused Address entities in entity order: [seq, "file:line (id)"]. */
  private readonly unusedFirst: [number, string][] = [];
  private unresolvedAddresses = 0;
  private partiesWithoutAddress = 0;
  private linksFromElsewhere = 0;
  private linksToElsewhere = 0;

  constructor(
    readonly dir: string,
    readonly mode: 'snapshot' | 'delta',
    private readonly runChars = FTM_RUN_CHARS,
  ) {
    this.fragments = new LineWriter(this.file('fragments'));
    this.payloads = {
      fragments: new Payloads(path.join(dir, 'fragments.json')),
      refs: new Payloads(path.join(dir, 'refs.json')),
      owners: new Payloads(path.join(dir, 'owners.json')),
      parts: new Payloads(path.join(dir, 'parts.json')),
      records: new Payloads(path.join(dir, 'records.json')),
    };
  }

  /** Step 1: a fragment of an entity (snapshot) or a delta operation, the `q`th value read. */
  fragment(id: string, q: number, f: FragmentLine): void {
    this.fragments.line(`${key(id)}\t${n36(q)}\t${this.payloads.fragments.put(JSON.stringify(f))}`);
  }

  private file(name: string): string {
    return path.join(this.dir, `${name}.tsv`);
  }

  /** Sorts a step's file into the next step's input; the unsorted file is removed (the disk holds one of the two). */
  private async sorted(name: string, step: string): Promise<string> {
    const from = this.file(name);
    const to = this.file(`${name}.sorted`);
    this.progress?.step(step, fs.statSync(from).size);
    await sortLines(from, to, this.runChars);
    fs.rmSync(from, { force: true });
    return to;
  }

  /**
   * A rejected row, placed as the whole-file parse listed it: reading (phase 0, by seq), then parties
   * (1, by entity), then everything else (2, by entity; `sub` orders one entity's several rejections).
   */
  reject(phase: 0 | 1 | 2, q: number, sub: string, at: At, reason: string): void {
    this.rejects.push({ k: `${phase}${n36(q)}${sub}`, r: { file: at.file, line: at.line, reason } });
  }

  rejected(): Rejection[] {
    return this.rejects.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.r);
  }

  /** The ids a delta set deletes, in the order it deleted them. */
  removedIds(): string[] {
    return this.removed.sort((a, b) => a.q - b.q).map((x) => x.id);
  }

  private prov(id: string, at: At): Provenance {
    return { dataset: this.ctx.dataset, release: this.ctx.release, record: `${where(at)} (${id})` };
  }

  // -------------------------------------------------------------------------------------------------
  // Step 2: entities.

  /** Merges each id's fragments (or applies its operations), maps it, and writes its status and references. */
  async readEntities(): Promise<void> {
    this.fragments.close();
    const input = await this.sorted('fragments', 'join 1/4: entities');
    const statuses = new LineWriter(this.file('refs'));
    const owners = (this.owners = new LineWriter(this.file('owners')));
    try {
      // One id's fragments, merged as they come (snapshot), or its operations applied (delta).
      let entity: FtmEntity | null = null;
      let q = 0;
      let deletedAt = -1;
      await eachGroup(
        input,
        (_k, rest) => {
          const [seq, pointer] = head(rest);
          const n = parseInt(seq, 36);
          const f = JSON.parse(this.payloads.fragments.get(pointer)) as FragmentLine;
          if ('del' in f) {
            // Delta: DEL removes what an earlier operation of the set said (Map order: a later ADD re-inserts).
            entity = null;
            if (deletedAt < 0) deletedAt = n;
            return;
          }
          const e = f.e;
          // JSON.parse gives properties a prototype; a property named "__proto__" must stay a property.
          e.properties = Object.assign(Object.create(null) as FtmEntity['properties'], e.properties);
          if (this.mode === 'delta') {
            // ADD and MOD carry the whole entity: it replaces what an earlier operation said, in place.
            if (!entity) q = n;
            entity = e;
            deletedAt = -1;
            return;
          }
          if (!entity) {
            entity = e;
            q = n;
            return;
          }
          // FtM: fragments of one id are one entity; their schemata must share a line of descent.
          const schema = commonSchema(entity.schema, e.schema);
          if (!schema) {
            this.reject(0, n, '', e.at, `entity ${e.id}: schema ${e.schema} conflicts with ${entity.schema} of the same id at ${where(entity.at)}; this fragment is ignored`);
            return;
          }
          merge(entity, e, schema);
          this.merged++;
        },
        (k) => {
          if (deletedAt >= 0) this.removed.push({ q: deletedAt, id: JSON.parse(k) as string });
          if (entity) this.entity(entity, q, statuses, owners);
          entity = null;
          deletedAt = -1;
        },
        this.progress,
      );
    } finally {
      statuses.close();
      this.payloads.fragments.remove();
      fs.rmSync(input, { force: true });
    }
  }

  /** One final entity: counted, mapped if it is a party, its status and references written. */
  private entity(e: FtmEntity, q: number, refs: LineWriter, owners: LineWriter): void {
    this.entities++;
    for (const ds of e.datasets) this.datasetCounts.set(ds, (this.datasetCounts.get(ds) ?? 0) + 1);
    if ((e.lastSeen ?? '') > this.lastSeen) this.lastSeen = e.lastSeen!;
    const status: Status = { s: e.schema, q };
    const ref = (id: string, r: Reference) => refs.line(`${key(id)}\t1\t${this.payloads.refs.put(JSON.stringify(r))}`);
    const kind = FTM_PARTY_KINDS[e.schema];
    if (kind) {
      // The provenance's dataset and release are known once every entity is read: step 4 fills them in.
      const party = toParty(e, kind, { ...NO_PROVENANCE, record: `${where(e.at)} (${e.id})` }, this.country, this.countries);
      if (typeof party === 'string') {
        this.reject(1, q, '', e.at, party);
      } else {
        this.parties++;
        status.p = 1;
        const data: PartyData = { q, r: party, props: e.properties };
        owners.line(`${key(e.id)}\t0\t${this.payloads.owners.put(JSON.stringify(data))}`);
        all(e, 'addressEntity').forEach((a, j) => ref(a, { k: 'a', p: e.id, j }));
      }
    } else if (e.schema === 'Address') {
      status.a = e;
    } else {
      this.attachments(e, q, ref, owners);
    }
    refs.line(`${key(e.id)}\t0\t${this.payloads.refs.put(JSON.stringify(status))}`);
  }

  /** What an entity that is neither a party nor an Address gives to the entities it names. */
  private attachments(e: FtmEntity, q: number, ref: (id: string, r: Reference) => void, owners: LineWriter): void {
    const spec = FTM_LINKS[e.schema];
    const doc = FTM_DOCUMENTS[e.schema];
    const reject = (reason: string) => this.reject(2, q, '', e.at, reason);
    if (spec) {
      const froms = all(e, spec.from);
      const tos = all(e, spec.to);
      if (!froms.length || !tos.length) {
        reject(`${e.schema} ${e.id} has no ${!froms.length ? spec.from : spec.to} (the FtM schema requires both ends); no link`);
        return;
      }
      const wording = spec.wording.map((w) => first(e, w)).find((w): w is string => w !== null) ?? null;
      const label = spec.schemaInLabel ? (wording ? `${e.schema}: ${wording}` : e.schema) : (wording ?? e.schema);
      const data: LinkData = {
        q, id: e.id, schema: e.schema, at: e.at, type: spec.type, froms, tos, label,
        percentage: e.schema === 'Ownership' ? first(e, 'percentage') : null,
        startDate: first(e, 'startDate'),
        endDate: first(e, 'endDate'),
      };
      owners.line(`${key(e.id)}\t0\t${this.payloads.owners.put(JSON.stringify(data))}`);
      froms.forEach((id, i) => ref(id, { k: 'f', l: e.id, i }));
      tos.forEach((id, i) => ref(id, { k: 't', l: e.id, i }));
    } else if (e.schema === 'Sanction') {
      // Sanction.yaml: entity (required) is the sanctioned Thing; program is the regime's wording,
      // programId OpenSanctions' code for it (the same code across publishers), used when given.
      const targets = all(e, 'entity');
      if (!targets.length) reject(`Sanction ${e.id} names no entity (the FtM schema requires one)`);
      const programs = all(e, 'programId').length ? all(e, 'programId') : all(e, 'program');
      const listed = first(e, 'listingDate') ?? first(e, 'startDate');
      targets.forEach((t, i) => ref(t, { k: 's', q, i, id: e.id, schema: e.schema, at: e.at, programs, listed }));
    } else if (doc) {
      const numbers = unique(doc.number.flatMap((p) => all(e, p)));
      const stated = e.schema === 'Identification' ? first(e, 'type') : null;
      const holders = all(e, doc.holder);
      if (!holders.length) reject(`${e.schema} ${e.id} names no ${doc.holder}; nothing to record`);
      else if (!numbers.length) reject(`${e.schema} ${e.id} of ${holders.join(', ')} has no number; nothing to record`);
      // A wallet's chain is its `currency` ("ETH"): worded as OFAC labels it, which identifierRecord reads
      // for the wallet's normalisation (walletChain; an EVM address written without its 0x).
      const currency = e.schema === 'CryptoWallet' ? first(e, 'currency') : undefined;
      const part: DocumentPart = {
        q, i: 0, id: e.id, schema: e.schema, at: e.at, numbers,
        docType: stated && isIdentifierType(stated) ? stated : doc.type,
        // The code, not its name: the name is looked up (and an unknown code reported) only for a holder that is a party.
        country: first(e, 'country'),
        walletLabel: currency ? `Digital Currency Address - ${currency.trim().toUpperCase()}` : null,
        issued: first(e, 'startDate') ?? first(e, 'issueDate'),
        expires: first(e, 'endDate') ?? first(e, 'expiryDate'),
      };
      (numbers.length ? holders : []).forEach((h, i) => ref(h, { k: 'd', ...part, i }));
    } else {
      const u = this.unmapped.get(e.schema);
      if (u) u.n++;
      else this.unmapped.set(e.schema, { n: 1, q });
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Step 3: each id meets the references to it.

  /** `dataset` and `release` name the provenance of everything from here on. */
  async resolve(ctx: { dataset: string; release: string }): Promise<void> {
    this.ctx = ctx;
    const input = await this.sorted('refs', 'join 2/4: references');
    const owners = this.owners!;
    const mode = this.mode;
    try {
      let status: Status | null = null;
      /** The pointer to what this group's Address gives the parties naming it. */
      let address: string | null = null;
      let used = false;
      await eachGroup(
        input,
        (k, rest) => {
          const [kind, pointer] = head(rest);
          const json = this.payloads.refs.get(pointer);
          if (kind === '0') {
            status = JSON.parse(json) as Status;
            return;
          }
          const r = JSON.parse(json) as Reference;
          const st = status as Status | null;
          const id = JSON.parse(k) as string;
          if (r.k === 'a') {
            // `-`: no Address entity of that id in these files.
            if (!st?.a) {
              owners.line(`${key(r.p)}\t1a${n36(r.j)}\t-`);
              return;
            }
            used = true;
            if (!address) {
              const a = st.a;
              const rec = addressOf(a, this.unknownCountries);
              const part: AddressPart = rec ? { r: rec, f: all(a, 'full'), v: this.prov(a.id, a.at) } : { r: null };
              address = this.payloads.parts.put(JSON.stringify(part));
            }
            owners.line(`${key(r.p)}\t1a${n36(r.j)}\t${address}`);
          } else if (r.k === 's' || r.k === 'd') {
            if (st?.p) {
              owners.line(`${k}\t1${r.k}${n36(r.q)}${n36(r.i)}\t${pointer}`);
              return;
            }
            const lost = r.k === 's' ? 'its program is not recorded' : 'its number is not recorded';
            this.reject(2, r.q, n36(r.i), r.at, orphan(r, id, st ? { schema: st.s } : undefined, lost, mode));
          } else {
            const end: EndStatus = st ? (st.p ? { s: st.s, p: 1 } : { s: st.s }) : null;
            owners.line(`${key(r.l)}\t1${r.k}${n36(r.i)}\t${JSON.stringify(end)}`);
          }
        },
        () => {
          const st = status as Status | null;
          if (st?.a && !used) {
            this.unusedAddresses++;
            this.unusedFirst.push([st.q, `${where(st.a.at)} (${st.a.id})`]);
            this.unusedFirst.sort((x, y) => x[0] - y[0]);
            if (this.unusedFirst.length > 5) this.unusedFirst.pop();
          }
          status = null;
          address = null;
          used = false;
        },
        this.progress,
      );
    } finally {
      owners.close();
      this.owners = null;
      fs.rmSync(input, { force: true });
    }
  }

  /** Closes and removes what is open (the parse ended or failed); the caller removes the folder. */
  close(): void {
    this.fragments.close();
    this.owners?.close();
    this.owners = null;
    for (const p of Object.values(this.payloads)) p.remove();
  }

  // -------------------------------------------------------------------------------------------------
  // Step 4: parties with what attaches to them, relationships with their ends.

  async assemble(): Promise<void> {
    const input = await this.sorted('owners', 'join 3/4: parties');
    const out = new LineWriter(this.file('records'));
    try {
      let data: PartyData | LinkData | null = null;
      const parts: [string, string][] = [];
      await eachGroup(
        input,
        (_k, rest) => {
          const [kind, json] = head(rest);
          if (kind === '0') data = JSON.parse(this.payloads.owners.get(json)) as PartyData | LinkData;
          else parts.push([kind, json]);
        },
        () => {
          const d = data as PartyData | LinkData | null;
          // Parts are sorted by kind, then entity order: addresses (a), documents (d), sanctions (s); link ends (f, t).
          if (d && 'r' in d) this.party(d, parts, out);
          else if (d) this.links(d, parts, out);
          data = null;
          parts.length = 0;
        },
        this.progress,
      );
    } finally {
      out.close();
      for (const p of [this.payloads.refs, this.payloads.owners, this.payloads.parts]) p.remove();
      fs.rmSync(input, { force: true });
    }
  }

  private party(d: PartyData, parts: [string, string][], out: LineWriter): void {
    const party = d.r;
    const id = party.id;
    party.provenance = { ...party.provenance, dataset: this.ctx.dataset, release: this.ctx.release };
    const e = { properties: d.props };
    const addressParts: AddressPart[] = [];
    const documents: DocumentPart[] = [];
    let listed: string | null = null;
    for (const [kind, pointer] of parts) {
      if (kind[1] === 'a') addressParts.push(pointer === '-' ? { u: 1 } : (JSON.parse(this.payloads.parts.get(pointer)) as AddressPart));
      else if (kind[1] === 'd') documents.push(JSON.parse(this.payloads.refs.get(pointer)) as DocumentPart);
      else {
        const s = JSON.parse(this.payloads.refs.get(pointer)) as SanctionPart;
        party.programs = unique([...party.programs, ...s.programs]);
        if (s.listed && (listed === null || s.listed < listed)) listed = s.listed;
      }
    }
    if (listed) party.listedOn = listed;

    // Identifiers: the holder's documents first (the whole-file parse added every document's before any
    // party's own), then what the party states itself.
    const idKeys = new Set<string>();
    const anyValue = (v: string) => normaliseIdentifierValue('other', v);
    const documented = new Set<string>();
    for (const doc of documents) {
      doc.numbers.forEach((n, k) => {
        documented.add(anyValue(n));
        const fact: IdentifierFact = {
          partyId: id,
          identifier: identifierRecord(doc.docType, n, this.country(doc.country), doc.walletLabel ?? doc.schema),
          label: doc.schema,
          issued: doc.issued,
          expires: doc.expires,
          provenance: this.prov(doc.id, doc.at),
        };
        if (idKeys.has(fact.identifier.key)) return;
        idKeys.add(fact.identifier.key);
        out.line(`i0${n36(doc.q)}${n36(doc.i)}${n36(k)}\t${this.payloads.records.put(JSON.stringify(fact))}`);
      });
    }
    const own: IdentifierFact[] = [];
    for (const [prop, spec] of Object.entries(ftmIdentifierProps(party.kind))) {
      for (const raw of all(e, prop)) {
        for (const value of spec.split ? raw.split(/\s*;\s*/) : [raw]) {
          if (!value.trim()) continue;
          own.push({
            partyId: id,
            identifier: identifierRecord(spec.type, value, spec.country ? this.country(spec.country) : null, prop),
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
    let n = 0;
    for (const f of own) {
      if (!f.identifier.country && withCountry.has(`${f.identifier.type}|${normaliseIdentifierValue(f.identifier.type, f.identifier.value)}`)) continue;
      // A number in the generic idNumber that a document of the holder (Identification, Passport) gives
      // with its type and country is that document, not a second identifier.
      if (f.label === FTM_GENERIC_ID && documented.has(anyValue(f.identifier.value))) continue;
      if (idKeys.has(f.identifier.key)) continue;
      idKeys.add(f.identifier.key);
      out.line(`i1${n36(d.q)}${n36(n++)}\t${this.payloads.records.put(JSON.stringify(f))}`);
    }

    // Address entities (addressEntity) first; the `address` strings repeat their full text (OpenSanctions
    // copies it there), so a string already given by an entity is not a second address.
    const keys = new Set<string>();
    const texts = new Set<string>();
    let a = 0;
    const add = (address: AddressRecord, provenance: Provenance) => {
      if (keys.has(address.key)) return;
      keys.add(address.key);
      // Right after its party (`p<seq>` sorts before `p<seq>a<n>`): a party's addresses are one run of the spool.
      out.line(`p${n36(d.q)}a${n36(a++)}\t${this.payloads.records.put(JSON.stringify({ partyId: id, address, provenance }))}`);
    };
    let unresolved = 0;
    for (const p of addressParts) {
      if ('u' in p) {
        unresolved++;
        continue;
      }
      if (!p.r) continue;
      for (const f of p.f) texts.add(nameKey(f));
      add(p.r, p.v);
    }
    for (const text of all(e, 'address')) {
      if (texts.has(nameKey(text))) continue;
      texts.add(nameKey(text));
      add(addressRecord(text, null, null), party.provenance);
    }
    this.unresolvedAddresses += unresolved;
    if (unresolved && all(e, 'address').length === 0) this.partiesWithoutAddress++;
    out.line(`p${n36(d.q)}\t${this.payloads.records.put(JSON.stringify(party))}`);
  }

  private links(d: LinkData, parts: [string, string][], out: LineWriter): void {
    const ends: { f: EndStatus[]; t: EndStatus[] } = { f: [], t: [] };
    for (const [kind, json] of parts) ends[kind[1] as 'f' | 't'][parseInt(kind.slice(2), 36)] = JSON.parse(json) as EndStatus;
    d.froms.forEach((from, i) => {
      d.tos.forEach((to, j) => {
        const pair: [string, EndStatus][] = [[from, ends.f[i]], [to, ends.t[j]]];
        const other = pair.find(([, st]) => st && !FTM_PARTY_KINDS[st.s]);
        if (other) {
          this.reject(2, d.q, n36(i) + n36(j), d.at, `${d.schema} ${d.id}: ${other[0]} is a ${other[1]!.s}, which the model has no party kind for; no link`);
          return;
        }
        if (!ends.f[i]?.p) this.linksFromElsewhere++;
        if (!ends.t[j]?.p) this.linksToElsewhere++;
        const link: LinkRecord = {
          type: d.type,
          from,
          // A target not in these files is kept: the loader makes it a placeholder until it is loaded.
          to: { id: to },
          label: d.label,
          percentage: d.percentage,
          startDate: d.startDate,
          endDate: d.endDate,
          sourceId: d.id,
          provenance: this.prov(d.id, d.at),
        };
        out.line(`l${n36(d.q)}${n36(i)}${n36(j)}\t${this.payloads.records.put(JSON.stringify(link))}`);
      });
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Step 5: the records, in the whole-file parse's order, to the sink.

  async emit(sink: ReleaseSink): Promise<void> {
    const input = await this.sorted('records', 'join 4/4: records');
    const read = progressCounter(this.progress);
    try {
      for await (const l of readLines(input)) {
        read(l);
        const tab = l.indexOf('\t');
        const json = this.payloads.records.get(l.slice(tab + 1));
        switch (l[0]) {
          case 'p':
            // `p<seq>` a party, `p<seq>a<n>` its addresses.
            if (tab === 9) sink.party(JSON.parse(json));
            else sink.address(JSON.parse(json));
            break;
          case 'i':
            sink.identifier(JSON.parse(json));
            break;
          default:
            sink.link(JSON.parse(json));
        }
      }
      read(null);
    } finally {
      this.payloads.records.remove();
      fs.rmSync(input, { force: true });
    }
  }

  /** What was read but not loaded, in one sentence each (after step 4). */
  warnings(): string[] {
    const warnings: string[] = [];
    if (this.unresolvedAddresses) {
      warnings.push(
        `${this.unresolvedAddresses} addressEntity references point to Address entities not in these files` +
          (this.partiesWithoutAddress
            ? `; ${this.partiesWithoutAddress} of the parties holding them have no address text either, so their address is missing`
            : "; the parties' address texts, which repeat them, were loaded instead"),
      );
    }
    if (this.unusedAddresses) {
      warnings.push(
        `${this.unusedAddresses} Address entities are not the address of any party in these files and were not loaded` +
          `${this.mode === 'delta' ? ' (a delta cannot change the address of a party it does not restate)' : ''}: ` +
          this.unusedFirst.map(([, w]) => w).join(', ') + (this.unusedAddresses > 5 ? ', ...' : ''),
      );
    }
    if (this.unmapped.size) {
      const unmapped = [...this.unmapped].sort((a, b) => a[1].q - b[1].q);
      warnings.push(`entities of schemata the model has no place for were not loaded: ${unmapped.map(([s, u]) => `${s} ${u.n}`).join(', ')}`);
    }
    if (this.linksFromElsewhere) {
      warnings.push(`${this.linksFromElsewhere} links start at a party that is not in these files: they load only if that party is already in the graph`);
    }
    if (this.linksToElsewhere) warnings.push(`${this.linksToElsewhere} links point to a party that is not in these files: it becomes a placeholder until loaded`);
    if (this.unknownCountries.size) warnings.push(`unknown country codes, kept as written: ${[...this.unknownCountries].sort().join(', ')}`);
    return warnings;
  }
}
