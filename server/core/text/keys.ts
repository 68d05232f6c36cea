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
    if (c >= 0x80) return bmpNameKey(name);
    if (c >= 97 /* a */ && c <= 122 /* z */) {
      lower = true;
      space = false;
    } else if ((c >= 65 /* A */ && c <= 90) /* Z */ || (c >= 48 /* 0 */ && c <= 57) /* 9 */) space = false;
    else if (c === 32 && !space) space = true;
    else key = false;
  }
  if (key && !space) return lower ? name.toUpperCase() : name;
  return asciiKey(name);
}

/** asciiKey's bytes: a key is never longer than its name, so a name up to this long fits. */
const ASCII_KEY = Buffer.allocUnsafe(256);

/**
 * nameKey of an ASCII name that is not a key once uppercased (punctuation, runs of spaces: "MAKENGA,
 * Colonel SULTANI", "Co., Ltd."): each letter uppercased and each digit kept, each run of anything else
 * one space between them, none at either end, as `toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim()`
 * gives (the way for longer names), written as bytes and read back as one string: 100 against 160-300 ns
 * a name, and no uppercased copy, matches and trimmed copy left behind.
 */
function asciiKey(name: string): string {
  if (name.length > ASCII_KEY.length) return name.toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();
  let n = 0;
  let gap = false;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 97 /* a */ && c <= 122 /* z */) c -= 32;
    if ((c >= 65 /* A */ && c <= 90) /* Z */ || (c >= 48 /* 0 */ && c <= 57) /* 9 */) {
      if (gap && n > 0) ASCII_KEY[n++] = 32;
      gap = false;
      ASCII_KEY[n++] = c;
    } else gap = true;
  }
  return n === 0 ? '' : ASCII_KEY.toString('latin1', 0, n);
}

/**
 * nameKey for text of the Basic Multilingual Plane (Latin with accents, Arabic, Cyrillic, Chinese: every
 * name of the lists but a rare few), a character at a time. The Unicode way's steps each act on one
 * character alone: NFKD decomposes each character by itself and then only reorders combining marks
 * (test/unit/normalize.test.ts checks that every character this way keeps is not one), which the next
 * step removes; JavaScript's toUpperCase maps each character by itself; and the replace makes each
 * character that is not a letter or digit a space. So the key is each character's own result (kept in
 * KEY_PIECES, made on first use) joined, with runs of spaces made one and none at either end. It costs a
 * fifth of the Unicode way's normalize and three Unicode property patterns (0.3 against 1.5 us for an
 * Arabic name); a string with a surrogate pair takes the Unicode way.
 */
export function bmpNameKey(name: string): string {
  // Most names in other scripts are their own key (Arabic, Chinese, uppercase Cyrillic, words of one
  // space): given back as they are, not built again a character at a time (each += of a short string
  // copies it; a name's key made so left about a kilobyte of garbage).
  if (isOwnKey(name)) return name;
  let out = '';
  let space = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return unicodeNameKey(name);
    const piece = KEY_PIECES[c] ?? keyPiece(c);
    for (let j = 0; j < piece.length; j++) {
      const p = piece[j];
      if (p === ' ') space = out !== '';
      else {
        if (space) {
          out += ' ';
          space = false;
        }
        out += p;
      }
    }
  }
  return out;
}

/** Each BMP character's own part of a name key (see bmpNameKey), made when first met. */
const KEY_PIECES: (string | undefined)[] = new Array<string | undefined>(0x10000);
/** Per BMP character: 0 not yet known, SELF when its key part is itself, SPACE when a space, else OTHER. */
const PIECE_KIND = new Uint8Array(0x10000);
const SELF = 1;
const SPACE = 2;
const OTHER = 3;

function keyPiece(c: number): string {
  const piece = String.fromCharCode(c).normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase().replace(/[^\p{L}\p{N}]/gu, ' ');
  KEY_PIECES[c] = piece;
  PIECE_KIND[c] = piece === String.fromCharCode(c) ? (c === 32 ? SPACE : SELF) : OTHER;
  return piece;
}

/**
 * Whether a name is its own key: each character its own key part (a plain space included, as a space
 * is one), no space at either end and none next to another. Surrogates are OTHER (their code units are
 * never their own part: a lone one is no letter), so a name holding one is never its own key here.
 */
function isOwnKey(name: string): boolean {
  const n = name.length;
  if (n === 0) return false;
  let prevSpace = true; // at the start, as after a space: a leading space is no key
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    let kind = PIECE_KIND[c];
    if (kind === 0) {
      if (c >= 0xd800 && c <= 0xdfff) return false;
      keyPiece(c);
      kind = PIECE_KIND[c];
    }
    if (kind === SELF) prevSpace = false;
    else if (kind === SPACE && !prevSpace) prevSpace = true;
    else return false;
  }
  return !prevSpace;
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
