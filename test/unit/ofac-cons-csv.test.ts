/**
 * The OFAC Consolidated (non-SDN) list in the legacy CSV format (cons_prim.csv, cons_add.csv, cons_alt.csv,
 * cons_comments.csv of 2025-12-19, ../shared/data/sanctions) through the same parser as the SDN files.
 *
 * Expected numbers are computed here from the raw lines, not with the parser's CSV reader: in these files
 * every record is one CRLF-terminated line (no quoted field holds a line break; the first test checks that
 * every line has an even number of quotes) and the last line is OFAC's end-of-file mark 0x1A. Fields are
 * split with a small regular expression for OFAC's two kinds of field: "quoted" (with "" for a quote) or -0-.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { nameKey } from '../../server/core/text/normalize';
import type { ParsedRelease } from '../../server/core/model';
import { SHARED } from '../helpers';

const DIR = path.join(SHARED, 'ofac-cons-csv-2025-12-19');
const [PRIM, ADD, ALT, COMMENTS] = ['cons_prim.csv', 'cons_add.csv', 'cons_alt.csv', 'cons_comments.csv'].map((f) => path.join(DIR, f));

/** The record lines of a file: split at CRLF, without the empty tail and the 0x1A end-of-file line. */
function lines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\r\n').filter((l) => l !== '' && l !== '\x1a');
}
/** Fields of one line: "quoted" (unquoted, "" -> ") or bare (-0- stays as written). */
function fields(line: string): string[] {
  return [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
    .filter((m, i, all) => !(m[0] === '' && i === all.length - 1))
    .map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]));
}
const isEmpty = (v: string) => v.trim() === '-0-' || v.trim() === '';

describe('OFAC Consolidated list, legacy CSV (real, 2025-12-19, 442 entries)', () => {
  const prim = lines(PRIM).map(fields);
  const add = lines(ADD).map(fields);
  const alt = lines(ALT).map(fields);
  const comments = lines(COMMENTS).map(fields);
  let r: ParsedRelease;
  beforeAll(async () => {
    // Given in any order, as a folder expands; the release date comes from the folder name.
    r = await parseOfacCsv([COMMENTS, ALT, ADD, PRIM], { release: '2025-12-19', releaseFrom: 'path' });
  });

  test('the raw files: one record per line, 12/6/5/2 fields, ending with the 0x1A mark', () => {
    for (const f of [PRIM, ADD, ALT, COMMENTS]) {
      const text = fs.readFileSync(f, 'utf8');
      expect(text.endsWith('\r\n\x1a')).toBe(true);
      for (const l of lines(f)) expect(count(l, /"/g) % 2).toBe(0);
    }
    expect(new Set(prim.map((f) => f.length))).toEqual(new Set([12]));
    expect(new Set(add.map((f) => f.length))).toEqual(new Set([6]));
    expect(new Set(alt.map((f) => f.length))).toEqual(new Set([5]));
    expect(new Set(comments.map((f) => f.length))).toEqual(new Set([2]));
  });

  test('442 entries, dataset ofac-cons, nothing rejected', () => {
    expect(prim.length).toBe(442);
    expect(r.parties.length).toBe(prim.length);
    expect(new Set(r.parties.map((p) => p.id))).toEqual(new Set(prim.map((f) => `ofac-${f[0]}`)));
    expect(r.dataset).toBe('ofac-cons');
    expect(r.release).toBe('2025-12-19');
    expect(r.files.sort()).toEqual(['cons_add.csv', 'cons_alt.csv', 'cons_comments.csv', 'cons_prim.csv']);
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  test('names, kinds and programs are those of cons_prim.csv', () => {
    const byId = new Map(r.parties.map((p) => [p.id, p]));
    for (const f of prim) {
      const p = byId.get(`ofac-${f[0]}`)!;
      expect(p.name).toBe(f[1]);
      // SDN_Type: "individual" or -0- (an entity); the consolidated list has no vessels or aircraft.
      expect(p.kind).toBe(f[2] === 'individual' ? 'Person' : 'Organization');
      // Program: several are written "A] [B" inside one field.
      expect(p.programs).toEqual(f[3].split('] [').map((x) => x.trim()));
    }
    expect(r.parties.filter((p) => p.kind === 'Person').length).toBe(prim.filter((f) => f[2] === 'individual').length);
  });

  test('every cons_comments.csv row continues a remark cut at 1000 characters', () => {
    const byId = new Map(r.parties.map((p) => [p.id, p]));
    expect(comments.length).toBe(10);
    for (const [entNum, rest] of comments) {
      const own = prim.find((f) => f[0] === entNum)![11];
      expect(own.length).toBe(1000);
      // The continuation is joined as is: OFAC cuts mid-word.
      expect(byId.get(`ofac-${entNum}`)!.remarks).toBe((own + rest).trim());
    }
  });

  test('addresses: every cons_add.csv row that is not all -0-', () => {
    // Rows with street, city and country all "-0- " are OFAC's "no address" rows.
    const real = add.filter((f) => !(isEmpty(f[2]) && isEmpty(f[3]) && isEmpty(f[4])));
    expect(add.length).toBe(574);
    expect(real.length).toBe(522);
    expect(r.addresses.length).toBe(real.length);
    const ids = new Set(prim.map((f) => f[0]));
    expect(add.every((f) => ids.has(f[0]))).toBe(true);
    expect(r.addresses.map((a) => a.provenance.record)).toEqual(real.map((f) => expect.stringMatching(new RegExp(`^cons_add\\.csv:\\d+ \\(ent_num ${f[0]}, add_num ${f[1]}\\)$`))));
  });

  test('aliases: every cons_alt.csv row is an alias of its entry', () => {
    expect(alt.length).toBe(1073);
    const byId = new Map(r.parties.map((p) => [p.id, p]));
    const types: Record<string, string> = { aka: 'a.k.a.', fka: 'f.k.a.' };
    for (const [entNum, , type, name] of alt) {
      const p = byId.get(`ofac-${entNum}`)!;
      expect(p.aliases).toContainEqual({ name, type: types[type], quality: null });
    }
    // Aliases are never doubled within an entry.
    for (const p of r.parties) expect(new Set(p.aliases.map((a) => `${a.type}|${nameKey(a.name)}`)).size).toBe(p.aliases.length);
  });

  test('identifiers and "Linked To:" statements: as many as the raw remarks hold', () => {
    // The whole remarks of each entry: its Remarks field plus its cons_comments.csv continuation.
    const extra = new Map(comments.map(([id, rest]) => [id, rest]));
    const remarks = prim.map((f) => f[11] + (extra.get(f[0]) ?? '')).join('\n');
    expect(r.links.length).toBe(count(remarks, /Linked To: /g));
    expect(r.links.length).toBe(283);
    for (const label of ['Tax ID No.', 'Registration ID', 'ISIN', 'Email Address', 'Website', 'SWIFT/BIC', 'Equity Ticker', 'Legal Entity Number']) {
      const raw = count(remarks, new RegExp(`${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `, 'g'));
      expect([label, r.identifiers.filter((i) => i.label === label).length]).toEqual([label, raw]);
    }
    expect(r.identifiers.filter((i) => i.label === 'Tax ID No.').length).toBe(222);
  });
});

function count(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}
