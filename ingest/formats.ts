/**
 * The source formats the loader understands, recognised from file content. Each is a small parser that
 * emits the common model (server/core/model.ts ParsedRelease).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourceFormat } from './parse-options';
import { SourceFormatError } from '../server/core/errors';
import { encodingProblem } from './encoding';
import { detectOfacCsv, parseOfacCsv } from './sources/ofac-csv';
import { OFAC_PUBLISHER, OFAC_DATASETS } from './sources/ofac-csv.meta';
import { ftmFormat } from './sources/ftm';
import { unXmlFormat } from './sources/un-xml';
import { ofacEnhancedXmlFormat } from './sources/ofac-enhanced-xml';
import { ofacAdvancedXmlFormat } from './sources/ofac-advanced-xml';
import { ofacClassicXmlFormat } from './sources/ofac-classic-xml';

export type { ParseOptions, SourceFormat } from './parse-options';

export const FORMATS: SourceFormat[] = [
  {
    name: 'ofac-csv',
    description: 'OFAC legacy CSV set: sdn.csv or cons_prim.csv, with add/alt/comments files when present',
    publisher: OFAC_PUBLISHER,
    detect: async (file) => (await detectOfacCsv(file)) !== null,
    parse: (files, opts) => parseOfacCsv(files, opts),
    title: (dataset) => Object.values(OFAC_DATASETS).find((d) => d.name === dataset)?.title ?? dataset,
  },
  ofacEnhancedXmlFormat,
  ofacAdvancedXmlFormat,
  ofacClassicXmlFormat,
  unXmlFormat,
  ftmFormat,
];

/** Files named on the command line; a folder stands for the files in it. */
export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new SourceFormatError(p, undefined, 'does not exist');
    if (fs.statSync(p).isDirectory()) {
      for (const f of fs.readdirSync(p).sort()) {
        const full = path.join(p, f);
        if (fs.statSync(full).isFile() && !f.startsWith('.') && !/\.(md|txt|xsd)$/i.test(f)) out.push(full);
      }
    } else out.push(p);
  }
  if (out.length === 0) throw new SourceFormatError(paths.join(', '), undefined, 'holds no files to load');
  return out;
}

export async function detectFormat(files: string[], name?: string): Promise<SourceFormat> {
  if (name) {
    const f = FORMATS.find((x) => x.name === name);
    if (!f) throw new SourceFormatError(name, undefined, `unknown format; known formats: ${FORMATS.map((x) => x.name).join(', ')}`);
    return f;
  }
  for (const f of FORMATS) {
    const results = await Promise.all(files.map((file) => f.detect(file)));
    if (results.every(Boolean)) return f;
    const bad = files.filter((_, i) => !results[i]);
    if (results.some(Boolean)) {
      throw new SourceFormatError(path.basename(bad[0]), 1, `is not in the same format (${f.name}) as the other files`);
    }
  }
  // A file in no format may be one whose bytes are not text this version reads: say that instead.
  for (const file of files) {
    const problem = await encodingProblem(file);
    if (problem) throw problem;
  }
  throw new SourceFormatError(
    path.basename(files[0]),
    1,
    `is in no format this version understands (${FORMATS.map((x) => x.name).join(', ')})`,
  );
}

/**
 * The release date known before parsing: given with --release, or a YYYY-MM-DD in the path (OFAC's CSV
 * files carry no date inside). Undefined when neither; parsers then use the date inside the file.
 */
export function releaseFor(files: string[], given?: string): { release?: string; from?: 'flag' | 'path'; where?: string } {
  if (given) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(given) || Number.isNaN(Date.parse(given))) {
      throw new SourceFormatError('--release', undefined, `${JSON.stringify(given)} is not a date like 2024-05-03`);
    }
    return { release: given, from: 'flag', where: '--release' };
  }
  for (const f of files) {
    const m = /(\d{4}-\d{2}-\d{2})/.exec(path.resolve(f));
    if (m && !Number.isNaN(Date.parse(m[1]))) return { release: m[1], from: 'path', where: `the path ${path.dirname(f)}` };
  }
  return {};
}
