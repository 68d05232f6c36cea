import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOfacCsv, roleOf } from '../../ingest/sources/ofac-csv';
import { readCsv } from '../../ingest/csv';
import { SourceFormatError } from '../../server/core/errors';

const SUBSET = path.join(__dirname, '..', 'fixtures', 'ofac-sdn-csv-subset-2025-05-16');
const files = ['sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv'].map((f) => path.join(SUBSET, f));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-csv-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function lines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '' && l.trim() !== '\x1a');
}

describe('OFAC legacy CSV (real 17-entry subset of 2025-05-16)', () => {
  test('file roles come from content', () => {
    expect(roleOf(['1', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'])).toBe('primary');
    expect(roleOf(['1', '2', 'x', 'y', 'z', 'w'])).toBe('address');
    expect(roleOf(['1', '2', 'aka', 'x', '-0-'])).toBe('alias');
    expect(roleOf(['1', 'remarks'])).toBe('comments');
    expect(roleOf(['name', 'x'])).toBeNull();
  });

  test('every entry, alias and address of the four files', async () => {
    const r = await parseOfacCsv([...files].reverse(), { release: '2025-05-16' });
    expect(r.dataset).toBe('ofac-sdn');
    expect(r.parties.length).toBe(lines(files[0]).length);
    expect(r.parties.length).toBe(17);
    // Each alt.csv row becomes an alias unless the remarks already state it.
    const listedIds = new Set(lines(files[0]).map((l) => l.split(',')[0]));
    const ownAltRows = lines(files[2]).filter((l) => listedIds.has(l.split(',')[0])).length;
    const aliases = r.parties.reduce((n, p) => n + p.aliases.length, 0);
    expect(aliases).toBeGreaterThanOrEqual(ownAltRows);
    // Counted independently from the raw lines: add.csv rows of listed entries that are not all "-0-";
    // rows of entries missing from sdn.csv are orphans (this real subset has four).
    const listed = new Set(lines(files[0]).map((l) => l.split(',')[0]));
    const addRows = lines(files[1]);
    const own = addRows.filter((l) => listed.has(l.split(',')[0]));
    expect(r.addresses.length).toBe(own.filter((l) => !/^\d+,\d+,-0- ,-0- ,-0- ,/.test(l)).length);
    const orphans = addRows.filter((l) => !listed.has(l.split(',')[0]));
    expect(orphans.length).toBe(4);
    expect(r.rejected.filter((x) => x.file === 'add.csv').map((x) => x.line)).toEqual(orphans.map((l) => addRows.indexOf(l) + 1));
    const altRows = lines(files[2]);
    const altOrphans = altRows.filter((l) => !listed.has(l.split(',')[0]));
    expect(r.rejected.filter((x) => x.file === 'alt.csv').length).toBe(altOrphans.length);
    expect(r.rejected.length).toBe(orphans.length + altOrphans.length);
    expect(r.files.sort()).toEqual(['add.csv', 'alt.csv', 'sdn.csv', 'sdn_comments.csv']);
  });

  test('sdn_comments.csv continues a full (1000-character) remark mid-word', async () => {
    const r = await parseOfacCsv(files, { release: '2025-05-16' });
    const p = r.parties.find((x) => x.id === 'ofac-33151')!;
    expect(p.remarks!.length).toBeGreaterThan(1000);
    expect(p.remarks).toContain('1B64QRxfaa35MVkf7sDjuGU');
    expect(r.identifiers.some((i) => i.partyId === 'ofac-33151' && i.identifier.value.startsWith('1B64QRxfaa35MVkf7sDjuGU'))).toBe(true);
  });

  test('a truncated primary file is refused with file and line', async () => {
    const text = fs.readFileSync(files[0], 'utf8');
    const cut = path.join(tmp, 'sdn.csv');
    fs.writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    await expect(parseOfacCsv([cut], { release: '2025-05-16' })).rejects.toThrow(/sdn\.csv:\d+: (a quoted field is never closed|expected 12 columns)/);
  });

  test('an empty primary file is refused', async () => {
    const empty = path.join(tmp, 'empty', 'sdn.csv');
    fs.mkdirSync(path.dirname(empty), { recursive: true });
    fs.writeFileSync(empty, '');
    await expect(parseOfacCsv([empty], { release: '2025-05-16' })).rejects.toThrow(SourceFormatError);
  });

  test('address rows without their primary entry are reported as orphans, not attached', async () => {
    const other = path.join(tmp, 'other', 'add.csv');
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, '99999999,1,"Street 1","City","Nowhere",-0- \r\n');
    const r2 = await parseOfacCsv([files[0], other], { release: '2025-05-16' });
    expect(r2.rejected).toEqual([{ file: 'add.csv', line: 1, reason: expect.stringMatching(/orphan: ent_num 99999999 is not in sdn\.csv/) }]);
    expect(r2.addresses.length).toBe(0);
  });

  test('a duplicate ent_num is rejected with both places named', async () => {
    const dup = path.join(tmp, 'dup', 'sdn.csv');
    fs.mkdirSync(path.dirname(dup), { recursive: true });
    const first = fs.readFileSync(files[0], 'utf8').split('\n')[0];
    fs.writeFileSync(dup, `${first}\n${first}\n`);
    const r = await parseOfacCsv([dup], { release: '2025-05-16' });
    expect(r.parties.length).toBe(1);
    expect(r.rejected[0]).toMatchObject({ file: 'sdn.csv', line: 2, reason: expect.stringMatching(/duplicate ent_num \d+ \(first seen at sdn\.csv:1/) });
  });
});

describe('CSV reading', () => {
  test('a file that is not UTF-8 is read as Windows-1252 with a warning; UTF-8 text before such a byte is refused with line and offset', async () => {
    // What a spreadsheet program writes on Western-European Windows (csv.ts says why this is read, not refused).
    const cp1252 = path.join(tmp, 'latin1.csv');
    fs.writeFileSync(cp1252, Buffer.concat([Buffer.from('1,"ok"\n2,"caf'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    const warnings: string[] = [];
    const rows: string[][] = [];
    for await (const r of readCsv(cp1252, { warn: (w) => warnings.push(w) })) rows.push(r.fields);
    expect(rows).toEqual([['1', 'ok'], ['2', 'caf\u00e9']]);
    expect(warnings).toEqual([expect.stringMatching(/^latin1\.csv is not UTF-8 \(byte 0xE9 at byte offset 13, line 2\): read as Windows-1252/)]);
    const mixed = path.join(tmp, 'mixed.csv');
    fs.writeFileSync(mixed, Buffer.concat([Buffer.from('1,"caf\u00e9"\n2,"caf'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    const read = async () => {
      for await (const _ of readCsv(mixed)) void _;
    };
    await expect(read()).rejects.toThrow(/^mixed\.csv:2: is not valid UTF-8 \(byte 0xE9 at byte offset 16\), yet holds UTF-8 text before it/);
  });
  test("OFAC's end-of-file character is not a record", async () => {
    const f = path.join(tmp, 'eof.csv');
    fs.writeFileSync(f, '1,"a"\r\n2,"b"\r\n\x1a');
    const rows: string[][] = [];
    let eof = false;
    for await (const r of readCsv(f, { sawEof: () => (eof = true) })) rows.push(r.fields);
    expect(rows).toEqual([['1', 'a'], ['2', 'b']]);
    expect(eof).toBe(true);
  });
});

describe('remarks cut at the column width', () => {
  test('a cut just after a space keeps the space and joins its continuation (real entry 39593)', async () => {
    const shared = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'sanctions');
    const line = fs.readFileSync(path.join(shared, 'ofac-sdn-csv-2024-05-03', 'sdn.csv'), 'utf8').split('\r\n').find((l) => l.startsWith('39593,'))!;
    const comment = fs.readFileSync(path.join(shared, 'ofac-add-alt-2025-12-24', 'sdn_comments.csv'), 'utf8').split('\r\n').find((l) => l.startsWith('39593,'))!;
    const dir = path.join(tmp, 'cut39593');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'sdn.csv'), line + '\r\n');
    fs.writeFileSync(path.join(dir, 'sdn_comments.csv'), comment + '\r\n');
    const r = await parseOfacCsv([path.join(dir, 'sdn.csv'), path.join(dir, 'sdn_comments.csv')], { release: '2024-05-03' });
    expect(r.rejected).toEqual([]);
    expect(r.parties[0].remarks).toContain('Digital Currency Address - XBT 194xmrZA53');
    expect(r.identifiers.some((i) => i.identifier.type === 'cryptoWallet' && i.identifier.value.startsWith('194xmrZA53'))).toBe(true);
  });
});
