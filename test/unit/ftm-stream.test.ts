/**
 * The FtM parse joins on disk (ingest/sources/ftm-join.ts) instead of holding every entity: it must give
 * exactly what the whole-file parse gave (test/ftm-whole-parse.ts, the code of commit 6cca5b2): the same
 * parties, addresses, identifiers and links in the same order (Neo4j keeps the first writer's text on a
 * shared Address or Identifier node), the same rejected rows in the same order, the same warnings, the
 * same ids deleted, the same errors. On the real FtM files, the fixtures, the bad-input variants of
 * test/unit/ftm.test.ts, delta sets that add, delete and re-add one id, and the real entities copied with
 * their lines scrambled and their parties cut into fragments (references before and after what they name).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFtm } from '../../ingest/sources/ftm';
import { parseFtmWhole } from '../ftm-whole-parse';
import { writeFtmCopies } from '../../bench/scale/ftm-copies';
import { Spool } from '../../ingest/spool';
import type { ParsedRelease } from '../../server/core/model';
import type { ParseOptions } from '../../ingest/parse-options';
import { SHARED } from '../helpers';

const FTM = path.join(SHARED, 'opensanctions-ftm');
const ZALA = path.join(FTM, 'zala', 'entities.ftm.json');
const EU_FSF = path.join(FTM, 'eu-fsf-t1', 'entities.ftm.json');
const DELTAS = path.join(FTM, 'deltas-2024-05-27');
const deltaFiles = () => fs.readdirSync(DELTAS).sort().map((f) => path.join(DELTAS, f));
const EXCERPT = path.join(__dirname, '..', 'fixtures', 'ftm', 'zala-excerpt.ftm.json');
const FLAG = { release: '2026-04-30', releaseFrom: 'flag' } as const;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-ftm-stream-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
function write(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(tmp, dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}
const excerpt = fs.readFileSync(EXCERPT, 'utf8').split('\n').filter(Boolean);
const zala = fs.readFileSync(ZALA, 'utf8').split('\n').filter(Boolean);

/** Both parses of the same files: equal in everything, or failing with the same error. */
async function same(files: string[], opts: ParseOptions): Promise<ParsedRelease> {
  const whole = await parseFtmWhole(files, opts).catch((e: unknown) => e);
  const streamed = await parseFtm(files, opts).catch((e: unknown) => e);
  if (whole instanceof Error) {
    expect(streamed).toBeInstanceOf(whole.constructor);
    expect((streamed as Error).message).toBe(whole.message);
    return whole as never;
  }
  expect(streamed).toEqual(whole);
  return whole as ParsedRelease;
}

describe('the streamed parse gives what the whole-file parse gave', () => {
  test('the real exports: zala, EU FSF, both at once, the excerpt fixture', async () => {
    const r = await same([ZALA], FLAG);
    // The comparison is not of two empty results.
    expect([r.parties.length, r.addresses.length, r.identifiers.length, r.links.length, r.warnings.length]).toEqual([17, 99, expect.any(Number), 21, expect.any(Number)]);
    expect(r.identifiers.length).toBeGreaterThan(30);
    expect((await same([EU_FSF], { release: '2024-06-01', releaseFrom: 'path' })).warnings.some((w) => /Address entities are not the address/.test(w))).toBe(true);
    await same([ZALA, EU_FSF], FLAG);
    expect((await same([EXCERPT], FLAG)).rejected.length).toBe(1);
  });

  test('the real delta set, with and without its index; --release', async () => {
    const r = await same(deltaFiles(), { release: '2024-05-27', releaseFrom: 'path' });
    expect(r.removedIds).toEqual(['NK-500Poltergeist']);
    await same(deltaFiles().filter((f) => !f.endsWith('delta.json') || f.endsWith('.entities.delta.json')), { release: '2024-05-27', releaseFrom: 'path' });
    await same(deltaFiles(), { release: '2024-06-01', releaseFrom: 'flag' });
  });

  test('a delta set that adds, deletes and adds again, modifies what it never added, deletes what it never had', async () => {
    const [a, b, c] = [excerpt[0], excerpt[1], excerpt[2]].map((l) => JSON.parse(l) as { id: string });
    const op = (o: string, entity: unknown) => JSON.stringify({ op: o, entity });
    const f1 = write('delta-order', '20240601000000-aaa.entities.delta.json', [op('ADD', a), op('ADD', b), op('DEL', { id: a.id }), op('ADD', JSON.parse(excerpt[7]))].join('\n'));
    const f2 = write('delta-order', '20240602000000-bbb.entities.delta.json', [op('ADD', a), op('DEL', { id: b.id }), op('MOD', c), op('DEL', { id: 'NK-nothere' }), op('DEL', { id: b.id }), op('DEL', {}), op('PATCH', a), '{"x": 1}', op('ADD', { id: 'x' })].join('\n'));
    const r = await same([f2, f1], { release: '2024-06-02', releaseFrom: 'path' });
    expect(r.removedIds).toEqual([b.id, 'NK-nothere']);
    expect(r.parties.map((p) => p.id)).toEqual([a.id, c.id]);
    expect(r.rejected.length).toBe(4);
  });

  test('the bad-input variants of ftm.test.ts: missing id and schema, fragments, a conflicting schema, two objects on a line, unknown schema and operation', async () => {
    const lines = excerpt.map((l) => JSON.parse(l) as Record<string, unknown>);
    delete lines[0].id;
    delete lines[1].schema;
    await same([write('missing', 'entities.ftm.json', lines.map((o) => JSON.stringify(o)).join('\n') + '\n')], FLAG);

    const maria = JSON.parse(excerpt[0]) as { properties: Record<string, string[]>; schema: string };
    const keys = Object.keys(maria.properties);
    const half = (ks: string[], schema: string) => JSON.stringify({ ...maria, schema, properties: Object.fromEntries(ks.map((k) => [k, maria.properties[k]])) });
    const r = await same([write('fragments', 'entities.ftm.json', [half(keys.slice(0, 10), 'LegalEntity'), half(keys.slice(10), 'Person'), half(['name'], 'Company'), ...excerpt.slice(1)].join('\n'))], FLAG);
    expect(r.rejected[0].reason).toMatch(/conflicts with Person/);

    const real = path.join(DELTAS, '20240528014702-pfh.entities.delta.json');
    const joined = write('one-line', path.basename(real), fs.readFileSync(real, 'utf8').split('\n').filter(Boolean).join(''));
    await same([...deltaFiles().filter((f) => f !== real), joined], { release: '2024-05-27', releaseFrom: 'path' });

    await same([write('unknown', '20240601000000-xyz.entities.delta.json', [
      JSON.stringify({ op: 'ADD', entity: { ...JSON.parse(excerpt[0]), schema: 'Persn' } }),
      JSON.stringify({ op: 'PATCH', entity: { id: 'NK-2Tbri3s6GgNtAwsSXh4qpL' } }),
      JSON.stringify({ op: 'ADD', entity: JSON.parse(excerpt[1]) }),
    ].join('\n'))], FLAG);
    // A delta operation in a snapshot, a party without a name, an Address where a party is expected.
    const odd = [
      ...zala,
      JSON.stringify({ op: 'ADD', entity: JSON.parse(excerpt[0]) }),
      JSON.stringify({ id: 'p-noname', schema: 'Person', properties: { nationality: ['zz', 'qq'] } }),
      JSON.stringify({ id: 's-1', schema: 'Sanction', properties: { entity: ['p-noname', 'NK-oPoYieLmcZgkCCnJGPRhBN', 'nowhere'], program: ['X'] } }),
      JSON.stringify({ id: 'o-1', schema: 'Ownership', properties: { owner: ['NK-oPoYieLmcZgkCCnJGPRhBN', 'p-noname'], asset: ['NK-abdzbEBkqyT29GyREbiURZ', 'addr-x'] } }),
      JSON.stringify({ id: 'o-2', schema: 'Ownership', properties: { owner: ['NK-abdzbEBkqyT29GyREbiURZ'] } }),
      JSON.stringify({ id: 'w-1', schema: 'CryptoWallet', properties: { holder: ['NK-abdzbEBkqyT29GyREbiURZ', 'nowhere'], publicKey: ['0xabc'], currency: ['eth'] } }),
      JSON.stringify({ id: 'i-1', schema: 'Identification', properties: { holder: ['p-noname'], number: ['1'], country: ['yy'] } }),
      JSON.stringify({ id: 'e-1', schema: 'Event', properties: {} }),
      JSON.stringify({ id: 'addr-x', schema: 'Address', properties: { full: ['Nowhere 1'], country: ['xq'] } }),
    ];
    const o = await same([write('odd', 'entities.ftm.json', odd.join('\n'))], FLAG);
    expect(o.rejected.length).toBeGreaterThan(6);
  });

  test('errors: a cut line, Latin-1, no release date, no entities, no parties, a snapshot with deltas', async () => {
    await same([write('cut', 'entities.ftm.json', [...excerpt.slice(0, -1), excerpt.at(-1)!.slice(0, 100)].join('\n'))], FLAG);
    const eu = fs.readFileSync(EU_FSF);
    const at = eu.indexOf(Buffer.from('PACHODAVOVÁ'));
    await same([write('latin1', 'entities.ftm.json', Buffer.concat([eu.subarray(0, at + 10), Buffer.from([0xc1]), eu.subarray(at + 12)]))], FLAG);
    await same([ZALA], {});
    await same([write('none', 'entities.ftm.json', '{"schema": "Person", "properties": {}}\n')], FLAG);
    await same([write('no-parties', 'entities.ftm.json', excerpt.slice(5, 9).join('\n'))], FLAG);
    await same([EU_FSF, ...deltaFiles()], FLAG);
  });

  test.each(['1', '2', '3'])('the real entities copied 4 times, lines scrambled and parties cut into fragments (seed %s)', async (seed) => {
    const copies = await writeFtmCopies({ copies: 4, out: path.join(tmp, `scrambled-${seed}`, 'entities.ftm.json'), scramble: seed });
    expect(copies.lines).toBeGreaterThan(copies.entities);
    const r = await same([copies.file], FLAG);
    expect(r.parties.length).toBe(4 * 23);
    expect(r.warnings.some((w) => /further fragments of an entity/.test(w))).toBe(true);
  });
});

describe('into a spool', () => {
  test("the records go to the load's spool as they are emitted, and the join's folder inside it is removed", async () => {
    const root = path.join(tmp, 'spool-root');
    const spool = new Spool(1 << 20, root);
    try {
      const r = await parseFtm([ZALA], { ...FLAG, sink: spool });
      spool.close();
      const whole = await parseFtmWhole([ZALA], FLAG);
      expect([r.parties, r.addresses, r.identifiers, r.links]).toEqual([[], [], [], []]);
      const read = async <K extends 'parties' | 'addresses' | 'identifiers' | 'links'>(k: K) => {
        const xs = [];
        for await (const x of spool.read(k)) xs.push(x);
        return xs;
      };
      expect(await read('parties')).toEqual(whole.parties);
      expect(await read('addresses')).toEqual(whole.addresses);
      expect(await read('identifiers')).toEqual(whole.identifiers);
      expect(await read('links')).toEqual(whole.links);
      expect({ ...r, parties: whole.parties, addresses: whole.addresses, identifiers: whole.identifiers, links: whole.links }).toEqual(whole);
      expect(fs.readdirSync(spool.dir).sort()).toEqual(['addresses.jsonl', 'identifiers.jsonl', 'links.jsonl', 'parties.jsonl']);
    } finally {
      spool.remove();
    }
  });

  test('a parse that fails leaves no work files behind', async () => {
    const root = path.join(tmp, 'spool-root-2');
    const spool = new Spool(1 << 20, root);
    try {
      // Fails after every entity was read and sorted: no release date.
      await expect(parseFtm([ZALA], { sink: spool })).rejects.toThrow(/carries no export date/);
      // Fails while reading.
      await expect(parseFtm([write('cut2', 'entities.ftm.json', [...excerpt.slice(0, -1), excerpt.at(-1)!.slice(0, 100)].join('\n'))], { ...FLAG, sink: spool })).rejects.toThrow(/cut short/);
      expect(fs.readdirSync(spool.dir).sort()).toEqual(['addresses.jsonl', 'identifiers.jsonl', 'links.jsonl', 'parties.jsonl']);
      expect(spool.counts).toMatchObject({ parties: 0, addresses: 0, identifiers: 0, links: 0 });
    } finally {
      spool.remove();
    }
  });
});

describe('progress', () => {
  test('after the bytes of the file, each step of the join is announced with its size and counted to the end', async () => {
    const events: { phase: string; total: number; read: number }[] = [{ phase: 'read', total: fs.statSync(ZALA).size, read: 0 }];
    const r = await parseFtm([ZALA], {
      ...FLAG,
      onBytes: (n) => (events.at(-1)!.read += n),
      onPhase: (phase, total, unit) => {
        expect(unit).toBe('bytes');
        events.push({ phase, total, read: 0 });
      },
    });
    expect(r.parties.length).toBeGreaterThan(0);
    expect(events.map((e) => e.phase)).toEqual(['read', 'join 1/4: entities', 'join 2/4: references', 'join 3/4: parties', 'join 4/4: records']);
    // The join's files are ASCII here (ids, numbers, pointers): characters counted are its bytes.
    for (const e of events) expect({ phase: e.phase, read: e.read }).toEqual({ phase: e.phase, read: e.total });
  });
});
