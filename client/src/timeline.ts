/**
 * Designation timeline: listing dates of the parties on the canvas, bucketed by year (or by month when
 * they all fall within two years), so "what changed when" is visible at a glance.
 */
export interface Bucket {
  key: string;
  label: string;
  ids: string[];
}

export function timelineBuckets(items: { id: string; date: string | null }[]): { buckets: Bucket[]; undated: number } {
  const dated = items.filter((i): i is { id: string; date: string } => !!i.date && /^\d{4}/.test(i.date));
  const undated = items.length - dated.length;
  if (dated.length === 0) return { buckets: [], undated };
  const years = dated.map((d) => Number(d.date.slice(0, 4)));
  const min = Math.min(...years);
  const max = Math.max(...years);
  const byMonth = max - min < 2 && dated.every((d) => /^\d{4}-\d{2}/.test(d.date));
  const keyOf = (d: string) => (byMonth ? d.slice(0, 7) : d.slice(0, 4));
  const map = new Map<string, string[]>();
  // Every bucket in the range, empty ones included, so gaps in time look like gaps.
  if (byMonth) {
    for (let y = min; y <= max; y++) for (let m = 1; m <= 12; m++) map.set(`${y}-${String(m).padStart(2, '0')}`, []);
  } else {
    for (let y = min; y <= max; y++) map.set(String(y), []);
  }
  for (const d of dated) map.get(keyOf(d.date))!.push(d.id);
  let buckets = [...map.entries()].map(([key, ids]) => ({ key, label: key, ids }));
  if (byMonth) {
    // Trim empty months before the first and after the last listing.
    const first = buckets.findIndex((b) => b.ids.length);
    const last = buckets.length - 1 - [...buckets].reverse().findIndex((b) => b.ids.length);
    buckets = buckets.slice(first, last + 1);
  }
  return { buckets, undated };
}
