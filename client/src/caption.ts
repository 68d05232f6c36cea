/**
 * The caption of an image export: which datasets (and releases) the picture shows and when it was taken,
 * so a PNG or SVG pasted into a report still says where it comes from. It is drawn in a band under the
 * graph (caption-draw.ts), and also kept as the file's own metadata (a PNG tEXt "Description" chunk, an
 * SVG <desc>), which survives cropping the band away. Pure functions, no DOM (unit-tested in Node).
 */

export interface CaptionInput {
  /** The datasets loaded in the server, with their current release. */
  datasets: readonly { name: string; release?: string | null }[];
  /** Dataset and release of each relationship on the canvas (GraphEdge.dataset / release). */
  shown: readonly { dataset?: string | null; release?: string | null }[];
  now: Date;
}

/** "2026-11-30 01:20 UTC" */
export function exportStamp(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * One line: the datasets with their releases, the releases the canvas's relationships come from when they
 * are not just the current ones, and the date of the export.
 */
export function captionText({ datasets, shown, now }: CaptionInput): string {
  const loaded = datasets.map((d) => (d.release ? `${d.name} ${d.release}` : d.name));
  const current = new Set(loaded);
  const fromCanvas = [...new Set(shown.filter((e) => e.dataset && e.release).map((e) => `${e.dataset} ${e.release}`))].sort();
  const older = fromCanvas.filter((r) => !current.has(r));
  const parts = [`sanctions-graph`, `Datasets: ${loaded.length ? loaded.join(', ') : 'none loaded'}`];
  if (older.length) parts.push(`also relationships from releases ${older.join(', ')}`);
  parts.push(`Exported ${exportStamp(now)}`);
  return parts.join(' · ');
}

/** CRC-32 (ISO 3309, as PNG chunks use), table-driven. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The PNG with a tEXt chunk (keyword, NUL, Latin-1 text) right after IHDR (the PNG spec, 11.3.4.3);
 * characters outside Latin-1 become "?" (tEXt is Latin-1 only).
 */
export function withPngText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  const latin1 = (s: string) => Uint8Array.from(s, (ch) => (ch.charCodeAt(0) < 256 ? ch.charCodeAt(0) : 63));
  const data = new Uint8Array([...latin1(keyword), 0, ...latin1(text)]);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(latin1('tEXt'), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  // Signature (8 bytes), then IHDR: length (4) + type (4) + 13 bytes + CRC (4).
  const afterIhdr = 8 + 25;
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, afterIhdr), 0);
  out.set(chunk, afterIhdr);
  out.set(png.subarray(afterIhdr), afterIhdr + chunk.length);
  return out;
}

/** The text chunks of a PNG (keyword -> text): what an image viewer's "properties" shows. */
export function pngTexts(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at + 12 <= png.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'tEXt') {
      const data = png.subarray(at + 8, at + 8 + len);
      const nul = data.indexOf(0);
      out[String.fromCharCode(...data.subarray(0, nul))] = String.fromCharCode(...data.subarray(nul + 1));
    }
    at += 12 + len;
  }
  return out;
}
