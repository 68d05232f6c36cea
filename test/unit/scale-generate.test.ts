/**
 * The scale generator (bench/scale) at x2 on the real OFAC SDN 2024-05-03 and UN 2025-11-18 lists: what
 * it writes is read back with our own parsers and compared with the real lists, parsed the same way.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { parseUnXml } from '../../ingest/sources/un-xml';
import type { ParsedRelease } from '../../server/core/model';
import { nameKey } from '../../server/core/text/normalize';
import { DEFAULT_SOURCES, generateScale, type ScaleResult } from '../../bench/scale/generate';

const FACTOR = 2;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-scale-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const filesIn = (dir: string) => fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
const digest = (dir: string) => filesIn(dir).map((f) => `${path.basename(f)}:${crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')}`).join(' ');

let result: ScaleResult;
let real: { ofac: ParsedRelease; un: ParsedRelease };
let out: { ofac: ParsedRelease; un: ParsedRelease };

beforeAll(async () => {
  result = await generateScale({ factor: FACTOR, seed: '1', out: path.join(tmp, 'a') });
  real = {
    // The real list with the addresses the generator takes (add.csv rows of entries it lists; the rest are orphans).
    ofac: await parseOfacCsv([DEFAULT_SOURCES.sdn, DEFAULT_SOURCES.add], { release: DEFAULT_SOURCES.ofacRelease }),
    un: await parseUnXml([DEFAULT_SOURCES.un], {}),
  };
  out = {
    ofac: await parseOfacCsv(filesIn(result.ofac.folder), { release: DEFAULT_SOURCES.ofacRelease }),
    un: await parseUnXml(filesIn(result.un.folder), {}),
  };
});

/** Link endpoints resolved as the loader does: ids, else the first party of that primary name, else an alias. */
function resolvedLinks(rel: ParsedRelease): { from: string; to: string | null }[] {
  const byKey = new Map<string, string>();
  for (const p of rel.parties) if (!byKey.has(nameKey(p.name))) byKey.set(nameKey(p.name), p.id);
  const alias = new Map<string, string>();
  for (const p of rel.parties) for (const a of p.aliases) if (!alias.has(nameKey(a.name))) alias.set(nameKey(a.name), p.id);
  const ids = new Set(rel.parties.map((p) => p.id));
  return rel.links.map((l) => {
    const to = l.to.id ?? byKey.get(nameKey(l.to.name!)) ?? alias.get(nameKey(l.to.name!)) ?? null;
    return { from: l.from, to: to && ids.has(to) ? to : null };
  });
}

function degrees(rel: ParsedRelease): number[] {
  const d = new Map(rel.parties.map((p) => [p.id, 0]));
  for (const l of resolvedLinks(rel)) {
    d.set(l.from, d.get(l.from)! + 1);
    if (l.to) d.set(l.to, d.get(l.to)! + 1);
  }
  return [...d.values()].sort((a, b) => a - b);
}
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** The copy a party belongs to: OFAC copies are numbered copy * 100000 + ent_num; UN copies by their reference prefix. */
function copyOf(rel: ParsedRelease, id: string): string {
  if (rel === out.ofac || rel.dataset === 'ofac-sdn') return String(Math.floor(Number(id.slice('ofac-'.length)) / 100000));
  return id.slice('un-'.length, 'un-'.length + 2);
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}

describe(`scale generator, x${FACTOR} of the real OFAC SDN and UN lists`, () => {
  test('the output parses with our parsers, with no rejected row, and holds factor x the real parties', () => {
    expect(out.ofac.rejected).toEqual([]);
    expect(out.un.rejected).toEqual([]);
    expect(out.ofac.parties.length).toBe(FACTOR * real.ofac.parties.length);
    expect(out.un.parties.length).toBe(FACTOR * real.un.parties.length);
    expect(result.ofac.parties + result.un.parties).toBe(out.ofac.parties.length + out.un.parties.length);
    // Remarks longer than the column continue in sdn_comments.csv: no copy adds an entry cut short.
    const cut = (rel: ParsedRelease) => Number(/(\d+) entries have remarks cut/.exec(rel.warnings.join(' '))?.[1] ?? 0);
    expect(cut(out.ofac)).toBe(cut(real.ofac));
    expect(out.ofac.addresses.length).toBe(FACTOR * real.ofac.addresses.length);
    expect(out.ofac.identifiers.length).toBe(FACTOR * real.ofac.identifiers.length);
    expect(out.un.identifiers.length).toBe(FACTOR * real.un.identifiers.length);
  });

  test('ids are unique, the real entries keep theirs and the copies never take a real one', () => {
    for (const [o, r] of [[out.ofac, real.ofac], [out.un, real.un]] as const) {
      const ids = o.parties.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const realIds = new Set(r.parties.map((p) => p.id));
      expect(ids.filter((id) => realIds.has(id)).length).toBe(realIds.size);
    }
  });

  test('copies have names of their own, made of the real lists\' words, never NAME_17', () => {
    const realNames = new Set(real.ofac.parties.map((p) => nameKey(p.name)));
    const copies = out.ofac.parties.filter((p) => copyOf(out.ofac, p.id) !== '0');
    // Every primary name is unique, as "Linked To" needs.
    expect(new Set(out.ofac.parties.map((p) => nameKey(p.name))).size).toBe(out.ofac.parties.length - (real.ofac.parties.length - realNames.size));
    expect(copies.filter((p) => realNames.has(nameKey(p.name))).length).toBe(0);
    expect(copies.filter((p) => /NAME_?\d/i.test(p.name)).length).toBe(0);
    const words = new Set<string>();
    for (const p of [...real.ofac.parties, ...real.un.parties]) for (const n of [p.name, ...p.aliases.map((a) => a.name)]) for (const w of nameKey(n).split(' ')) words.add(w);
    const copyWords = [...copies, ...out.un.parties.filter((p) => !real.un.parties.some((r) => r.id === p.id))]
      .filter((p) => p.kind !== 'Aircraft')
      .flatMap((p) => nameKey(p.name).split(' '))
      .filter((w) => !/\d/.test(w));
    expect(copyWords.filter((w) => words.has(w)).length / copyWords.length).toBeGreaterThan(0.99);
  });

  test('same seed, same bytes; another seed, other data', async () => {
    const again = await generateScale({ factor: FACTOR, seed: '1', out: path.join(tmp, 'b') });
    expect(digest(again.ofac.folder)).toBe(digest(result.ofac.folder));
    expect(digest(again.un.folder)).toBe(digest(result.un.folder));
    const other = await generateScale({ factor: FACTOR, seed: '2', out: path.join(tmp, 'c') });
    const names = async (folder: string) => (await parseOfacCsv(filesIn(folder), { release: '2024-05-03' })).parties.map((p) => p.name);
    const [a, c] = [await names(result.ofac.folder), await names(other.ofac.folder)];
    const differ = a.filter((n, i) => n !== c[i]).length;
    // Copy 0 is the real list in both; most of the copy's names differ.
    expect(differ).toBeGreaterThan(0.8 * real.ofac.parties.length);
    expect(digest(other.un.folder)).not.toBe(digest(result.un.folder));
  });

  test('links: every real link is in every copy, a share of them between copies, none dangling that was not', () => {
    for (const [o, r] of [[out.ofac, real.ofac], [out.un, real.un]] as const) {
      const links = resolvedLinks(o);
      expect(links.length).toBe(FACTOR * resolvedLinks(r).length);
      expect(links.filter((l) => l.to === null).length).toBe(FACTOR * resolvedLinks(r).filter((l) => l.to === null).length);
      const inCopies = links.filter((l) => l.to && copyOf(o, l.from) !== copyOf(r, r.parties[0].id));
      const cross = inCopies.filter((l) => copyOf(o, l.from) !== copyOf(o, l.to!));
      // --cross 0.1 by default: about a tenth of a copy's links lead into another copy.
      expect(cross.length / inCopies.length).toBeGreaterThan(0.05);
      expect(cross.length / inCopies.length).toBeLessThan(0.2);
    }
  });

  test('the degree distribution is the real one', () => {
    for (const [o, r] of [[out.ofac, real.ofac], [out.un, real.un]] as const) {
      const [a, b] = [degrees(r), degrees(o)];
      for (const q of [0.5, 0.75, 0.9, 0.95, 0.99]) expect(Math.abs(quantile(b, q) - quantile(a, q))).toBeLessThanOrEqual(Math.max(1, 0.2 * quantile(a, q)));
      const mean = (d: number[]) => d.reduce((s, x) => s + x, 0) / d.length;
      expect(mean(b)).toBeCloseTo(mean(a), 6);
      // Links between copies move some in-links from one copy of a party to another: a few more isolated parties.
      const isolated = b.filter((x) => x === 0).length / (FACTOR * a.filter((x) => x === 0).length);
      expect(Math.abs(isolated - 1)).toBeLessThan(0.05);
    }
  });

  test('programs are the real ones and their hubs grow with the factor', () => {
    for (const [o, r] of [[out.ofac, real.ofac], [out.un, real.un]] as const) {
      const count = (rel: ParsedRelease) => countBy(rel.parties.flatMap((p) => p.programs), (x) => x);
      const expected = new Map([...count(r)].map(([k, n]) => [k, FACTOR * n]));
      expect(count(o)).toEqual(expected);
    }
  });

  test('shared addresses and identifiers stay shared, in each copy', () => {
    // Parties that share an address or identifier key with another party, real vs output.
    const sharing = (facts: { partyId: string; key: string }[]) => {
      const parties = new Map<string, Set<string>>();
      for (const f of facts) (parties.get(f.key) ?? parties.set(f.key, new Set()).get(f.key)!).add(f.partyId);
      return [...parties.values()].filter((s) => s.size > 1).reduce((n, s) => n + s.size, 0);
    };
    const addr = (rel: ParsedRelease) => sharing(rel.addresses.map((a) => ({ partyId: a.partyId, key: a.address.key })));
    const ids = (rel: ParsedRelease) => sharing(rel.identifiers.map((i) => ({ partyId: i.partyId, key: i.identifier.key })));
    expect(addr(real.ofac)).toBeGreaterThan(100);
    // At least factor x: city-only addresses ("Havana, Cuba") are shared across copies as well.
    expect(addr(out.ofac)).toBeGreaterThanOrEqual(FACTOR * addr(real.ofac));
    expect(ids(real.ofac)).toBeGreaterThan(100);
    expect(ids(out.ofac) / (FACTOR * ids(real.ofac))).toBeGreaterThan(0.95);
    expect(ids(out.ofac) / (FACTOR * ids(real.ofac))).toBeLessThan(1.05);
    // Varied: a copy's identifier values are not the real ones.
    const realValues = new Set(real.ofac.identifiers.map((i) => i.identifier.key));
    const copyFacts = out.ofac.identifiers.filter((i) => copyOf(out.ofac, i.partyId) !== '0');
    expect(copyFacts.filter((i) => realValues.has(i.identifier.key)).length / copyFacts.length).toBeLessThan(0.01);
  });
});
