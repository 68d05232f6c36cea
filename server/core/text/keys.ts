/**
 * The name key every module compares names and country names by. Its own file so that modules
 * normalize.ts reads (matching/countries.ts, for a phone number's country) can use it without an
 * import cycle; normalize.ts re-exports it.
 */

/** Uppercase, accents folded, punctuation dropped, spaces collapsed: "Co., Ltd." -> "CO LTD". */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
