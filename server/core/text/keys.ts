/**
 * The name key every module compares names and country names by. Its own file so that modules
 * normalize.ts reads (matching/countries.ts, for a phone number's country) can use it without an
 * import cycle; normalize.ts re-exports it.
 */

/** Uppercase, accents folded, punctuation dropped, spaces collapsed: "Co., Ltd." -> "CO LTD". */
export function nameKey(name: string): string {
  // The same key by a shorter way for ASCII (most names of the lists): only ASCII, NFKD leaves a name as
  // it is, it holds no marks, and its letters and digits are [A-Za-z0-9]. The Unicode property patterns
  // below cost 1.2-1.4 µs a call even on ASCII. One look at each character tells whether the name is
  // ASCII, whether it has lowercase letters, and whether it is a key already once uppercased (letters and
  // digits in words of one space: most names of the lists, "FRANK KAKORERE", "Mohammad Sabet"), which
  // then needs no pattern at all. test/unit/normalize.test.ts checks both ways agree.
  let lower = false;
  let key = true;
  let space = true; // at the start, as after a space: a leading space is no key
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) return unicodeNameKey(name);
    if (c >= 97 /* a */ && c <= 122 /* z */) {
      lower = true;
      space = false;
    } else if ((c >= 65 /* A */ && c <= 90) /* Z */ || (c >= 48 /* 0 */ && c <= 57) /* 9 */) space = false;
    else if (c === 32 && !space) space = true;
    else key = false;
  }
  const upper = lower ? name.toUpperCase() : name;
  return key && !space ? upper : upper.replace(/[^A-Z0-9]+/g, ' ').trim();
}

/** nameKey for any text (exported for the test that compares it with the ASCII way). */
export function unicodeNameKey(name: string): string {
  const upper = name.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase();
  // Names in other scripts are mostly words of letters between single spaces, which the replace and
  // trim would give back as they are: a test costs a third of the replace.
  return KEY_ALREADY.test(upper) ? upper : upper.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
/** Letters and digits in words of one space (what the replace and trim in unicodeNameKey leave as is). */
const KEY_ALREADY = /^[\p{L}\p{N}]+(?: [\p{L}\p{N}]+)*$/u;
