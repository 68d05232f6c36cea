/**
 * The table-like exports (export-formats.ts) and the writing of every format with pauses (export.ts
 * serializeAsync), on the real SDN list's vessels and aircraft read through a stand-in for the database
 * (export-fake.ts): the file written with pauses is the file written at once; other work runs while a
 * big export is written; tabs and line breaks survive XML attributes; the CSV files carry a byte order
 * mark; a program node's name is in every format.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { EXPORT_FORMATS, serialize, serializeAsync } from '../../server/api/export';
import { readEvidence, type ExportGraph, type PartyRow } from '../../server/api/export-evidence';
import { csvField, graphml, gexf } from '../../server/api/export-formats';
import type { GraphNode } from '../../server/api/graph';
import type { ParsedRelease } from '../../server/core/model';
import { edge, fakeDb, partyRow, sdn, subgraphOf } from './export-fake';

let r: ParsedRelease;
let rows: PartyRow[];
let g: ExportGraph;
const PROGRAM = 'UKRAINE-EO13661';
beforeAll(async () => {
  r = await sdn();
  rows = r.parties.filter((p) => p.kind === 'Vessel' || p.kind === 'Aircraft').map((p) => partyRow(r, p.id));
  const program: GraphNode = { id: PROGRAM, kind: 'Program', label: PROGRAM, degree: 1, placeholder: false, programs: [], listedOn: null, delistedOn: null, datasets: [] };
  const facts = [{ kind: 'Program', fact: { id: PROGRAM, name: PROGRAM, dataset: 'ofac-sdn', release: '2024-05-03', record: 'sdn.csv:6832 (ent_num 27197)' } }];
  const sanctions = rows.filter((x) => x.programs.some((p) => p.program === PROGRAM)).map((x, i) => edge(`s${i}`, 'SANCTION', x.party.id as string, PROGRAM, null, x.programs[0].record));
  g = await readEvidence(fakeDb(rows, facts), subgraphOf(rows, sanctions, [program]));
}, 60_000);

const bytes = (x: string | Uint8Array) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : Buffer.from(x));

test('every format written with pauses is the file written at once', async () => {
  expect(g.nodes.length).toBeGreaterThan(1000);
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
    expect([format, turns]).toEqual([format, expect.any(Number)]);
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
  const row = partyRow(r, 'ofac-27197');
  // The SDN remarks hold none; other sources' (FtM notes, UN comments) do.
  const remarks = `${row.party.remarks as string}\r\nSecond line\tafter a tab\nthird line`;
  const hostile = { ...row, party: { ...row.party, remarks } };
  const h = await readEvidence(fakeDb([hostile]), subgraphOf([hostile], []));
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

test('formula-like text is marked, E.164 phone numbers are kept as the source states them', () => {
  expect(['+79161234567', '+44 20 7946 0958', '=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '+'].map(csvField)).toEqual([
    '+79161234567',
    '+44 20 7946 0958',
    `"'=HYPERLINK(""http://x"")"`,
    "'+1+2",
    "'-2+3",
    "'@SUM(A1)",
    "'+",
  ]);
});
