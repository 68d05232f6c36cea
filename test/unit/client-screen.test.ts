/**
 * The Screen panel's plain functions (client/src/bulk-screen.ts, client/src/screen-form.ts), without a
 * browser: the rows the table shows from the lines of POST /api/screen/bulk, their sort, the exported CSV
 * (BOM + header + each line's `csv`), the content type of an upload and the identifiers box. The lines
 * are shaped as test/fixtures/screen-ui/bulk.csv screens on the 2024-05-03 SDN list; the browser test
 * (test/e2e/screen-panel.e2e.test.ts) checks them against the real server.
 */
import { BulkLine, BulkMatch, contentTypeOf, resultsCsv, rowOf, sortRows, type BulkRow } from '../../client/src/bulk-screen';
import { parseIdentifiers } from '../../client/src/screen-form';

const match = (id: string, name: string, score: number, distance: number | null): BulkMatch => ({
  rank: 1,
  id,
  name,
  kind: 'Organization',
  score,
  datasets: ['ofac-sdn'],
  programs: ['DPRK2'],
  listedOn: null,
  explanation: [{ label: 'Name', value: `${name}: similar` }],
  exposure: distance === null ? null : { distance, entity: { id, name, programs: ['DPRK2'] }, path: { nodes: [{ id, kind: 'Organization', label: name }], edges: [] } },
});

const rowLine = (line: number, ref: string, input: Record<string, unknown>, matches: BulkMatch[]): BulkLine => ({
  type: 'row',
  line,
  ref,
  input,
  status: matches.length ? 'match' : 'no_match',
  matches,
  csv: `${line},${ref},x\r\n`,
});

const lines: BulkLine[] = [
  rowLine(2, 'A-1', { name: 'Jon Yun Gun' }, [match('ofac-48262', 'JON, Yun Gun', 0.999, 0)]),
  rowLine(3, 'A-2', { name: 'Pioneer Bencont Star Real Estat' }, [match('ofac-48261', 'PIONEER BENCONT STAR REAL ESTATE', 0.943, 0), match('ofac-43379', 'CHINYONG', 0.71, 0)]),
  rowLine(6, 'A-5', { identifiers: [{ type: 'email', value: 'haejinsm@silibank.net.kp' }] }, [match('ofac-18953', 'HAEJIN SHIP MANAGEMENT COMPANY LIMITED', 0.924, 0)]),
  { type: 'error', line: 9, ref: 'A-8', error: 'line 9: input must hold a name or at least one identifier', csv: '9,A-8,,error\r\n' },
  rowLine(10, 'A-9', { name: 'Marigold Quenneville-Tarrant' }, []),
];
const rows = lines.map((l, i) => rowOf(l, i)!);

test('a row keeps its best match and counts the others; an identifier-only row is named by its identifiers, as the CSV does', () => {
  expect(rows.map((r) => [r.line, r.status, r.score, r.best?.id ?? null, r.others])).toEqual([
    [2, 'match', 0.999, 'ofac-48262', 0],
    [3, 'match', 0.943, 'ofac-48261', 1],
    [6, 'match', 0.924, 'ofac-18953', 0],
    [9, 'error', null, null, 0],
    [10, 'no_match', null, null, 0],
  ]);
  expect(rows[2].name).toBe('email:haejinsm@silibank.net.kp');
  expect(rows[3].error).toBe('line 9: input must hold a name or at least one identifier');
});

test('start, end and a fatal error line are no rows', () => {
  expect(rowOf({ type: 'start', columns: ['line'], threshold: 0.7, first: 3, maxHops: 3, lists: [] }, 0)).toBeNull();
  expect(rowOf({ type: 'end', rows: 1, screened: 1, matched: 0, errors: 0, seconds: 1 }, 0)).toBeNull();
  expect(rowOf({ type: 'error', line: null, ref: null, error: 'the database went away', fatal: true, csv: '' }, 0)).toBeNull();
});

test('sorted by score: best first or last, rows without a score always last in input order', () => {
  const lineOf = (rs: BulkRow[]) => rs.map((r) => r.line);
  expect(lineOf(sortRows(rows, { key: 'score', desc: true }))).toEqual([2, 3, 6, 9, 10]);
  expect(lineOf(sortRows(rows, { key: 'score', desc: false }))).toEqual([6, 3, 2, 9, 10]);
  expect(lineOf(sortRows(rows, { key: 'status', desc: false }))).toEqual([2, 3, 6, 10, 9]);
  expect(lineOf(sortRows(rows, { key: 'line', desc: true }))).toEqual([10, 9, 6, 3, 2]);
  expect(lineOf(sortRows(rows, { key: 'match', desc: false }))).toEqual([6, 2, 3, 9, 10]);
  // Not in place: the rows as received keep their order.
  expect(lineOf(rows)).toEqual([2, 3, 6, 9, 10]);
});

test('the export is a BOM, the header line and every csv field in order, also when part of them is gathered in Blobs', async () => {
  const parts = lines.map((l) => (l.type === 'row' || l.type === 'error' ? l.csv! : ''));
  const csv = await resultsCsv(['line', 'ref', 'input_name'], [new Blob(parts.slice(0, 2)), ...parts.slice(2)]).arrayBuffer();
  const bytes = Buffer.from(csv);
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(bytes.subarray(3).toString('utf8')).toBe('line,ref,input_name\r\n' + parts.join(''));
});

test('the upload says CSV or JSON lines by the file name, else lets the server recognise it', () => {
  expect(contentTypeOf({ name: 'bulk.CSV' })).toBe('text/csv');
  expect(contentTypeOf({ name: 'parties.jsonl' })).toBe('application/x-ndjson');
  expect(contentTypeOf({ name: 'parties.ndjson' })).toBe('application/x-ndjson');
  expect(contentTypeOf({ name: 'parties.txt' })).toBe('application/octet-stream');
});

test('the identifiers box: "type: value" or a bare value, one a line or separated by ";"; a URL or mailto stays a value', () => {
  expect(parseIdentifiers('passport: 927233154; haejinsm@silibank.net.kp\nhttps://www.sinbad.io/en/\n tax id : 2543103179 ;; mailto:someone@example.com')).toEqual([
    { type: 'passport', value: '927233154' },
    { value: 'haejinsm@silibank.net.kp' },
    { value: 'https://www.sinbad.io/en/' },
    { type: 'tax id', value: '2543103179' },
    { value: 'mailto:someone@example.com' },
  ]);
  expect(parseIdentifiers(' ; \n ')).toEqual([]);
});
