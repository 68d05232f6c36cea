/**
 * Neo4j's offline bulk importer against LOAD CSV, writing the same graph (issue 11 items 2 and 3: "`neo4j-admin
 * database import` for a first bulk load into an empty store is a fine addition"). A feasibility figure for a
 * first load into an empty store, not a measurement of our loader (bench/ingest-baseline.ts is that): the
 * graph is the LOAD CSV baseline's (parties with toNode's properties and labels, programs, addresses,
 * identifiers, links with named ends resolved as the baseline resolves them, placeholders), without our
 * load numbers, release snapshot or matching.
 *
 * For each set (BENCH_ADMIN_SETS, default "x1,x4"; "x16" and "x64" are the scale data's, generated with
 * seed 1 when absent): the release parsed whole (untimed), then
 *  - LOAD CSV: a fresh Neo4j (.data/bench-admin-loadcsv) with the schema applied, the baseline's CSV
 *    written into its import folder (untimed), cypher/bench-loadcsv-*.cypher timed;
 *  - import: the import files written from the parsed release (timed: a load would write them), a fresh
 *    Neo4j (.data/bench-admin-import) started once to make its store and stopped, `neo4j-admin database
 *    import full` into it, the server started again, the schema applied and its indexes populated
 *    (`db.awaitIndexes`): all timed, each step recorded.
 * Both graphs are counted (bench-graph-counts) and must be the same. One line per set appended to
 * bench/results/ingest.jsonl, kind "admin-import-vs-load-csv", with BENCH_ADMIN_LABEL when given.
 *
 *   BENCH_ONLY=admin-import BENCH_ADMIN_SETS=x1,x4,x16 npm run bench
 *
 * The release is parsed whole (as writeBaselineCsv needs it): x64 needs a larger Node heap,
 * NODE_OPTIONS=--max-old-space-size=8192.
 */
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NEO4J_VERSION, REPO_ROOT } from '../server/core/settings';
import { connectNeo4j, neo4jHome } from '../server/core/neo4j/embedded';
import { ensureNeo4jRuntime } from '../server/core/neo4j/runtime';
import { Database } from '../server/core/neo4j/database';
import { LINK_TYPES, partyLabels, type ParsedRelease } from '../server/core/model';
import { toNode } from '../server/core/party-node';
import { nameKey } from '../server/core/text/normalize';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { expandPaths } from '../ingest/formats';
import { freshNeo4jIn, scaleFolders } from './growth';
import { graphCounts, loadCsvBaseline, writeBaselineCsv } from './ingest-baseline';

const REAL_SDN = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const RELEASE = '2024-05-03';
/** Separates array items and labels in the import files (--array-delimiter): in no list's text. */
const SEP = '\u001f';
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION };

const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

type Column = { key: string; header: string; array?: boolean };

/** One import file: a header of neo4j-admin's kind ("id:ID(Party)", ":LABEL", "names:string[]"), quoted cells. */
class ImportFile {
  private readonly fd: number;
  private buf = '';
  constructor(
    readonly file: string,
    private readonly columns: Column[],
  ) {
    this.fd = fs.openSync(file, 'w');
    fs.writeSync(this.fd, columns.map((c) => c.header).join(',') + '\n');
  }

  row(r: Record<string, unknown>): void {
    this.buf += this.columns.map((c) => importCell(r[c.key], c.array === true)).join(',') + '\n';
    if (this.buf.length > 1 << 20) {
      fs.writeSync(this.fd, this.buf);
      this.buf = '';
    }
  }

  close(): void {
    fs.writeSync(this.fd, this.buf);
    fs.closeSync(this.fd);
  }
}

function importCell(v: unknown, array: boolean): string {
  if (v === null || v === undefined) return '';
  const s = array ? (v as unknown[]).map(String).join(SEP) : String(v);
  return `"${s.replace(/"/g, '""')}"`;
}

const plain = (...keys: string[]): Column[] => keys.map((k) => ({ key: k, header: k }));
const FACT_COLUMNS = plain('dataset', 'release', 'record');

/**
 * The import files of the baseline's graph, and the importer's arguments for them. Nodes are unique by id
 * (programs, addresses and identifiers are shared), relationships as the baseline's MERGEs leave them.
 */
export function writeImportFiles(rel: ParsedRelease, dir: string): { args: string[]; rows: number } {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const { dataset } = rel;
  const release = rel.release;
  const f = (name: string) => path.join(dir, name);
  // Made party by party, twice (the columns first), not held: at x64 an array of them ran Node out of heap.
  const partyRow = (p: ParsedRelease['parties'][number]): Record<string, unknown> => {
    const labels = partyLabels(p.kind);
    const node = toNode(p);
    const { release: _r, record: _rec, ...fields } = node;
    // As writeBaselineCsv: the same digest, so both graphs hold the same properties.
    const digest = crypto.createHash('sha1').update(JSON.stringify([labels, fields])).digest('base64url');
    return { ...node, labels: ['Party', ...labels], digest, datasets: [dataset], formerDatasets: [], firstSeen: release };
  };
  const keys = new Set<string>();
  const arrays = new Set<string>();
  for (const p of rel.parties) {
    const row = partyRow(p);
    for (const k in row) {
      if (k === 'id' || k === 'labels') continue;
      keys.add(k);
      if (Array.isArray(row[k])) arrays.add(k);
    }
  }
  const partyFile = new ImportFile(f('parties.csv'), [
    { key: 'id', header: 'id:ID(Party)' },
    { key: 'labels', header: ':LABEL', array: true },
    ...[...keys].map((k) => ({ key: k, header: arrays.has(k) ? `${k}:string[]` : k, array: arrays.has(k) })),
  ]);
  for (const p of rel.parties) partyFile.row(partyRow(p));

  const facts = (name: string, end: string, extra: string[] = []) =>
    new ImportFile(f(name), [{ key: 'a', header: ':START_ID(Party)' }, { key: 'b', header: `:END_ID(${end})` }, ...FACT_COLUMNS, ...plain(...extra)]);
  const programs = new Map<string, string>();
  const sanction = facts('sanction.csv', 'Program');
  for (const p of rel.parties) {
    for (const program of new Set(p.programs)) {
      if (!programs.has(program)) programs.set(program, p.provenance.record);
      sanction.row({ a: p.id, b: program, dataset, release, record: p.provenance.record });
    }
  }
  sanction.close();
  const programFile = new ImportFile(f('programs.csv'), [{ key: 'id', header: 'id:ID(Program)' }, ...plain('name'), ...FACT_COLUMNS]);
  for (const [id, record] of programs) programFile.row({ id, name: id, dataset, release, record });
  programFile.close();

  const addresses = new Map<string, Record<string, unknown>>();
  const hasAddress = facts('has-address.csv', 'Address');
  const seen = new Set<string>();
  for (const a of rel.addresses) {
    const k = a.address.key;
    if (!addresses.has(k)) addresses.set(k, { id: k, full: a.address.full, street: a.address.street, city: a.address.city, country: a.address.country, dataset, release, record: a.provenance.record });
    if (seen.has(`${a.partyId}\u0000${k}`)) continue;
    seen.add(`${a.partyId}\u0000${k}`);
    hasAddress.row({ a: a.partyId, b: k, dataset, release, record: a.provenance.record });
  }
  hasAddress.close();
  const addressFile = new ImportFile(f('addresses.csv'), [{ key: 'id', header: 'id:ID(Address)' }, ...plain('full', 'street', 'city', 'country'), ...FACT_COLUMNS]);
  for (const a of addresses.values()) addressFile.row(a);
  addressFile.close();

  const identifiers = new Map<string, Record<string, unknown>>();
  const hasIdentifier = facts('has-identifier.csv', 'Identifier', ['label', 'issued', 'expires']);
  seen.clear();
  for (const i of rel.identifiers) {
    const k = i.identifier.key;
    if (!identifiers.has(k)) identifiers.set(k, { id: k, type: i.identifier.type, value: i.identifier.value, country: i.identifier.country, dataset, release, record: i.provenance.record });
    if (seen.has(`${i.partyId}\u0000${k}`)) continue;
    seen.add(`${i.partyId}\u0000${k}`);
    hasIdentifier.row({ a: i.partyId, b: k, dataset, release, record: i.provenance.record, label: i.label, issued: i.issued, expires: i.expires });
  }
  hasIdentifier.close();
  const identifierFile = new ImportFile(f('identifiers.csv'), [{ key: 'id', header: 'id:ID(Identifier)' }, ...plain('type', 'value', 'country'), ...FACT_COLUMNS]);
  for (const i of identifiers.values()) identifierFile.row(i);
  identifierFile.close();

  // A named end as cypher/bench-loadcsv-links.cypher resolves it: the listed party of that name key
  // (the least id), else writeBaselineCsv's fallback (an alias of a party, else a placeholder).
  const byName = new Map<string, string>();
  for (const p of rel.parties) {
    const k = nameKey(p.name);
    const had = byName.get(k);
    if (had === undefined || p.id < had) byName.set(k, p.id);
  }
  const byAlias = new Map<string, string>();
  for (const p of rel.parties) for (const a of p.aliases) if (!byName.has(nameKey(a.name)) && !byAlias.has(nameKey(a.name))) byAlias.set(nameKey(a.name), p.id);
  const listed = new Set(rel.parties.map((p) => p.id));
  const placeholders = new Map<string, Record<string, unknown>>();
  const args = [`--nodes=${partyFile.file}`, `--nodes=Program=${f('programs.csv')}`, `--nodes=Address=${f('addresses.csv')}`, `--nodes=Identifier=${f('identifiers.csv')}`];
  args.push(`--relationships=SANCTION=${f('sanction.csv')}`, `--relationships=HAS_ADDRESS=${f('has-address.csv')}`, `--relationships=HAS_IDENTIFIER=${f('has-identifier.csv')}`);
  for (const type of LINK_TYPES) {
    const links = rel.links.filter((l) => l.type === type);
    if (links.length === 0) continue;
    const merged = new Map<string, Record<string, unknown> & { statedBy: string[] }>();
    for (const l of links) {
      const key = l.to.name ? nameKey(l.to.name) : null;
      const other = l.to.id ?? (key === null ? null : (byName.get(key) ?? byAlias.get(key) ?? `${rel.idPrefix}-ref-${key.toLowerCase().replace(/\s+/g, '-')}`));
      if (other === null) continue;
      const ends = l.inverse ? [other, l.from] : [l.from, other];
      for (const e of ends) {
        if (!listed.has(e) && !placeholders.has(e)) {
          placeholders.set(e, { id: e, labels: ['Party', 'Placeholder', 'LegalEntity'], kind: 'LegalEntity', name: l.to.name ?? e, nameKey: key, aliasNames: [], dataset, release, record: l.provenance.record });
        }
      }
      const linkKey = l.sourceId ?? l.label;
      const k = `${ends[0]}\u0000${ends[1]}\u0000${linkKey}`;
      const had = merged.get(k);
      if (had) {
        if (!had.statedBy.includes(l.from)) had.statedBy.push(l.from);
        continue;
      }
      merged.set(k, { a: ends[0], b: ends[1], dataset, key: linkKey, label: l.label, release, record: l.provenance.record, percentage: l.percentage ?? null, startDate: l.startDate ?? null, endDate: l.endDate ?? null, sourceId: l.sourceId ?? null, statedBy: [l.from] });
    }
    const file = new ImportFile(f(`links-${type}.csv`), [
      { key: 'a', header: ':START_ID(Party)' },
      { key: 'b', header: ':END_ID(Party)' },
      ...plain('dataset', 'key', 'label', 'release', 'record', 'percentage', 'startDate', 'endDate', 'sourceId'),
      { key: 'statedBy', header: 'statedBy:string[]', array: true },
    ]);
    for (const r of merged.values()) file.row(r);
    file.close();
    args.push(`--relationships=${type}=${file.file}`);
  }
  for (const p of placeholders.values()) partyFile.row(p);
  partyFile.close();
  const rows = rel.parties.length + rel.parties.reduce((n, p) => n + p.programs.length, 0) + rel.addresses.length + rel.identifiers.length + rel.links.length;
  return { args, rows };
}

async function setFiles(set: string): Promise<string[]> {
  if (set === 'x1') return [REAL_SDN];
  const factor = Number(/^x(\d+)$/.exec(set)?.[1]);
  if (!factor) throw new Error(`BENCH_ADMIN_SETS: "${set}" is not x1, x4, x16 or x64`);
  return expandPaths([(await scaleFolders(factor)).ofac]);
}

async function benchSet(set: string): Promise<Record<string, unknown>> {
  const files = await setFiles(set);
  const rel = await parseOfacCsv(files, { release: RELEASE });

  const lc = await freshNeo4jIn(path.join(REPO_ROOT, '.data', 'bench-admin-loadcsv'));
  let loadCsv: { seconds: number; rows: number; graph: unknown };
  try {
    await lc.db.applySchema();
    const csv = writeBaselineCsv(rel, path.join(neo4jHome(lc.settings), 'import', 'bench-admin'));
    const t = process.hrtime.bigint();
    await loadCsvBaseline(lc.db, (file) => `file:///bench-admin/${file}`, rel, csv.linkTypes, 5000);
    loadCsv = { seconds: since(t), rows: csv.rows, graph: await graphCounts(lc.db) };
  } finally {
    await lc.db.close();
    await lc.endpoint.stop();
  }
  console.error(`admin-import ${set}: LOAD CSV ${loadCsv.seconds.toFixed(1)} s; ${JSON.stringify(loadCsv.graph)}`);

  // A store made by a first start (initial password, system database), then stopped: the importer
  // needs the server down and replaces the `neo4j` database (--overwrite-destination).
  const ai = await freshNeo4jIn(path.join(REPO_ROOT, '.data', 'bench-admin-import'));
  await ai.db.close();
  await ai.endpoint.stop();
  const steps: Record<string, number> = {};
  let t = process.hrtime.bigint();
  const { args, rows } = writeImportFiles(rel, path.join(REPO_ROOT, '.data', 'bench-admin-files'));
  steps.writeFiles = since(t);
  t = process.hrtime.bigint();
  const runtime = await ensureNeo4jRuntime(ai.settings);
  const home = neo4jHome(ai.settings);
  const cmd = ['-cp', `${runtime.lib}/*`, 'org.neo4j.cli.AdminTool', 'database', 'import', 'full', ...args];
  // The importer writes its report of skipped rows into the working folder unless told where.
  const report = path.join(REPO_ROOT, '.data', 'bench-admin-files', 'import.report');
  cmd.push(`--array-delimiter=${SEP}`, '--multiline-fields=true', '--overwrite-destination=true', `--threads=${os.cpus().length}`, `--report-file=${report}`, 'neo4j');
  const r = spawnSync(ai.settings.javaBin, cmd, { env: { ...process.env, NEO4J_HOME: home, NEO4J_CONF: path.join(home, 'conf') }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`neo4j-admin database import failed (${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  steps.import = since(t);
  t = process.hrtime.bigint();
  const endpoint = await connectNeo4j(ai.settings);
  const db = new Database(endpoint, 1_800_000);
  let graph: unknown;
  try {
    steps.start = since(t);
    t = process.hrtime.bigint();
    await db.applySchema();
    await db.runWrite('CALL db.awaitIndexes(1800)', {});
    steps.schema = since(t);
    graph = await graphCounts(db);
  } finally {
    await db.close();
    await endpoint.stop();
  }
  const seconds = Object.values(steps).reduce((a, b) => a + b, 0);
  if (JSON.stringify(graph) !== JSON.stringify(loadCsv.graph)) throw new Error(`${set}: the graphs differ: LOAD CSV ${JSON.stringify(loadCsv.graph)}, import ${JSON.stringify(graph)}`);
  if (rows !== loadCsv.rows) throw new Error(`${set}: ${rows} rows against LOAD CSV's ${loadCsv.rows}`);
  const ratio = loadCsv.seconds / seconds;
  console.error(
    `admin-import ${set}: ${rows} rows; LOAD CSV ${loadCsv.seconds.toFixed(1)} s (${(rows / loadCsv.seconds).toFixed(0)} rows/s), ` +
      `import ${seconds.toFixed(1)} s (${(rows / seconds).toFixed(0)} rows/s: ${Object.entries(steps).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}); ratio ${ratio.toFixed(2)}x`,
  );
  return { set, files: files.map((x) => path.relative(REPO_ROOT, x)), rows, loadCsv: { seconds: loadCsv.seconds, rowsPerS: rows / loadCsv.seconds }, adminImport: { seconds, rowsPerS: rows / seconds, steps }, ratio, graph };
}

export async function adminImportBench(): Promise<void> {
  const sets = (process.env.BENCH_ADMIN_SETS ?? 'x1,x4').split(',').map((s) => s.trim()).filter(Boolean);
  const out = path.join(REPO_ROOT, 'bench', 'results', 'ingest.jsonl');
  for (const set of sets) {
    const loadBefore = os.loadavg();
    const r = await benchSet(set);
    const line = { at: new Date().toISOString(), kind: 'admin-import-vs-load-csv', label: process.env.BENCH_ADMIN_LABEL ?? null, host: HOST, loadAvg: { before: loadBefore, after: os.loadavg() }, ...r };
    fs.appendFileSync(out, JSON.stringify(line) + '\n');
  }
  console.error(`admin-import: results appended to ${path.relative(REPO_ROOT, out)}`);
}
