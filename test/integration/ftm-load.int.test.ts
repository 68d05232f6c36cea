/**
 * Loads of FtM exports through the bounded-memory parse (ingest/sources/ftm-join.ts), into the real
 * Neo4j: the real entities copied 20 times (bench/scale/ftm-copies.ts, lines scrambled and parties cut
 * into fragments) load what the whole-file parse of the same file gives (test/ftm-whole-parse.ts), and a
 * file that fails, while it is read (a cut last line) or after it was read whole (no release date),
 * leaves the database as it was and no work files in the spool folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { writeFtmCopies, type FtmCopies } from '../../bench/scale/ftm-copies';
import { SourceFormatError } from '../../server/core/errors';
import { Database } from '../../server/core/neo4j/database';
import { parseFtmWhole } from '../ftm-whole-parse';
import { fingerprint, LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';

const RELEASE = '2026-04-30';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-ftm-load-'));
let db: Database;
let copies: FtmCopies;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  copies = await writeFtmCopies({ copies: 20, out: path.join(tmp, 'x20', 'entities.ftm.json'), scramble: 'load' });
}, 300_000);
afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('20 scrambled, fragmented copies of the real entities load what the whole-file parse gives', async () => {
  const spoolDir = path.join(tmp, 'spool-ok');
  const out = await ingest(db, { ...LOAD_DEFAULTS, paths: [copies.file], release: RELEASE, spoolDir });
  const whole = await parseFtmWhole([copies.file], { release: RELEASE, releaseFrom: 'flag' });
  expect(out.counts).toMatchObject({
    parties: whole.parties.length,
    addresses: whole.addresses.length,
    identifiers: whole.identifiers.length,
    links: whole.links.length,
  });
  expect(out.parsed.rejected).toEqual(whole.rejected);
  expect(out.parsed.warnings).toEqual(expect.arrayContaining(whole.warnings));
  expect(out.summary.entities.total).toBe(23 * 20);
  expect(out.summary.dataset).toBe(whole.dataset);
  expect(fs.readdirSync(spoolDir)).toEqual([]);
}, 600_000);

test('a file that fails, while read or after, leaves the database as it was and no work files', async () => {
  const before = await fingerprint(db, { visible: true });
  const spoolDir = path.join(tmp, 'spool-failed');
  // A cut last line: refused while the file is read.
  const lines = fs.readFileSync(copies.file, 'utf8').split('\n').filter(Boolean);
  const cut = path.join(tmp, 'cut', 'entities.ftm.json');
  fs.mkdirSync(path.dirname(cut), { recursive: true });
  fs.writeFileSync(cut, [...lines.slice(0, -1), lines.at(-1)!.slice(0, 200)].join('\n'));
  const err = (await ingest(db, { ...LOAD_DEFAULTS, paths: [cut], release: RELEASE, spoolDir }).catch((e: unknown) => e)) as SourceFormatError;
  expect(err).toBeInstanceOf(SourceFormatError);
  expect([err.file, err.line]).toEqual(['entities.ftm.json', lines.length]);
  expect(err.reason).toMatch(/last line is cut short/);
  // No release date (no --release, none in the path): refused after every entity was read and sorted.
  await expect(ingest(db, { ...LOAD_DEFAULTS, paths: [copies.file], spoolDir })).rejects.toThrow(/^entities\.ftm\.json: carries no export date .*--release YYYY-MM-DD/);
  expect(await fingerprint(db, { visible: true })).toEqual(before);
  expect(fs.readdirSync(spoolDir)).toEqual([]);
}, 600_000);
