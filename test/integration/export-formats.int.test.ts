/**
 * The table-like exports (export-formats.ts) and the writing of every format with pauses (export.ts
 * serializeAsync), on the real Neo4j holding the real OFAC SDN list of 2024-05-03: the subgraph of its
 * vessels and aircraft and the program node UKRAINE-EO13661 (graph.ts `subgraph`), its evidence read by
 * readEvidence. The file written with pauses is the file written at once; other work runs while a big
 * export is written; tabs and line breaks survive XML attributes; the CSV files carry a byte order mark;
 * a program node's name is in every format.
 *
 * Remarks with a tab and line breaks: the SDN list holds none (OFAC writes one record per line), other
 * sources do (FtM notes, UN comments); they come from test/fixtures/export-cases/export-cases.ftm.json
 * (its README says which line and what was edited), loaded with the FtM ingest as a second dataset.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { EXPORT_FORMATS, serialize, serializeAsync } from '../../server/api/export';
import { readEvidence, type ExportGraph } from '../../server/api/export-evidence';
import { graphml, gexf } from '../../server/api/export-formats';
import { subgraph } from '../../server/api/graph';
import { Database } from '../../server/core/neo4j/database';
import { testDatabase } from '../helpers';
import { fixture, loadSdnWithCases, vehicleIds } from './export-cases';

const PROGRAM = 'UKRAINE-EO13661';

let db: Database;
let g: ExportGraph;
beforeAll(async () => {
  db = testDatabase();
  await loadSdnWithCases(db);
  g = await readEvidence(db, await subgraph(db, { ids: [...(await vehicleIds(db)), PROGRAM] }));
  // The load of the whole list takes about a minute here, several when the machine is busy.
}, 600_000);
afterAll(async () => {
  await db.close();
});

const bytes = (x: string | Uint8Array) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : Buffer.from(x));

test('every format written with pauses is the file written at once', async () => {
  expect(g.nodes.length).toBeGreaterThan(1000);
  // Each vessel and aircraft under the program is linked to it: the export holds relationships too.
  const members = [...g.parties.values()].filter((p) => p.programs.some((x) => x.program === PROGRAM)).map((p) => p.id);
  expect(members.length).toBeGreaterThan(0);
  expect(g.edges.filter((e) => e.type === 'SANCTION' && e.target === PROGRAM).map((e) => e.source).sort()).toEqual(members.sort());
  for (const format of EXPORT_FORMATS) {
    const [once, paused] = [serialize(g, format), await serializeAsync(g, format)];
    expect([format, bytes(paused).equals(bytes(once))]).toEqual([format, true]);
  }
  // The zip is whole: every table reads back, one row per node in nodes.csv.
  const files = unzipSync(serialize(g, 'csv') as Uint8Array);
  const nodes = parseCsv(strFromU8(files['nodes.csv']), { bom: true, columns: true }) as Record<string, string>[];
  expect(nodes.map((n) => n.id)).toEqual(g.nodes.map((n) => n.id));
  expect(JSON.parse(serialize(g, 'json') as string).elements.nodes).toHaveLength(g.nodes.length);
});

test('other work runs while an export is written, and a passed deadline stops it', async () => {
  for (const format of EXPORT_FORMATS) {
    // Another request's work, queued as the export starts: it runs between the export's steps.
    let turns = 0;
    let done = false;
    const other = () => {
      turns++;
      if (!done) setImmediate(other);
    };
    setImmediate(other);
    await serializeAsync(g, format);
    done = true;
    expect([format, turns > 5]).toEqual([format, true]);
    await expect(
      serializeAsync(g, format, () => {
        throw new Error('REQUEST_TIMEOUT passed');
      }),
    ).rejects.toThrow('REQUEST_TIMEOUT passed');
  }
});

/** The attributes of the elements named `tag` in an XML text, as an XML parser reads them. */
function xmlElements(text: string, tag: string): { attributes: Record<string, string>; text: string }[] {
  const out: { attributes: Record<string, string>; text: string }[] = [];
  const parser = new SaxesParser();
  let open: { attributes: Record<string, string>; text: string } | null = null;
  parser.on('opentag', (t) => {
    if (t.name === tag) out.push((open = { attributes: t.attributes as Record<string, string>, text: '' }));
  });
  parser.on('text', (s) => {
    if (open) open.text += s;
  });
  parser.on('closetag', (t) => {
    if (t.name === tag) open = null;
  });
  parser.write(text).close();
  return out;
}

test('tabs and line breaks in values survive GraphML and GEXF as an XML parser reads them', async () => {
  // The notes of the fixture's entity as its file states them (JSON), which the FtM import makes the remarks.
  const [remarks] = fixture().get('case-remarks')!.properties.notes;
  expect(remarks).toMatch(/\r\n[^]*\t[^]*\n/);
  const h = await readEvidence(db, await subgraph(db, { ids: ['case-remarks'] }));
  expect(h.parties.get('case-remarks')?.remarks).toBe(remarks);
  const attvalues = xmlElements(gexf(h), 'attvalue').filter((a) => a.attributes.for === 'remarks');
  expect(attvalues.map((a) => a.attributes.value)).toEqual([remarks]);
  const data = xmlElements(graphml(h), 'data').filter((d) => d.attributes.key === 'n_remarks');
  expect(data.map((d) => d.text)).toEqual([remarks]);
});

test("a program node's name is in GraphML, GEXF and CSV", () => {
  const named = (xs: { attributes: Record<string, string>; text: string }[]) => xs.map((x) => x.attributes.value ?? x.text);
  expect(named(xmlElements(graphml(g), 'data').filter((d) => d.attributes.key === 'n_programName'))).toEqual([PROGRAM]);
  expect(named(xmlElements(gexf(g), 'attvalue').filter((d) => d.attributes.for === 'programName'))).toEqual([PROGRAM]);
  const files = unzipSync(serialize(g, 'csv') as Uint8Array);
  const nodes = parseCsv(strFromU8(files['nodes.csv']), { bom: true, columns: true }) as Record<string, string>[];
  expect(nodes.filter((n) => n.programName).map((n) => [n.id, n.programName])).toEqual([[PROGRAM, PROGRAM]]);
});

test('CSV files start with a byte order mark (Excel reads non-Latin names) and the README says how values are written', () => {
  const files = unzipSync(serialize(g, 'csv') as Uint8Array);
  const csvs = Object.keys(files).filter((f) => f.endsWith('.csv'));
  expect(csvs.length).toBeGreaterThan(5);
  for (const f of csvs) expect([f, [...files[f].slice(0, 3)]]).toEqual([f, [0xef, 0xbb, 0xbf]]);
  const readme = strFromU8(files['README.txt']);
  expect(readme).toContain('byte order mark');
  expect(readme).toContain("written with a ' before it");
  expect(readme).toContain('E.164');
});
