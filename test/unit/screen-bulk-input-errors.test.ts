/**
 * The bulk screening reader on malformed and unusual files (review of the bulk commits, #2 #3 #4 #6 #7
 * #8 #14): each input is read whole in one chunk, in chunks of 64 KB (as a file or an upload arrives) and
 * in chunks of 7 bytes (records and multi-byte characters across chunk ends), with the same answer.
 */
import { Readable } from 'node:stream';
import { BadInputError } from '../../server/core/errors';
import { BulkFileError, openBulkInput, type BulkRow } from '../../server/core/screening/bulk-input';
import { SCREEN_LIMITS } from '../../server/core/screening/input';

const CHUNKINGS = [['one chunk', Infinity], ['64 KB chunks', 1 << 16], ['7-byte chunks', 7]] as const;

const streamOf = (bytes: Buffer, size: number): Readable => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
};

/** The rows read, and the error that stopped the file (null when it was read to its end). */
async function read(data: string | Buffer, size: number) {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const input = await openBulkInput(streamOf(bytes, size), { source: 'people.csv', maxRows: 1_000_000 });
  const rows: BulkRow[] = [];
  let stopped: unknown = null;
  try {
    for await (const r of input.rows) rows.push(r);
  } catch (err) {
    stopped = err;
  }
  return { ...input, rows, stopped };
}

const brief = (r: BulkRow) => ('error' in r ? [r.line, r.ref, r.error] : [r.line, r.ref, r.input.name ?? null]);

describe.each(CHUNKINGS)('%s', (_, size) => {
  test('a malformed record mid-file is an error row with its line; every row before and after it is read', async () => {
    const good = Array.from({ length: 20_000 }, (_, i) => `${i + 2},Party ${i + 2},p${i + 2}@example.org\n`).join('');
    const { rows, stopped } = await read(`ref,name,email\n${good}"C" x,,\n20003,After,a@example.org\n`, size);
    expect(stopped).toBeNull();
    expect(rows).toHaveLength(20_002);
    // Every good row, on its own line, in order.
    expect(rows.slice(0, 20_000).every((r, i) => 'input' in r && r.line === i + 2 && r.ref === String(i + 2) && r.input.name === `Party ${i + 2}`)).toBe(true);
    expect(brief(rows[20_000])).toEqual([20_002, null, expect.stringMatching(/^line 20002: not readable as CSV: a quoted value is followed by other text before the next comma; .*"ACME ""GOLD"" LTD"/)]);
    expect(brief(rows[20_001])).toEqual([20_003, '20003', 'After']);
  });

  test('a quote inside an unquoted value (INVALID_OPENING_QUOTE) is an error row, not a failure', async () => {
    const { rows, stopped } = await read('name,email\nACME "GOLD" LTD,a@x.com\nALIS,\n', size);
    expect(stopped).toBeNull();
    expect(rows.map(brief)).toEqual([
      [2, null, expect.stringMatching(/^line 2: not readable as CSV: a quote \("\) inside a value that does not start with one; write such a value inside quotes/)],
      [3, null, 'ALIS'],
    ]);
  });

  test('a line longer than a record may be is an error row; the rows after it are read', async () => {
    const { rows, stopped } = await read(`name,email\nALIS,\n${'x'.repeat((1 << 20) + 10)},\nJON,\n`, size);
    expect(stopped).toBeNull();
    expect(rows.map(brief)).toEqual([[2, null, 'ALIS'], [3, null, expect.stringMatching(/^line 3: not readable as CSV: longer than 1048576 characters$/)], [4, null, 'JON']]);
  });

  test('a quote never closed stops the file at the line it opens, after the rows before it', async () => {
    const { rows, stopped } = await read('name,email\nALIS,\nJON,\n"CHINYONG,\nx\n', size);
    expect(rows.map(brief)).toEqual([[2, null, 'ALIS'], [3, null, 'JON']]);
    expect(stopped).toBeInstanceOf(BadInputError);
    expect((stopped as Error).message).toBe('people.csv, line 4: not readable as CSV: the record starting on this line opens a quote that is never closed');
    // The run's fatal line says it without the source's name: the same for the CLI (a path) and the API ("the upload").
    expect((stopped as BulkFileError).reason).toBe('line 4: not readable as CSV: the record starting on this line opens a quote that is never closed');
  });

  test('400,000 identifiers in one cell or one JSON line: an error row, and the run goes on', async () => {
    // (the free-form column: 400,000 values of 2 characters fit in a record of 1 MB)
    const csv = await read(`name,identifiers\nALIS,${'7;'.repeat(400_000)}\nJON,\n`, size);
    expect(csv.stopped).toBeNull();
    expect(csv.rows.map(brief)).toEqual([[2, null, `line 2: more than ${SCREEN_LIMITS.identifiers} identifiers; screen at most ${SCREEN_LIMITS.identifiers} per row`], [3, null, 'JON']]);
    const jsonl = await read(`{"name":"ALIS"}\n${JSON.stringify({ name: 'JON', identifiers: Array<number>(400_000).fill(7) })}\n{"name":"CHINYONG"}\n`, size);
    expect(jsonl.stopped).toBeNull();
    expect(jsonl.rows.map(brief)).toEqual([[1, null, 'ALIS'], [2, null, `line 2: more than ${SCREEN_LIMITS.identifiers} identifiers; screen at most ${SCREEN_LIMITS.identifiers} per row`], [3, null, 'CHINYONG']]);
  });

  test('lines ending in CR alone, LF or CRLF, mixed: each row on its own line', async () => {
    const { rows, stopped } = await read('name\r\nA\nB\r\nC\rD\r\r"E\rF"\nG', size);
    expect(stopped).toBeNull();
    expect(rows.map(brief)).toEqual([[2, null, 'A'], [3, null, 'B'], [4, null, 'C'], [5, null, 'D'], [7, null, 'E\rF'], [9, null, 'G']]);
    const jsonl = await read('{"name":"A"}\r{"name":"B"}\n\r\n{"name":"C"}', size);
    expect(jsonl.rows.map(brief)).toEqual([[1, null, 'A'], [2, null, 'B'], [4, null, 'C']]);
  });

  test('columns and keys named like Object.prototype\'s members are unknown columns, not fields', async () => {
    const csv = await read('constructor,name,toString,__proto__\nx,ALIS,y,z\n', size);
    expect(csv.warnings).toEqual([expect.stringMatching(/^people\.csv: ignored columns "constructor", "toString", "__proto__"/)]);
    expect(csv.rows).toEqual([{ line: 2, ref: null, input: { name: 'ALIS' } }]);
    const jsonl = await read('{"name":"ALIS","constructor":"x","hasOwnProperty":1}\n', size);
    expect(jsonl.rows).toEqual([{ line: 1, ref: null, input: { name: 'ALIS' } }]);
  });

  test('text that is not UTF-8 stops the file at its line (save as CSV UTF-8); UTF-16 with its byte order mark is read', async () => {
    const latin1 = Buffer.concat([Buffer.from('name,email\nALIS,\n'), Buffer.from('M\xfcller,\nJON,\n', 'latin1')]);
    const { rows, stopped } = await read(latin1, size);
    expect(rows.map(brief)).toEqual([[2, null, 'ALIS']]);
    expect(stopped).toBeInstanceOf(BadInputError);
    expect((stopped as Error).message).toMatch(/^people\.csv, line 3: not UTF-8 text .*save the file as "CSV UTF-8"/);
    let refused: unknown;
    await read(Buffer.from('name,M\xfcller\nALIS\n', 'latin1'), size).catch((err: unknown) => (refused = err));
    expect((refused as Error).message).toMatch(/^people\.csv, line 1: not UTF-8 text/);

    const text = 'name,email\r\nMüller Straße,m@example.org\r\n北京 Trading,\r\n';
    const le = await read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), size);
    const be = await read(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), size);
    for (const r of [le, be]) {
      expect(r.stopped).toBeNull();
      expect(r.columns).toEqual(['name', 'email']);
      expect(r.rows.map(brief)).toEqual([[2, null, 'Müller Straße'], [3, null, '北京 Trading']]);
    }
  });

  test('semicolon and tab separated files: the separator is told from the header row', async () => {
    const semi = await read('ref;name;email;birth_date\n1;"ALIS, LLC";"a@example.org; b@example.org";2016\n2;JON;;\n', size);
    expect(semi.columns).toEqual(['ref', 'name', 'email', 'birth_date']);
    expect(semi.rows).toEqual([
      { line: 2, ref: '1', input: { name: 'ALIS, LLC', birthDate: '2016', identifiers: [{ type: 'email', value: 'a@example.org' }, { type: 'email', value: 'b@example.org' }] } },
      { line: 3, ref: '2', input: { name: 'JON' } },
    ]);
    const tab = await read('name\temail\nALIS, LLC\ta@example.org;b@example.org\n', size);
    expect(tab.rows).toEqual([{ line: 2, ref: null, input: { name: 'ALIS, LLC', identifiers: [{ type: 'email', value: 'a@example.org' }, { type: 'email', value: 'b@example.org' }] } }]);
  });
});

test('an error row keeps the name of its row, so that it is recognisable in the results', async () => {
  const { rows } = await read('name,birth_date,email\nALIS LLC,31/31/1973,\n', 1 << 16);
  expect(rows).toEqual([{ line: 2, ref: null, name: 'ALIS LLC', error: expect.stringMatching(/^line 2: birthDate "31\/31\/1973" is not a birth date/) }]);
});

test('a file that starts with more blanks than are held to tell its format is read as CSV, its rows on their lines', async () => {
  const blanks = '\n'.repeat(100_000);
  const { format, rows } = await read(`${blanks}name\nALIS\n`, 1 << 16);
  expect(format).toBe('csv');
  expect(rows.map(brief)).toEqual([[100_002, null, 'ALIS']]);
});
