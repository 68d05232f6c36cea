/**
 * The bulk screening reader (server/core/screening/bulk-input.ts): columns mapped by header name, CSV
 * records with the line they start on (quoted line breaks counted), a byte order mark, bad rows kept as
 * error rows with line and reason, JSON lines, the row limit, ignored columns said once.
 */
import { Readable } from 'node:stream';
import { BadInputError } from '../../server/core/errors';
import { openBulkInput, type BulkFormat, type BulkRow } from '../../server/core/screening/bulk-input';

/** The text in small chunks, so that records and lines cross chunk boundaries. */
const streamOf = (text: string, size = 7): Readable => {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
};

async function read(text: string, opts: { format?: BulkFormat; maxRows?: number } = {}) {
  const input = await openBulkInput(streamOf(text), { source: 'people.csv', maxRows: opts.maxRows ?? 1000, format: opts.format });
  const rows: BulkRow[] = [];
  for await (const r of input.rows) rows.push(r);
  return { ...input, rows };
}

async function refused(run: () => Promise<unknown>, message: RegExp): Promise<void> {
  let err: unknown;
  try {
    await run();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(BadInputError);
  expect((err as Error).message).toMatch(message);
}

test('columns are mapped by header name, whatever their case and separators; a cell may hold several identifiers', async () => {
  const { format, columns, warnings, rows } = await read(
    'Row-ID,Full Name,ENTITY_TYPE,D.O.B.,Nationality,E-mail,crypto_wallet,URL,Tax ID,identifiers\n' +
      'A-1,Pioneer Bencont Star,company,2016,Russia,support@sinbad.io; adv@sinbad.io,bc1qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd,https://sinbad.io,2543103179,passport: 927233154; https://example.org\n',
  );
  expect(format).toBe('csv');
  expect(columns[1]).toBe('Full Name');
  expect(warnings).toEqual([]);
  expect(rows).toEqual([
    {
      line: 2,
      ref: 'A-1',
      input: {
        name: 'Pioneer Bencont Star',
        kind: 'company',
        birthDate: '2016',
        country: 'Russia',
        identifiers: [
          { type: 'email', value: 'support@sinbad.io' },
          { type: 'email', value: 'adv@sinbad.io' },
          { type: 'cryptoWallet', value: 'bc1qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd' },
          { type: 'website', value: 'https://sinbad.io' },
          { type: 'taxId', value: '2543103179' },
          { type: 'passport', value: '927233154' },
          { value: 'https://example.org' },
        ],
      },
    },
  ]);
});

test('quoted fields with line breaks: each record has the line it starts on; blank lines are counted and skipped', async () => {
  const { rows } = await read('\ufeffref,name,passport\n1,"CHINYONG\nINFORMATION",\n\n2,"ALIS, ""LLC""",\n3,"x\n\ny",927233154\n4,JON Yun Gun,');
  expect(rows.map((r) => [r.line, r.ref, 'input' in r ? r.input.name : r.error])).toEqual([
    [2, '1', 'CHINYONG\nINFORMATION'],
    [5, '2', 'ALIS, "LLC"'],
    [6, '3', 'x\n\ny'],
    [9, '4', 'JON Yun Gun'],
  ]);
});

test('a byte order mark does not become part of the first column name', async () => {
  const { columns, warnings, rows } = await read('\ufeffname,email\nALIS,a@b.org\n');
  expect(columns).toEqual(['name', 'email']);
  expect(warnings).toEqual([]);
  expect(rows).toHaveLength(1);
});

test('bad rows are error rows with their line and reason, and the rows after them are read', async () => {
  const { rows } = await read(
    'ref,name,birth_date,kind,email\n' +
      'ok-1,ALIS,,,\n' +
      'empty,,,,\n' +
      'date,JON Yun Gun,31/31/1973,,\n' +
      'kind,ALIS,,spaceship,\n' +
      'wide,ALIS,,,,extra\n' +
      'ok-2,,,,support@sinbad.io\n',
  );
  expect(rows.map((r) => ('error' in r ? [r.line, r.ref, r.error] : [r.line, r.ref]))).toEqual([
    [2, 'ok-1'],
    [3, 'empty', 'line 3: input must hold a name or at least one identifier'],
    [4, 'date', expect.stringMatching(/^line 4: birthDate "31\/31\/1973" is not a birth date/)],
    [5, 'kind', expect.stringMatching(/^line 5: kind "spaceship" is not one the lists use/)],
    [6, null, 'line 6: 6 fields, but the header row has 5 columns (a comma in an unquoted value?)'],
    [7, 'ok-2'],
  ]);
});

test('unknown columns: one warning naming them; the rows are read', async () => {
  const { warnings, rows } = await read('name,Salary,notes,email\nALIS,10,x,a@b.org\nJON,20,y,\n');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^people\.csv: ignored columns "Salary", "notes" \(known: ref, name/);
  expect(rows.map((r) => 'input' in r && r.input.name)).toEqual(['ALIS', 'JON']);
});

test('whole-file refusals name the file: empty, no usable column, two columns for one field, JSON given as CSV, a broken quote', async () => {
  await refused(() => read(''), /^people\.csv is empty/);
  await refused(() => read(' \n\n'), /^people\.csv is empty/);
  await refused(() => read('ALIS,JON,CHINYONG\nA,B,C\n'), /^people\.csv: no name or identifier column in the header row \("ALIS", "JON", "CHINYONG"; is the header row missing\?\)/);
  await refused(() => read('name,full_name\nA,B\n'), /^people\.csv: the columns "name" and "full_name" both give the name; keep one/);
  await refused(() => read('{"name":"ALIS"}\n', { format: 'csv' }), /looks like JSON lines/);
  await refused(() => read('name\nALIS\n', { format: 'jsonl' }), /^people\.csv is not JSON lines/);
  await refused(() => read('name,email\nALIS,a@b.org\n"JON,\nx\n'), /^people\.csv, line 3: not readable as CSV/);
});

test('more than SCREEN_BULK_MAX_ROWS rows: refused at the first row over, after the rows before it', async () => {
  const input = await openBulkInput(streamOf('name\nA\nB\n\nC\nD\n'), { source: 'people.csv', maxRows: 2 });
  const seen: number[] = [];
  await refused(async () => {
    for await (const r of input.rows) seen.push(r.line);
  }, /^people\.csv, line 5: more than 2 rows \(SCREEN_BULK_MAX_ROWS\)/);
  expect(seen).toEqual([2, 3]);
});

test('JSON lines: ScreenInput fields or column names, a bad JSON line is an error row, new unknown fields are said on their row', async () => {
  const { format, columns, warnings, rows } = await read(
    '\ufeff{"ref":1,"name":"ALIS","birthDate":"2016","identifiers":[{"type":"taxId","value":"2543103179"}],"note":"x"}\n' +
      '\n' +
      '{"ref":"b","full_name":"JON Yun Gun","passport":"927233154; 563220082"}\n' +
      '{"name": "broken\n' +
      '[1,2]\n' +
      '{"name":"CHINYONG","source":"crm","note":"y"}\n' +
      '{"ref":"n","name":{"first":"A"}}\n',
  );
  expect(format).toBe('jsonl');
  expect(columns).toEqual(['ref', 'name', 'birthDate', 'identifiers', 'note']);
  expect(warnings).toEqual([expect.stringMatching(/^people\.csv: ignored column "note"/)]);
  expect(rows).toEqual([
    { line: 1, ref: '1', input: { name: 'ALIS', birthDate: '2016', identifiers: [{ type: 'taxId', value: '2543103179' }] } },
    { line: 3, ref: 'b', input: { name: 'JON Yun Gun', identifiers: [{ type: 'passport', value: '927233154' }, { type: 'passport', value: '563220082' }] } },
    { line: 4, ref: null, error: expect.stringMatching(/^line 4: not valid JSON \(.*\); one JSON object per line$/) },
    { line: 5, ref: null, error: 'line 5: a JSON list, not an object {name, kind, birthDate, country, identifiers, ref}' },
    { line: 6, ref: null, input: { name: 'CHINYONG' }, warnings: ['ignored field "source" (first on line 6)'] },
    { line: 7, ref: 'n', error: 'line 7: name must be text; got object' },
  ]);
});

test('JSON lines whose first line is not an object are refused whole', async () => {
  await refused(() => read('{"name": oops}\n{"name":"ALIS"}\n'), /^people\.csv, line 1: not valid JSON/);
});

test('a file with CRLF line ends (as spreadsheets write it) has the same line numbers', async () => {
  const { rows } = await read('ref,name\r\n1,"CHINYONG\r\nINFORMATION"\r\n\r\n2,ALIS\r\n');
  expect(rows.map((r) => [r.line, r.ref, 'input' in r && r.input.name])).toEqual([
    [2, '1', 'CHINYONG\r\nINFORMATION'],
    [5, '2', 'ALIS'],
  ]);
});

test('mailto: and tel: URIs: the scheme is dropped and says the type; a URI given another type is an error row', async () => {
  // Identifiers of two SDN parties of 2024-05-03 (AL-RAWI, Muhannad Mushtaq Talib Zghayir Karhout; SINBAD), as address books export them.
  const { rows } = await read(
    'ref,name,identifiers,email,phone\n' +
      'u-1,,mailto:mohand.alrawii@gmail.com; TEL:+964-782-175-7598; tel:07821757598,,\n' +
      'u-2,,email: mailto:Support%40SINBAD.io?subject=hello,MAILTO:support@sinbad.io,tel:+964 782 175 7598;ext=12\n' +
      'u-3,,"mailto:a@sinbad.io,b@sinbad.io",,\n' +
      'u-4,,passport: tel:+9647821757598,,\n' +
      'u-5,,mailto:,,\n',
  );
  expect(rows).toEqual([
    {
      line: 2,
      ref: 'u-1',
      input: {
        identifiers: [
          { type: 'email', value: 'mohand.alrawii@gmail.com' },
          { type: 'phone', value: '+964-782-175-7598' },
          // Digits alone read as a document number: tel: says it is a phone.
          { type: 'phone', value: '07821757598' },
        ],
      },
    },
    {
      line: 3,
      ref: 'u-2',
      input: {
        identifiers: [
          { type: 'email', value: 'Support@SINBAD.io' },
          { type: 'email', value: 'support@sinbad.io' },
          // Its parameter (;ext=12) dropped, not taken for a value of the cell.
          { type: 'phone', value: '+964 782 175 7598' },
        ],
      },
    },
    { line: 4, ref: 'u-3', input: { identifiers: [{ type: 'email', value: 'a@sinbad.io' }, { type: 'email', value: 'b@sinbad.io' }] } },
    { line: 5, ref: 'u-4', error: 'line 5: "tel:+9647821757598" is a tel: URI (phone), but its type is passport' },
    { line: 6, ref: 'u-5', error: 'line 6: "mailto:" is a mailto: URI with no address in it' },
  ]);
});

test('a phone number is read in the row\'s country (its own first); documents keep no country they were not given', async () => {
  const { rows } = await read(
    '{"ref":"j","country":"Iraq","identifiers":[{"value":"tel:0782 175 7598"},{"type":"phone","value":"0212 555 0101","country":"Turkey"},{"type":"passport","value":"00167950"}]}\n' +
      '{"ref":"k","identifiers":[{"type":"phone","value":"0782 175 7598"}]}\n',
  );
  expect(rows).toEqual([
    {
      line: 1,
      ref: 'j',
      input: {
        country: 'Iraq',
        identifiers: [
          { type: 'phone', value: '0782 175 7598', country: 'Iraq' },
          { type: 'phone', value: '0212 555 0101', country: 'Turkey' },
          { type: 'passport', value: '00167950' },
        ],
      },
    },
    { line: 2, ref: 'k', input: { identifiers: [{ type: 'phone', value: '0782 175 7598' }] } },
  ]);
});
