/**
 * The name key every module compares names and country names by. Its own file so that modules
 * normalize.ts reads (matching/countries.ts, for a phone number's country) can use it without an
 * import cycle; normalize.ts re-exports it.
 */

/** Only ASCII: NFKD leaves it as it is, it holds no marks, and its letters and digits are [A-Za-z0-9]. */
const ASCII_ONLY = /^[\u0000-\u007f]*$/; // eslint-disable-line no-control-regex -- the whole ASCII range is the point

/** Uppercase, accents folded, punctuation dropped, spaces collapsed: "Co., Ltd." -> "CO LTD". */
export function nameKey(name: string): string {
  // The same key by a shorter way for ASCII (most names of the lists): the Unicode property patterns
  // below cost 1.2-1.4 µs a call even on ASCII, this 0.37 µs (bench/results/parse.jsonl); every load,
  // matching and search makes name keys. test/unit/normalize.test.ts checks both ways agree.
  if (ASCII_ONLY.test(name)) return name.toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();
  return unicodeNameKey(name);
}

/** nameKey for any text (exported for the test that compares it with the ASCII way). */
export function unicodeNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
