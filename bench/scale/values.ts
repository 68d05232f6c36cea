/**
 * Plausible variations of identifiers, dates, addresses: the same shape as the real value (a passport
 * number stays nine digits, an e-mail address keeps its domain), other characters. A variation is keyed
 * by the copy and the real value, not by the party, so parties that share a passport, phone or address
 * in the real list share the varied one in each copy: shared identifiers and addresses keep their
 * structure, and the same document listed by OFAC and the UN still meets across the two lists.
 */
import { Rng, rng } from './random';

const DIGITS = [...'0123456789'];
const UPPER = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const LOWER = [...'abcdefghijklmnopqrstuvwxyz'];

/** Each digit another digit, each letter another letter of the same case; everything else kept. */
export function varyChars(value: string, key: string): string {
  const r = rng('chars', key);
  let out = '';
  for (const ch of value) {
    if (ch >= '0' && ch <= '9') out += r.pick(DIGITS);
    else if (ch >= 'A' && ch <= 'Z') out += r.pick(UPPER);
    else if (ch >= 'a' && ch <= 'z') out += r.pick(LOWER);
    else out += ch;
  }
  return out;
}

/**
 * An identifier value in copy `copyKey`: e-mail addresses keep their domain and websites their
 * top-level domain (so "gmail.com" stays a hub of its own kind, as it is), the rest varies character by
 * character.
 */
export function varyIdentifier(value: string, copyKey: string): string {
  const key = `${copyKey}|id|${value.toUpperCase()}`;
  if (/^\d{1,9}$/.test(value)) return permuteDigits(value, copyKey);
  const at = value.indexOf('@');
  if (at > 0) return varyChars(value.slice(0, at), key) + value.slice(at);
  const web = /^((?:https?:\/\/)?(?:www\.)?)([^/]+?)(\.[a-z]{2,}(?:\.[a-z]{2})?)(\/.*)?$/i.exec(value);
  if (web && /[a-z]/i.test(web[2])) return web[1] + varyChars(web[2], key) + web[3] + (web[4] ?? '');
  return varyChars(value, key);
}

/**
 * A number of n digits mapped to another of n digits by x -> (a x + b) mod 10^n, with a prime to 10: a
 * bijection within the copy, so short numbers (three-digit aircraft serials) that differ in the real list
 * differ in the copy too, while equal ones stay equal.
 */
export function permuteDigits(digits: string, copyKey: string): string {
  const n = digits.length;
  const mod = 10 ** n;
  const r = rng(copyKey, 'digits', n);
  let a = r.int(1, 999_999);
  while (a % 2 === 0 || a % 5 === 0) a++;
  const b = r.int(0, mod - 1);
  // a < 10^6 and x < 10^9: the product stays below 2^53.
  return String(((a * Number(digits)) % mod + b) % mod).padStart(n, '0');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** One party's shift of its dates of birth: every date of the party moves alike, so ranges stay ranges. */
export interface DateShift {
  years: number;
  day: number;
  month: number;
}

export function dateShift(r: Rng): DateShift {
  return { years: r.int(-6, 6), day: r.int(1, 28), month: r.int(1, 12) };
}

function shiftYear(y: string, s: DateShift): string {
  return String(Number(y) + s.years);
}

/** "22 Apr 1973", "Apr 1973", "1973", "circa 1960", "1970 to 1975" (OFAC) with the party's shift. */
export function shiftOfacDate(text: string, s: DateShift): string {
  return text
    .replace(/\b(?:(\d{1,2}) )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/g, (_m, day?: string) =>
      day ? `${String(s.day).padStart(2, '0')} ${MONTHS[s.month - 1]}` : MONTHS[s.month - 1],
    )
    .replace(/\b(19\d\d|20[0-2]\d)\b/g, (y) => shiftYear(y, s));
}

/** "1973-11-02", "1973-11", "1973" (UN) with the party's shift. */
export function shiftIsoDate(text: string, s: DateShift): string {
  return text.replace(/\b(\d{4})(-\d{2})?(-\d{2})?\b/g, (_m, y: string, mo?: string, d?: string) => {
    const year = shiftYear(y, s);
    if (!mo) return year;
    const month = `-${String(s.month).padStart(2, '0')}`;
    return d ? `${year}${month}-${String(s.day).padStart(2, '0')}` : `${year}${month}`;
  });
}

/**
 * A street in copy `copyKey`: house numbers and postcodes vary, and the street's distinctive word is
 * swapped for another street word of the list; keyed by the real street, so a shared address stays
 * shared within the copy.
 */
export function varyStreet(street: string, copyKey: string, streetWords: readonly string[], common: ReadonlySet<string>): string {
  const r = rng(copyKey, 'street', street.toUpperCase());
  let swapped = false;
  return street
    .split(/(\s+)/)
    .map((w) => {
      if (/\d/.test(w)) return varyChars(w, `${copyKey}|street|${street}|${w}`);
      const core = w.replace(/[^\p{L}]/gu, '');
      if (!swapped && core.length >= 4 && !common.has(core.toUpperCase()) && streetWords.length > 0 && r.chance(0.8)) {
        swapped = true;
        const pick = r.pick(streetWords);
        return w.replace(core, core === core.toUpperCase() ? pick.toUpperCase() : pick[0].toUpperCase() + pick.slice(1).toLowerCase());
      }
      return w;
    })
    .join('');
}
