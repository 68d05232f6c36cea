/**
 * The scale generator: the real OFAC SDN and UN lists multiplied `factor` times into files of their
 * real formats (see README "Scale data"). Copy 0 is the real list; copies 1..factor-1 are made from it
 * (ofac.ts, un.ts). Everything is streamed: per copy, rows are made from the real list held in memory
 * (15,000 + 1,000 entries) and written at once; what is kept across copies is one hash per OFAC name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NameRegistry } from './names';
import { claimNames, ofacFolder, readOfacSource, writeCopy, writeRealCopy, type OfacCounts, type OfacOutput } from './ofac';
import { copyPrefixes, readUnSource, writeUnCopy, writeUnHeader, type UnCounts } from './un';
import { OutFile } from './writer';

const DATA = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'sanctions');

export const DEFAULT_SOURCES = {
  /** The newest complete SDN primary file (aliases, identifiers and links are in its Remarks). */
  sdn: path.join(DATA, 'ofac-sdn-csv-2024-05-03', 'sdn.csv'),
  /** Addresses: no add.csv of 2024-05-03 exists; the 2025-12-24 one's rows of entries listed in 2024-05-03. */
  add: path.join(DATA, 'ofac-add-alt-2025-12-24', 'add.csv'),
  un: path.join(DATA, 'un-consolidated-xml-2025-11-18', 'consolidated.xml'),
  ofacRelease: '2024-05-03',
};

export interface ScaleOptions {
  factor: number;
  seed: string;
  out: string;
  /** Share of each copy's links that point into another copy (default 0.1). */
  cross?: number;
  sdn?: string;
  add?: string | null;
  /** The sdn.csv whose names fill the name pools (default: `sdn`); see readOfacSource. */
  vocabulary?: string;
  un?: string;
  /** Called after each copy of each list. */
  onProgress?: (p: { list: 'ofac' | 'un'; copy: number; factor: number; parties: number; bytes: number }) => void;
}

export interface ScaleResult {
  factor: number;
  seed: string;
  cross: number;
  ofac: OfacCounts & { folder: string; release: string };
  un: UnCounts & { folder: string };
  files: { file: string; bytes: number }[];
  seconds: number;
}

export async function generateScale(opts: ScaleOptions): Promise<ScaleResult> {
  const started = Date.now();
  const { factor, seed } = opts;
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`--factor must be a whole number >= 1, not ${factor}`);
  const cross = opts.cross ?? 0.1;
  const sdn = opts.sdn ?? DEFAULT_SOURCES.sdn;
  const add = opts.add === undefined ? DEFAULT_SOURCES.add : opts.add;
  const unFile = opts.un ?? DEFAULT_SOURCES.un;

  const ofacDir = ofacFolder(opts.out, factor);
  const unDir = path.join(opts.out, `un-sc-x${factor}`);
  // A fresh folder each time: a file left by an earlier run (a comments file) would join this set.
  for (const d of [ofacDir, unDir]) {
    fs.rmSync(d, { recursive: true, force: true });
    fs.mkdirSync(d, { recursive: true });
  }
  const files: { file: string; bytes: number }[] = [];

  // OFAC
  const src = await readOfacSource(sdn, add, opts.vocabulary ?? sdn);
  const registry = new NameRegistry();
  claimNames(src, seed, factor, registry);
  const out: OfacOutput = {
    sdn: new OutFile(path.join(ofacDir, 'sdn.csv')),
    add: new OutFile(path.join(ofacDir, 'add.csv')),
    comments: new OutFile(path.join(ofacDir, 'sdn_comments.csv')),
  };
  const ofac: OfacCounts = { parties: 0, links: 0, crossCopyLinks: 0, addressRows: 0, commentRows: 0 };
  const total = () => out.sdn.bytes + out.add.bytes + out.comments.bytes;
  await writeRealCopy(src, out, ofac);
  opts.onProgress?.({ list: 'ofac', copy: 1, factor, parties: ofac.parties, bytes: total() });
  for (let k = 1; k < factor; k++) {
    await writeCopy(src, k, { seed, factor, cross, registry }, out, ofac);
    opts.onProgress?.({ list: 'ofac', copy: k + 1, factor, parties: ofac.parties, bytes: total() });
  }
  // OFAC's end-of-file mark after the last record, as in the real file (the parser warns without it).
  await out.sdn.write('\x1a');
  for (const f of [out.sdn, out.add, out.comments]) {
    const bytes = await f.close();
    // An empty file has no role the parser can recognise: a set without continuations has no comments file.
    if (bytes === 0) fs.rmSync(f.path);
    else files.push({ file: f.path, bytes });
  }

  // UN
  const un = await readUnSource(unFile);
  const prefixes = copyPrefixes(un, seed, factor);
  const unOut = new OutFile(path.join(unDir, path.basename(unFile)));
  const unCounts: UnCounts = { parties: 0, links: 0, crossCopyLinks: 0 };
  await writeUnHeader(un, unOut);
  for (const individual of [true, false]) {
    const section = individual ? 'INDIVIDUALS' : 'ENTITIES';
    await unOut.write(`  <${section}>\n`);
    for (let k = 0; k < factor; k++) {
      await writeUnCopy(un, individual, k, { seed, factor, cross, prefixes }, unOut, unCounts);
      if (!individual) opts.onProgress?.({ list: 'un', copy: k + 1, factor, parties: unCounts.parties, bytes: unOut.bytes });
    }
    await unOut.write(`  </${section}>\n`);
  }
  await unOut.write('</CONSOLIDATED_LIST>\n');
  files.push({ file: unOut.path, bytes: await unOut.close() });

  return {
    factor,
    seed,
    cross,
    ofac: { ...ofac, folder: ofacDir, release: DEFAULT_SOURCES.ofacRelease },
    un: { ...unCounts, folder: unDir },
    files,
    seconds: (Date.now() - started) / 1000,
  };
}
