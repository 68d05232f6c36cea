/** Bulk screening parameters and the writer of its results (server/api/screen-bulk.ts), without a database. */
import { BadInputError } from '../../server/core/errors';
import { BULK_CSV_COLUMNS, bulkErrorLine, bulkOutputFormatOf, bulkParamsOf, bulkServeSettings, serialiseBulkLine, type BulkLine } from '../../server/api/screen-bulk';
import { screenBulkSettings } from '../../server/core/settings';

const refused = (run: () => unknown, message: RegExp) => {
  expect(run).toThrow(BadInputError);
  expect(run).toThrow(message);
};

test('parameters: defaults, strings from a query string or the command line, refusals that name the parameter', () => {
  expect(bulkParamsOf({})).toEqual({ threshold: 0.7, first: 3, maxHops: 3 });
  expect(bulkParamsOf({ threshold: '0.85', first: '10', maxHops: 2 })).toEqual({ threshold: 0.85, first: 10, maxHops: 2 });
  refused(() => bulkParamsOf({ threshold: '1.5' }), /^threshold must be a number from 0 to 1; got "1.5"/);
  refused(() => bulkParamsOf({ threshold: 'high' }), /^threshold must be a number; got "high"/);
  refused(() => bulkParamsOf({ first: '2.5' }), /^first must be a whole number from 1 to 25/);
  refused(() => bulkParamsOf({ maxHops: '0' }), /^maxHops must be a whole number from 1 to 6/);
  expect(bulkOutputFormatOf(undefined, 'out/results.CSV')).toBe('csv');
  expect(bulkOutputFormatOf(undefined, 'results.jsonl')).toBe('jsonl');
  expect(bulkOutputFormatOf('csv', 'results.jsonl')).toBe('csv');
  expect(bulkOutputFormatOf(undefined)).toBe('jsonl');
  refused(() => bulkOutputFormatOf('xlsx'), /^format must be csv or jsonl; got "xlsx"/);
});

test('the CSV of a run is the BOM, the header and the lines\' csv fields; the end line adds nothing to it', () => {
  const start: BulkLine = { type: 'start', columns: [...BULK_CSV_COLUMNS], threshold: 0.7, first: 3, maxHops: 3, lists: [], input: { format: 'csv', columns: ['name'], warnings: [] } };
  const error = bulkErrorLine(5, 'A-1, "x"', '=line 5: input must hold a name or at least one identifier');
  const end: BulkLine = { type: 'end', rows: 1, screened: 0, matched: 0, errors: 1, seconds: 0.1 };
  const csv = [start, error, end].map((l) => serialiseBulkLine(l, 'csv')).join('');
  // Quoted where it must be, and a cell a spreadsheet would run as a formula marked as text.
  expect(csv).toBe(`\ufeff${BULK_CSV_COLUMNS.join(',')}\r\n5,"A-1, ""x""",,error,,,,,,,,,,,,,,'=line 5: input must hold a name or at least one identifier\r\n`);
  const jsonl = [start, error, end].map((l) => serialiseBulkLine(l, 'jsonl'));
  expect(jsonl.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  expect(JSON.parse(jsonl[1])).toEqual({ type: 'error', line: 5, ref: 'A-1, "x"', error: '=line 5: input must hold a name or at least one identifier', csv: error.type === 'error' ? error.csv : '' });
});

test('an error row of a row with a name shows it as input_name in the CSV', () => {
  const error = bulkErrorLine(4, null, 'line 4: birthDate "31/31/1973" is not a birth date', false, 'ALIS LLC');
  expect(serialiseBulkLine(error, 'csv')).toBe('4,,ALIS LLC,error,,,,,,,,,,,,,,"line 4: birthDate ""31/31/1973"" is not a birth date"\r\n');
});

test('the API\'s bounds of bulk runs are the settings: SCREEN_BULK_UPLOAD_MAX, SCREEN_BULK_UPLOAD_IDLE, SCREEN_BULK_MAX_RUNS', () => {
  expect(bulkServeSettings(screenBulkSettings({ SCREEN_BULK_UPLOAD_MAX: '2k', SCREEN_BULK_UPLOAD_IDLE: '5', SCREEN_BULK_MAX_RUNS: '3' }))).toEqual({ upload: { maxBytes: 2048, idleMs: 5000 }, maxRuns: 3 });
  // Defaults: 256 MB, 30 s, a quarter of the admission slots (at least one).
  expect(bulkServeSettings(screenBulkSettings({ MAX_CONCURRENT_QUERIES: '12' }))).toEqual({ upload: { maxBytes: 256 * 1024 * 1024, idleMs: 30_000 }, maxRuns: 3 });
  expect(bulkServeSettings(screenBulkSettings({ MAX_CONCURRENT_QUERIES: '2' })).maxRuns).toBe(1);
});
