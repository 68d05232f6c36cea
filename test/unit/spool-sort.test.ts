/**
 * The release snapshot's lines are sorted on disk by ingest/sort-lines.ts, in Node: no system `sort`
 * is needed (a PATH without it still loads), the result is the lines in JavaScript's order whatever the
 * number of runs, and the run files are removed. Lines from the real SDN list (2024-05-03).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { sortedLines, sortLines } from '../../ingest/sort-lines';
import { fromLineKey, lineKey, SnapshotInput } from '../../ingest/snapshot';
import { linkKey, partyDigests, RELEASE_PART, type LinkKeyRow, type ReleasePart } from '../../server/core/releases';
import type { ParsedRelease } from '../../server/core/model';
import { SHARED } from '../helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-spool-sort-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The snapshot's parts as whole arrays, each part checked: numbered in order, full but the last of a kind, parties before link keys. */
async function collect(input: SnapshotInput, size = RELEASE_PART) {
  const out = { ids: [] as string[], names: [] as string[], digests: [] as string[], linkKeys: [] as string[] };
  const parts: ReleasePart[] = [];
  for await (const part of input.parts(size)) parts.push(part);
  for (const kind of ['parties', 'linkKeys'] as const) {
    const mine = parts.filter((p) => p.kind === kind);
    expect(mine.map((p) => p.at)).toEqual(mine.map((_, i) => i));
    const sizes = mine.map((p) => (p.kind === 'parties' ? p.ids.length : p.keys.length));
    expect(sizes.slice(0, -1).every((n) => n === size)).toBe(true);
    expect(sizes.every((n) => n > 0 && n <= size)).toBe(true);
  }
  const firstKeys = parts.findIndex((p) => p.kind === 'linkKeys');
  if (firstKeys >= 0) expect(parts.slice(firstKeys).every((p) => p.kind === 'linkKeys')).toBe(true);
  for (const p of parts) {
    if (p.kind === 'parties') {
      out.ids.push(...p.ids);
      out.names.push(...p.names);
      out.digests.push(...p.digests);
    } else out.linkKeys.push(...p.keys);
  }
  expect(input.counts).toEqual({ parties: out.ids.length, linkKeys: out.linkKeys.length });
  return out;
}

let rel: ParsedRelease;
beforeAll(async () => {
  rel = await parseOfacCsv([path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], { release: '2024-05-03' });
});

test('lines come out in JavaScript order, from one run or from many merged, and no run file is left', async () => {
  // One line per party and identifier, in the order the file gives them, as the snapshot writes them.
  const lines = [
    ...rel.identifiers.map((i) => `${JSON.stringify(i.partyId)}\tI\t${JSON.stringify(i.identifier.key)}`),
    ...rel.parties.map((p) => `${JSON.stringify(p.id)}\tP\t${JSON.stringify({ name: p.name })}`),
  ];
  const from = path.join(tmp, 'lines.txt');
  fs.writeFileSync(from, lines.join('\n') + '\n');
  const expected = [...lines].sort();
  for (const runChars of [1 << 30, 100_000, 1_000]) {
    const to = path.join(tmp, `sorted-${runChars}.txt`);
    await sortLines(from, to, runChars);
    expect(fs.readFileSync(to, 'utf8').split('\n').slice(0, -1)).toEqual(expected);
  }
  expect(fs.readdirSync(tmp).filter((f) => f.includes('.run'))).toEqual([]);
  // An empty file sorts to an empty file.
  fs.writeFileSync(path.join(tmp, 'empty.txt'), '');
  await sortLines(path.join(tmp, 'empty.txt'), path.join(tmp, 'empty-sorted.txt'), 10);
  expect(fs.readFileSync(path.join(tmp, 'empty-sorted.txt'), 'utf8')).toBe('');
});

test("the release snapshot is built without the system's sort (a PATH that has none), with the digests of the whole release", async () => {
  const input = new SnapshotInput(path.join(tmp, 'snapshot.jsonl'));
  // The parties, then the facts, in the passes' order (a party's facts arrive after all parties).
  for (const p of rel.parties) input.party(p);
  for (const i of rel.identifiers) input.identifier(i.partyId, i.identifier.key);
  const saved = process.env.PATH;
  process.env.PATH = path.join(tmp, 'no-such-bin');
  let rows;
  try {
    rows = await collect(input);
  } finally {
    process.env.PATH = saved;
  }
  const whole = partyDigests({ ...rel, addresses: [], links: [] }, []);
  const ids = [...whole.keys()].sort();
  expect(rows.ids).toEqual(ids);
  expect(rows.digests).toEqual(ids.map((id) => whole.get(id)));
  expect(rows.ids).toHaveLength(14965);
});

test('links told after factsDone (sorted apart, while a load writes them) give the digests of the whole release', async () => {
  // The release's links with their named ends as placeholder ids (ends outside the release have no
  // digest), a party linked to itself, and ends whose JSON escapes order them apart from their ids.
  const links: LinkKeyRow[] = rel.links.map((l) => ({ from: l.from, to: l.to.id ?? `ref-${l.to.name}`, type: l.type, label: l.label, sourceId: l.sourceId ?? null }));
  const [a, b] = rel.parties;
  links.push({ from: a.id, to: a.id, type: 'ASSOCIATE', label: 'Linked To', sourceId: null });
  links.push({ from: b.id, to: 'a"b\\c', type: 'ASSOCIATE', label: 'Linked To', sourceId: 'odd-1' });
  const odd = { ...b, id: 'a"b\\c', name: 'ODD ID' };
  const parties = [...rel.parties, odd];
  const input = new SnapshotInput(path.join(tmp, 'snapshot-links.jsonl'));
  for (const p of parties) input.party(p);
  for (const i of rel.identifiers) input.identifier(i.partyId, i.identifier.key);
  input.factsDone();
  for (const l of links) input.link(l);
  // Parts of 997 parties: 16 of them, the last one short.
  const rows = await collect(input, 997);
  const whole = partyDigests({ ...rel, parties, addresses: [] }, links);
  const ids = [...whole.keys()].sort();
  expect(rows.ids).toEqual(ids);
  expect(rows.digests).toEqual(ids.map((id) => whole.get(id)));
  expect(rows.names[ids.indexOf(odd.id)]).toBe('ODD ID');
  // The links changed digests: without them, those of the linked parties differ.
  const unlinked = partyDigests({ ...rel, parties, addresses: [] }, []);
  const linked = new Set(links.flatMap((l) => [l.from, l.to]));
  expect(ids.filter((id) => unlinked.get(id) !== whole.get(id)).length).toBe(ids.filter((id) => linked.has(id)).length);
  expect(rows.linkKeys).toEqual([...new Set(links.map(linkKey))].sort());
  await input.close();
});

// Ids and link keys with line breaks, tabs, NUL and the escape's own U+0001, prefixes of one another
// (JSON's closing quote sorts "ab" after "ab!"), and units either side of the escaped range.
const ODD = ['ab', 'ab!', 'ab ', 'ab\u0005', 'ab\u0000', 'ab\u0001', 'ab\u000d', 'ab\u000e', 'a\nb', 'a\tb', 'a\rb', 'a"b', 'a\\b', '😀', '～', 'é', 'e\u0301', '\u0000', '\u0001x'];

test('lineKey orders as the strings do (JavaScript order), holds no line break, tab or NUL, and is undone by fromLineKey', () => {
  for (const a of ODD) {
    expect(fromLineKey(lineKey(a))).toBe(a);
    // eslint-disable-next-line no-control-regex
    expect(lineKey(a)).not.toMatch(/[\n\r\t\u0000]/);
    for (const b of ODD) {
      // As the snapshot's lines compare: key, then the NUL that ends it, then the rest.
      const x = `${lineKey(a)}\u0000P\u0000z`;
      const y = `${lineKey(b)}\u0000P\u0000z`;
      expect([a, b, Math.sign(x < y ? -1 : x > y ? 1 : 0)]).toEqual([a, b, Math.sign(a < b ? -1 : a > b ? 1 : 0)]);
    }
  }
});

test('odd ids and link keys come out in JavaScript order, whole, with their facts and links, in parts of 7', async () => {
  const base = rel.parties.slice(0, 400);
  const parties = base.map((p, i) => ({ ...p, id: `${ODD[i % ODD.length]}${i % 3 ? p.id : ''}${i}` }));
  const links: LinkKeyRow[] = parties.slice(1).map((p, i) => ({ from: parties[i].id, to: p.id, type: 'ASSOCIATE', label: 'Linked To', sourceId: i % 2 ? `k${ODD[i % ODD.length]}${i}` : null }));
  const input = new SnapshotInput(path.join(tmp, 'snapshot-odd.jsonl'));
  for (const p of parties) input.party(p);
  parties.forEach((p, i) => input.identifier(p.id, `id-${i}`));
  input.factsDone();
  for (const l of links) input.link(l);
  // A link told twice has one key.
  input.link(links[0]);
  const rows = await collect(input, 7);
  const whole = partyDigests({ ...rel, parties, addresses: [], identifiers: parties.map((p, i) => ({ partyId: p.id, identifier: { key: `id-${i}` } })) as ParsedRelease['identifiers'] }, links);
  const ids = [...whole.keys()].sort();
  expect(rows.ids).toEqual(ids);
  expect(rows.digests).toEqual(ids.map((id) => whole.get(id)));
  expect(rows.names).toEqual(ids.map((id) => parties.find((p) => p.id === id)!.name));
  expect(rows.linkKeys).toEqual([...new Set(links.map(linkKey))].sort());
  await input.close();
});

test('ids where UTF-16 and UTF-8 order differ, and JSON escapes, come out in JavaScript order through many merge rounds', async () => {
  // U+FF5E sorts after U+1F600 in UTF-16 (a surrogate, 0xD83D, is below 0xFF5E), before it in UTF-8
  // and code point order (a byte-wise sort, as `LC_ALL=C sort` does, would put them the other way);
  // ids with quotes, backslashes, tabs and a lone surrogate are written as JSON escapes.
  const odd = ['～', '😀', 'ｚ', '\uD800', 'a"b', 'a\\b', 'a\tb', 'é', 'e\u0301', '\u0000'];
  const real = rel.parties.slice(0, 3000).map((p) => p.id);
  const lines = real.flatMap((id, i) => {
    const ends = [id, `${id}${odd[i % odd.length]}`, `${odd[i % odd.length]}${id}`];
    return ends.map((end) => `${JSON.stringify(end)}\tP\t${JSON.stringify({ name: rel.parties[i].name })}`);
  });
  expect(['～', '😀'].sort()).toEqual(['😀', '～']);
  expect(Buffer.compare(Buffer.from('～'), Buffer.from('😀'))).toBe(-1);
  const from = path.join(tmp, 'odd.txt');
  fs.writeFileSync(from, lines.join('\n') + '\n');
  const expected = [...lines].sort();
  // Runs of 20 lines: 450 runs, merged in rounds of 64 (more than one round).
  const to = path.join(tmp, 'odd-sorted.txt');
  await sortLines(from, to, 1 << 30, 20);
  expect(fs.readFileSync(to, 'utf8').split('\n').slice(0, -1)).toEqual(expected);
  expect(fs.readdirSync(tmp).filter((f) => f.includes('.run'))).toEqual([]);
});

test('sortedLines: one run is handed on from memory (no file written); a reader that stops early leaves no run file', async () => {
  const from = path.join(tmp, 'ids.txt');
  const ids = rel.parties.map((p) => JSON.stringify(p.id));
  fs.writeFileSync(from, ids.join('\n') + '\n');
  const prefix = path.join(tmp, 'stream');
  const files = () => fs.readdirSync(tmp).filter((f) => f.startsWith('stream'));
  const whole: string[] = [];
  for await (const l of sortedLines(from, prefix)) {
    whole.push(l);
    expect(files()).toEqual([]);
  }
  expect(whole).toEqual([...ids].sort());
  // Runs of 1,000 lines: 15 run files while the merge is read; none once the reader stops.
  const some: string[] = [];
  for await (const l of sortedLines(from, prefix, 1 << 30, 1000)) {
    if (some.length === 0) expect(files()).toHaveLength(15);
    some.push(l);
    if (some.length === 10) break;
  }
  expect(some).toEqual([...ids].sort().slice(0, 10));
  expect(files()).toEqual([]);
});

test('a merge round that fails removes every run file, those it was merging too', async () => {
  const from = path.join(tmp, 'fail.txt');
  fs.writeFileSync(from, rel.parties.map((p) => JSON.stringify(p.id)).join('\n') + '\n');
  const to = path.join(tmp, 'fail-sorted.txt');
  // 150 runs of 100 lines: the first round's output is `${to}.run0m150`; a folder there makes it fail.
  const blocker = `${to}.run0m150`;
  fs.mkdirSync(blocker);
  try {
    await expect(sortLines(from, to, 1 << 30, 100)).rejects.toThrow(/EISDIR/);
  } finally {
    fs.rmdirSync(blocker);
  }
  expect(fs.readdirSync(tmp).filter((f) => f.includes('.run'))).toEqual([]);
  expect(fs.existsSync(to)).toBe(false);
});
