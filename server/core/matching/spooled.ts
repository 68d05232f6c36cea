/**
 * findCandidates for lists too large to hold: the same candidates (byte for byte), with memory bounded
 * by what must be known of every party at once (its dataset, kind and place in a spool file: a few
 * bytes each; the words' counts and the name keys several parties bear, which rarity reads) instead of
 * every party prepared. The whole lists held made the refresh after a load take 1.8 GB at x16 (256,000
 * parties) and over 4 GB at x64 (issue 11).
 *
 * Three passes over files in a private folder (MATCHING_PREFIX and this process's owner tag: a load
 * killed while matching cannot remove it, and the next load or refresh removes it, as a killed load's
 * spool: server/core/owned-folders.ts), removed at the end:
 * 1. the parties, read in id order, are written to a file (one JSON line each; only their offsets are
 *    kept) and their block keys to one of KEY_PARTS files, chosen by a hash of the key, so that each
 *    file holds every member of its blocks;
 * 2. one key file at a time is grouped into its blocks, whose pairs (with the bits each block adds and
 *    the block's rank: see below) go to one of several pair files, by the pair's anchor: its party of a
 *    touching dataset (after a load, the loaded list's), or its first party when none is singled out;
 *    a block with no member of a touching dataset is passed over at once;
 * 3. one pair file at a time, each pair's bits are summed and the pairs that carry enough are scored,
 *    in the order of their other party, reading their two parties back from the party file: the file's
 *    anchors (a range of PARTIES_PER_PAIR_PART) are held prepared while it is scored, and each other
 *    party is read once per file. A pair Comparer.mayReach rules out (its cheap features and the most
 *    its names could give stay under the threshold: most pairs) is not compared.
 *
 * The bits of a pair are summed in the order findCandidates sums them (the order blocks first appear,
 * party by party in id order, each party's keys as blockKeys gives them): floating-point sums in
 * another order could differ in their last bit, and with them a pair right at MIN_SHARED_BITS.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  blockKeys, candidateOrder, Comparer, forEachBlockPair, kindRelation, minSharedBits, prepare, MATCH_THRESHOLD,
  type Caches, type Candidate, type ComparedPopulation, type FindOptions, type MatchParty, type PairFilter, type Prepared,
} from './match';
import type { PartyKind } from '../model';
import { makeOwnedFolder, removeLeftoverFolders } from '../owned-folders';

/** The work folders' names begin with this (the next load removes those of dead processes: ingest/spool.ts). */
export const MATCHING_PREFIX = 'matching-';

/** Key files: each holds about 1/KEY_PARTS of the block keys (about 8 MB per file at x64, 1M parties). */
export const KEY_PARTS = 128;
/**
 * Anchor parties per pair file (a range of them, see passes): each file's pairs are summed in memory at
 * once, and its anchors are held prepared while the file is scored.
 */
export const PARTIES_PER_PAIR_PART = 5_000;
/**
 * Other prepared parties kept for scoring (a prepared party takes several times its JSON): a file's
 * pairs are scored in the order of their other party, so each is read once per file; these few are
 * for the pairs whose other party is also an anchor.
 */
export const PREPARED_KEPT = 1_000;
/** A block's rank is its first party's index times this plus the key's place among that party's keys. */
const RANK_SLOTS = 2 ** 20;
/** Bytes buffered per file before they are written. */
const FLUSH_BYTES = 1 << 16;
/** For each of the KEY_PARTS key files, less: 128 buffers of lines held as strings were 20 MB of heap. */
const KEY_FLUSH_BYTES = 1 << 13;

export interface SpooledFindOptions extends FindOptions {
  /** A folder to make the private work folder in (removed at the end, also on failure). */
  dir: string;
  /** Prepared parties kept for scoring beside a pair file's anchors (default PREPARED_KEPT). */
  keep?: number;
  /** Anchor parties per pair file (default PARTIES_PER_PAIR_PART; tests make several files of a small list). */
  partiesPerPairFile?: number;
  /** Compare every pair with enough bits, even those Comparer.mayReach rules out (the benchmark's baseline). */
  compareAll?: boolean;
  /** Called after each page read and each key or pair file done (tests measure the heap there). */
  progress?: () => void;
}

/** What the passes measured, for the caller's log and the benchmark. */
export interface SpooledStats {
  parties: number;
  /** Pair contributions written (a pair sharing three blocks counts three times). */
  pairRecords: number;
  /** Pairs whose bits were enough to score them. */
  scored: number;
  /** Of those, the pairs compared (the others cannot reach the threshold: Comparer.mayReach). */
  compared: number;
  /** Bytes the work folder held at most (party, key and pair files). */
  spoolBytes: number;
}

/** A growable array of numbers in a typed array (8 bytes per number instead of a JS array's slot and boxing). */
class Numbers {
  private a = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = x;
  }
  get(i: number): number {
    return this.a[i];
  }
}

/** Appends lines to a file through a buffer. */
class LineAppender {
  private parts: string[] = [];
  private pending = 0;
  private readonly fd: number;
  /** Bytes added so far (written or buffered): the next line's offset. */
  added = 0;
  constructor(
    readonly file: string,
    private readonly flushBytes = FLUSH_BYTES,
  ) {
    this.fd = fs.openSync(file, 'wx', 0o600);
  }
  line(s: string): void {
    const bytes = Buffer.byteLength(s) + 1;
    this.parts.push(s);
    this.pending += bytes;
    this.added += bytes;
    if (this.pending >= this.flushBytes) this.flush();
  }
  flush(): void {
    if (this.pending === 0) return;
    writeAllSync(this.fd, Buffer.from(`${this.parts.join('\n')}\n`));
    this.parts = [];
    this.pending = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** Appends records of three doubles to a file through a buffer. */
class TripleAppender {
  private readonly buf = new Float64Array(FLUSH_BYTES / 8 - ((FLUSH_BYTES / 8) % 3));
  private used = 0;
  private readonly fd: number;
  /** Bytes added so far. */
  added = 0;
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'wx', 0o600);
  }
  add(x: number, y: number, z: number): void {
    this.buf[this.used++] = x;
    this.buf[this.used++] = y;
    this.buf[this.used++] = z;
    this.added += 24;
    if (this.used === this.buf.length) this.flush();
  }
  flush(): void {
    if (this.used === 0) return;
    writeAllSync(this.fd, Buffer.from(this.buf.buffer, 0, this.used * 8));
    this.used = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

function writeAllSync(fd: number, b: Buffer): void {
  let off = 0;
  while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
}

/** A key as one line of a key file (an email or website identifier may hold a line break). */
function escapeKey(key: string): string {
  return key.includes('\\') || key.includes('\n') ? key.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : key;
}

function unescapeKey(line: string): string {
  return line.includes('\\') ? line.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')) : line;
}

/** Lets the event loop run (timers, I/O), then tells the caller where the passes are. */
async function breather(opts: SpooledFindOptions): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  opts.progress?.();
}

/** FNV-1a of a string's UTF-16 code units: which key file a key goes to. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Candidate pairs of the parties `pages` gives (in pages, ascending by id, each id once: the order of
 * cypher/match-parties-page.cypher), exactly as findCandidates(all of them, opts) gives them.
 */
export async function findCandidatesSpooled(
  pages: AsyncIterable<readonly MatchParty[]>,
  opts: SpooledFindOptions,
): Promise<{ candidates: Candidate[]; stats: SpooledStats }> {
  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  removeLeftoverFolders(opts.dir, MATCHING_PREFIX, 'a matching refresh');
  const work = makeOwnedFolder(opts.dir, MATCHING_PREFIX);
  try {
    return await passes(pages, opts, work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function passes(pages: AsyncIterable<readonly MatchParty[]>, opts: SpooledFindOptions, work: string): Promise<{ candidates: Candidate[]; stats: SpooledStats }> {
  const caches: Caches = { dates: new Map(), countries: new Map() };
  const datasetNames: string[] = [];
  const datasetIndex = new Map<string, number>();
  const kindNames: PartyKind[] = [];
  const kindIndex = new Map<PartyKind, number>();
  // Per party (by index): its dataset and kind (as small numbers), and its line's offset in the party file.
  const datasets = new Numbers();
  const kinds = new Numbers();
  const offsets = new Numbers();
  // Per party: its rank among the anchors (parties of `touchingDatasets`, or all without it), or -1.
  const touching = opts.touchingDatasets ? new Set(opts.touchingDatasets) : null;
  const anchorRanks = new Numbers();
  let anchors = 0;
  const wordCounts = new Map<string, number>();

  // Pass 1: the parties to the party file, their keys to the key files.
  const partyFile = new LineAppender(path.join(work, 'parties.jsonl'));
  const keyFiles = Array.from({ length: KEY_PARTS }, (_, i) => new LineAppender(path.join(work, `keys-${i}.tsv`), KEY_FLUSH_BYTES));
  let n = 0;
  let lastId: string | null = null;
  try {
    for await (const page of pages) {
      for (const p of page) {
        if (lastId !== null && !(lastId < p.id)) {
          throw new Error(`matching: parties must come in ascending id order, each once ("${p.id}" after "${lastId}")`);
        }
        lastId = p.id;
        const i = n++;
        if (i * RANK_SLOTS >= Number.MAX_SAFE_INTEGER) throw new Error(`matching: more than ${Math.floor(Number.MAX_SAFE_INTEGER / RANK_SLOTS)} parties`);
        let d = datasetIndex.get(p.dataset);
        if (d === undefined) datasetIndex.set(p.dataset, (d = datasetNames.push(p.dataset) - 1));
        let k = kindIndex.get(p.kind);
        if (k === undefined) kindIndex.set(p.kind, (k = kindNames.push(p.kind) - 1));
        datasets.push(d);
        kinds.push(k);
        anchorRanks.push(!touching || touching.has(p.dataset) ? anchors++ : -1);
        offsets.push(partyFile.added);
        partyFile.line(JSON.stringify(p));
        // Without signatures: only the keys and words are read here (pass 3 prepares the parties it compares).
        const prepared = prepare(p, caches, false);
        for (const w of new Set(prepared.names.flatMap((x) => x.tokens))) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
        const keys = blockKeys(prepared);
        let place = 0;
        for (const key of [...keys.name, ...keys.word]) {
          if (place >= RANK_SLOTS) throw new Error(`matching: party ${p.id} has more than ${RANK_SLOTS} block keys`);
          const line = escapeKey(key);
          keyFiles[hash(line) % KEY_PARTS].line(`${line}\t${i * RANK_SLOTS + place++}`);
        }
      }
      opts.progress?.();
    }
  } finally {
    partyFile.close();
    for (const f of keyFiles) f.close();
  }
  offsets.push(partyFile.added);
  let spoolBytes = partyFile.added + keyFiles.reduce((s, f) => s + f.added, 0);
  const stats: SpooledStats = { parties: n, pairRecords: 0, scored: 0, compared: 0, spoolBytes };
  if (n < 2) return { candidates: [], stats };

  // Pass 2: blocks, one key file at a time, to pair files by the pair's anchor: its party of a
  // touching dataset (the first, when both are), or its first party when no dataset is singled out.
  // After a load, the loaded list's parties are the anchors: a file's pairs share a few thousand of
  // them, while their other parties are anywhere in the store (pass 3). A pair record is three
  // doubles: code (first * n + second), the block's rank, the bits the block adds.
  const filter: PairFilter = { only: opts.onlyDatasets ? new Set(opts.onlyDatasets) : null, touching };
  const datasetOf = (i: number) => datasetNames[datasets.get(i)];
  const partySpan = opts.partiesPerPairFile ?? PARTIES_PER_PAIR_PART;
  const anchorOf = (code: number) => {
    const a = Math.floor(code / n);
    return anchorRanks.get(a) >= 0 ? a : code % n;
  };
  const pairFiles = Array.from({ length: Math.max(1, Math.ceil(anchors / partySpan)) }, (_, i) => new TripleAppender(path.join(work, `pairs-${i}.bin`)));
  const bearers = new Map<string, number[]>();
  try {
    for (const keyFile of keyFiles) {
      const blocks = new Map<string, { rank: number; members: number[] }>();
      for (const line of fs.readFileSync(keyFile.file, 'utf8').split('\n')) {
        if (line === '') continue;
        const tab = line.lastIndexOf('\t');
        const key = unescapeKey(line.slice(0, tab));
        const rank = Number(line.slice(tab + 1));
        const i = Math.floor(rank / RANK_SLOTS);
        const block = blocks.get(key);
        // Lines come in party order, so the first is the block's rank and members are ascending.
        if (block) block.members.push(i);
        else blocks.set(key, { rank, members: [i] });
      }
      fs.rmSync(keyFile.file);
      // Between files, the event loop runs (the load's heartbeat): the passes take minutes at x64.
      await breather(opts);
      for (const [key, { rank, members }] of blocks) {
        if (key.startsWith('n:') && members.length > 1) bearers.set(key.slice(2), members);
        forEachBlockPair(key, members, n, datasetOf, filter, () => false, (code, bits) => {
          pairFiles[Math.floor(anchorRanks.get(anchorOf(code)) / partySpan)].add(code, rank, bits);
          stats.pairRecords++;
        });
      }
      opts.progress?.();
    }
  } finally {
    for (const f of pairFiles) f.close();
  }
  spoolBytes = Math.max(spoolBytes, partyFile.added + pairFiles.reduce((s, f) => s + f.added, 0));
  stats.spoolBytes = spoolBytes;

  // Pass 3: per pair file, each pair's bits summed in block order, and the pairs with enough scored, in
  // the order of their other party (not the anchor): each is read back from the party file once per
  // pair file, while the file's anchors (at most partySpan) stay prepared until the file is done.
  // Reading them in pair order read a party back for nearly every pair (the LRU of 5,000 held few of
  // the 255,000 at x16).
  const fd = fs.openSync(partyFile.file, 'r');
  try {
    const fileAnchors = new Map<number, Prepared>();
    let fileIndex = 0;
    const kept = new Map<number, Prepared>();
    const keep = opts.keep ?? PREPARED_KEPT;
    let buf = Buffer.alloc(1 << 16);
    const read = (i: number): Prepared => {
      const start = offsets.get(i);
      const len = offsets.get(i + 1) - start;
      if (buf.length < len) buf = Buffer.alloc(len * 2);
      let got = 0;
      while (got < len) {
        const r = fs.readSync(fd, buf, got, len - got, start + got);
        if (r === 0) throw new Error(`matching: the party file ended before party ${i}'s line`);
        got += r;
      }
      return prepare(JSON.parse(buf.toString('utf8', 0, len)) as MatchParty, caches);
    };
    const population: ComparedPopulation = {
      size: n,
      datasetOf,
      wordCounts,
      bearers,
      at(i) {
        const rank = anchorRanks.get(i);
        if (rank >= 0 && Math.floor(rank / partySpan) === fileIndex) {
          let p = fileAnchors.get(i);
          if (!p) fileAnchors.set(i, (p = read(i)));
          return p;
        }
        const hit = kept.get(i);
        if (hit) {
          kept.delete(i);
          kept.set(i, hit);
          return hit;
        }
        const p = read(i);
        kept.set(i, p);
        if (kept.size > keep) kept.delete(kept.keys().next().value as number);
        return p;
      },
    };
    const comparer = new Comparer(population);
    const minBits = minSharedBits(n);
    const minScore = opts.minScore ?? MATCH_THRESHOLD;
    const out = new Map<string, Candidate>();
    for (const [f, pairFile] of pairFiles.entries()) {
      await breather(opts);
      fileIndex = f;
      fileAnchors.clear();
      const bytes = fs.readFileSync(pairFile.file);
      fs.rmSync(pairFile.file);
      const records = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
      const count = records.length / 3;
      const order = new Uint32Array(count);
      const others = new Float64Array(count);
      for (let r = 0; r < count; r++) {
        order[r] = r;
        const code = records[r * 3];
        const a = Math.floor(code / n);
        others[r] = anchorOf(code) === a ? code % n : a;
      }
      // By other party, then pair (code), then block rank: a pair's records together, in block order.
      order.sort((x, y) => others[x] - others[y] || records[x * 3] - records[y * 3] || records[x * 3 + 1] - records[y * 3 + 1]);
      for (let r = 0; r < count; ) {
        const code = records[order[r] * 3];
        let bits = 0;
        for (; r < count && records[order[r] * 3] === code; r++) bits += records[order[r] * 3 + 2];
        if (bits < minBits) continue;
        const a = Math.floor(code / n);
        const b = code % n;
        const kind = kindRelation(kindNames[kinds.get(a)], kindNames[kinds.get(b)]);
        if (!kind) continue;
        stats.scored++;
        if (!opts.compareAll && !comparer.mayReach(a, b, kind, minScore)) continue;
        stats.compared++;
        const c = comparer.compare(a, b, kind);
        const key = `${c.a}\n${c.b}`;
        if (c.score >= minScore && c.score > (out.get(key)?.score ?? -1)) out.set(key, c);
      }
      opts.progress?.();
    }
    fileAnchors.clear();
    return { candidates: [...out.values()].sort(candidateOrder), stats };
  } finally {
    fs.closeSync(fd);
  }
}
