/**
 * TextDecoding.decodeEach (ingest/encoding.ts): the text of a file handed over in pieces of at most a
 * given number of bytes, cut between characters, equal to the file decoded whole, whatever the chunks
 * the file is read in. The XML reader decodes so (ingest/xml.ts), for V8's faster one-byte strings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TextDecoding } from '../../ingest/encoding';
import { SourceFormatError } from '../../server/core/errors';
import { REPO_ROOT } from '../../server/core/settings';

const UN = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'un-consolidated-xml-2025-11-18', 'consolidated.xml');

/** The pieces decodeEach hands over for `bytes` read in chunks of `chunk` bytes. */
function pieces(bytes: Buffer, chunk: number, size: number): string[] {
  const d = new TextDecoding('test.xml');
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += chunk) d.decodeEach(bytes.subarray(i, i + chunk), size, (t) => out.push(t));
  const rest = d.end();
  if (rest) out.push(rest);
  return out;
}

test('the real UN list: pieces of at most 64 KB, whole characters, the same text as one decode', () => {
  const bytes = fs.readFileSync(UN);
  const whole = bytes.toString('utf8');
  expect(Buffer.byteLength(whole, 'utf8')).toBeGreaterThan(whole.length); // Arabic and accented names: pieces must be cut between characters
  const got = pieces(bytes, 1 << 20, 1 << 16);
  expect(got.length).toBeGreaterThanOrEqual(Math.ceil(bytes.length / (1 << 16)));
  for (const p of got) {
    expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(1 << 16);
  }
  expect(got.join('')).toBe(whole);
});

test('characters of two, three and four bytes on every piece and chunk boundary', () => {
  const text = 'aé中😀'.repeat(50) + 'end';
  const bytes = Buffer.from(text, 'utf8');
  for (const chunk of [1, 2, 3, 5, 7, 64]) {
    for (const size of [4, 5, 6, 7, 11]) {
      const got = pieces(bytes, chunk, size);
      expect({ chunk, size, text: got.join('') }).toEqual({ chunk, size, text });
      for (const p of got) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(size);
    }
  }
});

test('bytes that are not UTF-8 are refused with their line, as decode refuses them', () => {
  const bytes = Buffer.concat([Buffer.from('<a>\n<b>caf', 'utf8'), Buffer.from([0xe9]), Buffer.from('</b>\n</a>', 'utf8')]);
  expect(() => pieces(bytes, 4, 4)).toThrow(SourceFormatError);
  expect(() => pieces(bytes, 4, 4)).toThrow(/line 2|:2\b/);
});
