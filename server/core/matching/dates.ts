/**
 * Birth dates as the lists write them ("1962", "1980-02-08", "08 Feb 1980", "Sep 1938", "circa 1960",
 * "1960 to 1962", "01 Jan 1961 to 31 Dec 1962", "Mar 1962 to Feb 1963", "circa 1979-1982",
 * "Between 1958 and 1960") read as a span of days, and two parties' dates compared.
 */

/** A birth date read as the days it may be: [lo, hi] as YYYY-MM-DD, with how precise the source was. */
export interface DateSpan {
  lo: string;
  hi: string;
  /** The finest part the source gives; 'range' for "X to Y" / "between X and Y". */
  precision: 'day' | 'month' | 'year' | 'range';
  /** "circa", "approximately": the span is widened by a year on each side. */
  approx: boolean;
  /** The source's text. */
  text: string;
}

/**
 * How two parties' birth dates relate, from agreeing most to least:
 * - 'exact': the same day (or the same month, when neither says the day);
 * - 'same-year': one is within the other's year (e.g. "1962" and "1962-02-18"), or both say only the year;
 * - 'close': two full dates at most 31 days apart, or the same but for day and month swapped or a typo
 *   in the year (typos: "28 Jan 1966" and "1966-01-27" for KIM Tong Chol; "05 Dec 1965" and
 *   "1965-05-12" for Said Arif; "21 Aug 1968" and "1969-08-21" for KANG Ryong; "20 Jun 1976" and
 *   "1967-06-20" for Salim Y Salamuddin Julkipli);
 * - 'overlap': approximate dates or ranges that overlap ("circa 1947" and "1946");
 * - 'same-year-other-day': the same year but otherwise different days or months;
 * - 'one-year-apart': no overlap, but at most a year between them;
 * - 'mismatch': further apart.
 */
export type BirthDateAgreement = 'exact' | 'same-year' | 'close' | 'overlap' | 'same-year-other-day' | 'one-year-apart' | 'mismatch';

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const YEAR = /\b(1[89]\d\d|20\d\d)\b/g;

const pad = (n: number) => String(n).padStart(2, '0');
function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
function monthOf(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return null;
  const m = MONTHS[w.slice(0, 3)];
  // "Sept", "September", "Sep" but not "Mayor" or "Marching".
  return m !== undefined && /^(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)$/.test(w) ? m : null;
}
function validDay(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= lastDay(y, m);
}

/** One date, no range: YYYY-MM-DD, YYYY-MM, YYYY, "08 Feb 1980", "Feb 1980", "08.02.1980", "08/02/1980". */
function single(s: string): Omit<DateSpan, 'approx' | 'text'> | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m && validDay(+m[1], +m[2], +m[3])) {
    const d = `${m[1]}-${pad(+m[2])}-${pad(+m[3])}`;
    return { lo: d, hi: d, precision: 'day' };
  }
  m = /^(\d{4})-(\d{1,2})$/.exec(s);
  if (m && +m[2] >= 1 && +m[2] <= 12) {
    return { lo: `${m[1]}-${pad(+m[2])}-01`, hi: `${m[1]}-${pad(+m[2])}-${pad(lastDay(+m[1], +m[2]))}`, precision: 'month' };
  }
  m = /^(\d{4})$/.exec(s);
  if (m) return { lo: `${m[1]}-01-01`, hi: `${m[1]}-12-31`, precision: 'year' };
  m = /^(\d{1,2})\s+([A-Za-z]+\.?),?\s+(\d{4})$/.exec(s) ?? /^([A-Za-z]+\.?)\s+(\d{1,2}),?\s+(\d{4})$/.exec(s);
  if (m) {
    const [day, word] = /^\d/.test(m[1]) ? [+m[1], m[2]] : [+m[2], m[1]];
    const month = monthOf(word);
    if (month && validDay(+m[3], month, day)) {
      const d = `${m[3]}-${pad(month)}-${pad(day)}`;
      return { lo: d, hi: d, precision: 'day' };
    }
  }
  m = /^([A-Za-z]+\.?),?\s+(\d{4})$/.exec(s);
  const month = m ? monthOf(m[1]) : null;
  if (m && month) {
    return { lo: `${m[2]}-${pad(month)}-01`, hi: `${m[2]}-${pad(month)}-${pad(lastDay(+m[2], month))}`, precision: 'month' };
  }
  // Day first, as European and UN sources write it.
  m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(s);
  if (m && validDay(+m[3], +m[2], +m[1])) {
    const d = `${m[3]}-${pad(+m[2])}-${pad(+m[1])}`;
    return { lo: d, hi: d, precision: 'day' };
  }
  return null;
}

/** A source's birth date as a span of days; null when it names no year. */
export function parseBirthDate(text: string): DateSpan | null {
  let s = text.replace(/\s+/g, ' ').trim();
  const approxRe = /^(circa|approximately|approx\.?|about|around|ca\.|c\.)\s*/i;
  const approx = approxRe.test(s);
  s = s.replace(approxRe, '').trim();
  let span: Omit<DateSpan, 'approx' | 'text'> | null = single(s);
  if (!span) {
    const range = /^(?:between\s+)?(.+?)\s*(?:\bto\b|\band\b|[-–])\s*(.+)$/i.exec(s);
    const from = range ? single(range[1].trim()) : null;
    const to = range ? single(range[2].trim()) : null;
    if (from && to && from.lo <= to.hi) span = { lo: from.lo, hi: to.hi, precision: 'range' };
  }
  if (!span) {
    // Anything else ("Hijri 1380 (1960)", "in 1975 or 1976"): the years it names, as a range.
    const years = [...s.matchAll(YEAR)].map((m) => Number(m[1]));
    if (years.length === 0) return null;
    const lo = Math.min(...years);
    const hi = Math.max(...years);
    span = { lo: `${lo}-01-01`, hi: `${hi}-12-31`, precision: lo === hi ? 'year' : 'range' };
  }
  if (approx) {
    span = { ...span, lo: `${Number(span.lo.slice(0, 4)) - 1}-01-01`, hi: `${Number(span.hi.slice(0, 4)) + 1}-12-31` };
  }
  return { ...span, approx, text };
}

const year = (d: string) => Number(d.slice(0, 4));

/**
 * Years a typo apart: one off (1968 / 1969), or one of the last two digits changed (1984 / 1986) or
 * the two swapped (1976 / 1967).
 */
function yearsOneTypoApart(a: string, b: string): boolean {
  if (Math.abs(Number(a) - Number(b)) === 1) return true;
  if (a.slice(0, 2) !== b.slice(0, 2)) return false;
  const [a3, a4, b3, b4] = [a[2], a[3], b[2], b[3]];
  return (a3 === b3) !== (a4 === b4) || (a3 === b4 && a4 === b3);
}

/** How two single dates relate (see BirthDateAgreement). */
export function compareDates(x: DateSpan, y: DateSpan): BirthDateAgreement {
  const vague = x.approx || y.approx || x.precision === 'range' || y.precision === 'range';
  if (x.lo <= y.hi && y.lo <= x.hi) {
    if (vague) return 'overlap';
    if (x.precision === y.precision && x.lo === y.lo && x.precision !== 'year') return 'exact';
    return 'same-year';
  }
  if (!vague && x.precision === 'day' && y.precision === 'day') {
    const days = Math.abs(Date.parse(x.lo) - Date.parse(y.lo)) / 86_400_000;
    const swapped = x.lo.slice(0, 4) === y.lo.slice(0, 4) && x.lo.slice(5, 7) === y.lo.slice(8, 10) && x.lo.slice(8, 10) === y.lo.slice(5, 7);
    const yearTypo = x.lo.slice(5) === y.lo.slice(5) && yearsOneTypoApart(x.lo.slice(0, 4), y.lo.slice(0, 4));
    if (days <= 31 || swapped || yearTypo) return 'close';
  }
  if (!vague && year(x.lo) === year(y.lo)) return 'same-year-other-day';
  const gap = Math.max(year(x.lo) - year(y.hi), year(y.lo) - year(x.hi));
  return gap <= 1 ? 'one-year-apart' : 'mismatch';
}

/** Order of agreement, most agreeing first; the best pair of two parties' dates decides. */
export const AGREEMENT_ORDER: readonly BirthDateAgreement[] = ['exact', 'same-year', 'close', 'overlap', 'same-year-other-day', 'one-year-apart', 'mismatch'];

/**
 * The best agreement between any date of one party and any date of the other (people often have
 * alternative dates of birth; one agreeing pair is enough), with the two dates compared; null when
 * either party has no readable date.
 */
export function compareBirthDates(a: readonly DateSpan[], b: readonly DateSpan[]): { agreement: BirthDateAgreement; a: string; b: string } | null {
  let best: { agreement: BirthDateAgreement; a: string; b: string } | null = null;
  for (const x of a) {
    for (const y of b) {
      const agreement = compareDates(x, y);
      if (!best || AGREEMENT_ORDER.indexOf(agreement) < AGREEMENT_ORDER.indexOf(best.agreement)) {
        best = { agreement, a: x.text, b: y.text };
      }
    }
  }
  return best;
}
