/**
 * The caption of the explorer's image exports (client/src/caption.ts): what it says, and the PNG text
 * chunk that keeps it in the file, written into and read back from a real PNG (the README's screenshot).
 * In the browser, test/e2e/explorer-workbench.e2e.test.ts reads it from the downloaded PNG and SVG.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { captionText, pngTexts, withPngText } from '../../client/src/caption';
import { REPO_ROOT } from '../../server/core/settings';

const NOW = new Date('2026-11-30T01:20:45Z');

test('the caption names each dataset with its release and the date of the export', () => {
  const text = captionText({ datasets: [{ name: 'ofac-sdn', release: '2024-05-03' }, { name: 'un-sc', release: '2025-11-18' }], shown: [{ dataset: 'ofac-sdn', release: '2024-05-03' }], now: NOW });
  expect(text).toContain('ofac-sdn 2024-05-03');
  expect(text).toContain('un-sc 2025-11-18');
  expect(text).toContain('Exported 2026-11-30 01:20 UTC');
  expect(text).not.toContain('also relationships');
});

test('relationships from a release other than the current one are named', () => {
  const text = captionText({ datasets: [{ name: 'ofac-sdn', release: '2024-05-03' }], shown: [{ dataset: 'ofac-sdn', release: '2021-07-07' }, { dataset: null, release: null }], now: NOW });
  expect(text).toContain('also relationships from releases ofac-sdn 2021-07-07');
});

test('a tEXt chunk written into a real PNG reads back, and the PNG stays valid (every chunk CRC right, image data intact)', () => {
  const png = new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'client', 'screenshot.png')));
  const caption = captionText({ datasets: [{ name: 'ofac-sdn', release: '2024-05-03' }], shown: [], now: NOW });
  const out = withPngText(png, 'Description', caption);
  expect(pngTexts(out).Description).toBe(caption);
  expect(out.length).toBe(png.length + 12 + 'Description'.length + 1 + caption.length);
  // Every chunk's CRC as zlib computes it, and the image data still inflates to the same bytes.
  const idat = (b: Uint8Array) => {
    const parts: Buffer[] = [];
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let at = 8; at < b.length; ) {
      const len = v.getUint32(at);
      const type = Buffer.from(b.subarray(at + 4, at + 8)).toString('latin1');
      expect([type, v.getUint32(at + 8 + len)]).toEqual([type, crc32(b.subarray(at + 4, at + 8 + len))]);
      if (type === 'IDAT') parts.push(Buffer.from(b.subarray(at + 8, at + 8 + len)));
      at += 12 + len;
    }
    return inflateSync(Buffer.concat(parts));
  };
  expect(idat(out).equals(idat(png))).toBe(true);
});
