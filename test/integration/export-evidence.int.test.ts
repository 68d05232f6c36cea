/**
 * Exports carry the evidence (issue 12): every format read back by the tools researchers use, and
 * compared with what the API's entity view and subgraph say of the same parties and relationships (not
 * with literals), over HTTP against the real Neo4j holding the real OFAC SDN list of 2024-05-03 with the
 * address and alias files of 2025-12-24 (the only add.csv and alt.csv there are; rows of entries the
 * 2024 list does not have are rejected by the load), so parties have aliases and addresses besides the
 * identifiers the remarks state.
 *
 * - GraphML and GEXF read with networkx: for CHINYONG (ofac-43379) and the parties linked to it, the
 *   programs, aliases and identifiers (with provenance) equal the entity view's; each relationship's
 *   type, wording and provenance equal the subgraph's.
 * - CSV read with csv-parse: every alias, identifier, address and program of every exported party is a
 *   row of its table with its provenance, and the rows equal the entity view of that party; the README
 *   names the datasets and releases.
 * - Cytoscape.js JSON: the same fields in element data.
 * - FtM: every line is an entity of a FtM schema with properties of that schema (the names of
 *   followthemoney/schema/*.yaml), entity references resolve, link ends fit their schema's ranges; then
 *   the file is loaded into an empty database as a new dataset with the FtM ingest and gives back the
 *   same parties, aliases, identifiers, addresses, programs and links.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { ingest } from '../../ingest/ingest';
import { isoCountryCode } from '../../server/core/matching/countries';
import { LINK_TYPES, PARTY_KIND_NAMES } from '../../server/core/model';
import { Database } from '../../server/core/neo4j/database';
import { nameKey } from '../../server/core/text/normalize';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, testDatabase, type TestApi } from '../helpers';

const SDN = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const ADD_ALT = path.join(SHARED, 'ofac-add-alt-2025-12-24');
const CHINYONG = 'ofac-43379';
const NETWORK = `ids=${CHINYONG}&depth=2`;

let db: Database;
let api: TestApi;
let base: string;
let tmp: string;

beforeAll(async () => {
  db = testDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-evidence-'));
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN, path.join(ADD_ALT, 'add.csv'), path.join(ADD_ALT, 'alt.csv')], release: '2024-05-03' });
  api = await startApi(db);
  base = api.base;
  // The load of three files takes about a minute here, several when the machine is busy.
}, 600_000);
afterAll(async () => {
  await api.close();
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function download(query: string): Promise<Buffer> {
  const res = await fetch(`${base}/api/export?${query}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { body } = await api.gql(query, variables);
  expect(body.errors).toBeUndefined();
  return body.data as T;
}

interface EntityView {
  id: string;
  kind: string;
  name: string;
  aliases: { name: string; type: string; quality: string | null }[];
  identifiers: { id: string; type: string; value: string; country: string | null; label: string | null }[];
  addresses: { id: string; full: string; city: string | null; country: string | null }[];
  programs: string[];
  datasets: string[];
  release: string | null;
  record: string | null;
}

/** The entity view of these parties (GraphQL `entity`, ten a request: the root-field cap). */
async function entities(ids: string[]): Promise<Map<string, EntityView>> {
  const out = new Map<string, EntityView>();
  for (let i = 0; i < ids.length; i += 10) {
    const chunk = ids.slice(i, i + 10);
    const fields = chunk
      .map((_, j) => `e${j}: entity(id: $id${j}) { id kind name aliases { name type quality } identifiers { id type value country label } addresses { id full city country } programs datasets release record }`)
      .join(' ');
    const query = `query(${chunk.map((_, j) => `$id${j}: ID!`).join(', ')}) { ${fields} }`;
    const data = await gql<Record<string, EntityView | null>>(query, Object.fromEntries(chunk.map((id, j) => [`id${j}`, id])));
    for (const e of Object.values(data)) if (e) out.set(e.id, e);
  }
  return out;
}

interface Edge {
  id: string;
  source: string;
  target: string;
  type: string;
  label: string | null;
  dataset: string | null;
  release: string | null;
  record: string | null;
}

/** The same subgraph as the export, from the API (neighborhood with the export's defaults). */
async function network(): Promise<{ nodes: { id: string; kind: string }[]; edges: Edge[] }> {
  const data = await gql<{ neighborhood: { nodes: { id: string; kind: string }[]; edges: Edge[] } }>(
    `query($ids: [ID!]!) { neighborhood(ids: $ids, depth: 2) { nodes { id kind } edges { id source target type label dataset release record } } }`,
    { ids: [CHINYONG] },
  );
  return data.neighborhood;
}

const isParty = (kind: string) => (PARTY_KIND_NAMES as string[]).includes(kind);
const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
/** The OFAC uid a party id names, which every record of its statements cites ("(ent_num 43379"). */
const cites = (record: string | null | undefined, partyId: string) => new RegExp(`\\(ent_num ${partyId.replace(/^ofac-/, '')}[,)]`).test(record ?? '');

describe('GraphML and GEXF read with networkx', () => {
  /** Nodes and edges with their attributes, as networkx reads them. */
  function networkx(file: string, reader: 'read_graphml' | 'read_gexf'): { nodes: Record<string, Record<string, unknown>>; edges: ({ source: string; target: string } & Record<string, unknown>)[] } {
    const script = `import json, sys, networkx as nx
g = nx.${reader}(sys.argv[1])
print(json.dumps({"nodes": {n: d for n, d in g.nodes(data=True)}, "edges": [dict(d, source=u, target=v) for u, v, d in g.edges(data=True)]}))`;
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  }

  test.each([
    ['graphml', 'read_graphml'],
    ['gexf', 'read_gexf'],
  ] as const)('%s: each party shows its programs, aliases and identifiers with provenance; each relationship its type, wording and provenance', async (format, reader) => {
    const file = path.join(tmp, `network.${format}`);
    fs.writeFileSync(file, await download(`${NETWORK}&format=${format}`));
    const g = networkx(file, reader);
    const api = await network();
    expect(Object.keys(g.nodes).sort()).toEqual(api.nodes.map((n) => n.id).sort());
    expect(g.edges.length).toBe(api.edges.length);

    // CHINYONG and the parties linked to it (one hop): what the entity view says of each.
    const linked = api.edges.filter((e) => e.type === 'UNKNOWN_LINK' && (e.source === CHINYONG || e.target === CHINYONG)).map((e) => (e.source === CHINYONG ? e.target : e.source));
    expect(linked.length).toBeGreaterThan(1);
    const views = await entities([CHINYONG, ...linked]);
    // The sample must show aliases, identifiers and programs at all.
    expect(views.get(CHINYONG)!.aliases.length).toBeGreaterThan(0);
    expect([...views.values()].some((v) => v.identifiers.length > 0)).toBe(true);
    for (const [id, view] of views) {
      const n = g.nodes[id];
      expect([id, n.kind, n.label]).toEqual([id, view.kind, view.name]);
      expect([id, String(n.programs ?? '').split('; ').filter(Boolean).sort()]).toEqual([id, [...view.programs].sort()]);
      const aliases = JSON.parse(String(n.aliases ?? '[]')) as EntityView['aliases'];
      expect([id, sorted(aliases)]).toEqual([id, sorted(view.aliases)]);
      const identifiers = JSON.parse(String(n.identifiers ?? '[]')) as (EntityView['identifiers'][number] & { dataset: string; release: string; record: string })[];
      expect([id, sorted(identifiers.map(({ id: i, type, value, country, label }) => ({ id: i, type, value, country, label })))]).toEqual([id, sorted(view.identifiers)]);
      for (const i of identifiers) expect([id, i.value, i.dataset, i.release, cites(i.record, id)]).toEqual([id, i.value, 'ofac-sdn', '2024-05-03', true]);
      expect([id, n.dataset, n.release, n.record]).toEqual([id, 'ofac-sdn', view.release, view.record]);
    }

    // Every relationship: its type, wording and provenance as the subgraph gives them.
    const byEnds = (e: { source: unknown; target: unknown; type?: unknown; label?: unknown }) => `${e.source} ${e.target} ${e.type} ${e.label ?? ''}`;
    const read = new Map(g.edges.map((e) => [byEnds(e), e]));
    for (const e of api.edges) {
      const x = read.get(byEnds(e));
      expect([byEnds(e), x?.dataset, x?.release, x?.record]).toEqual([byEnds(e), e.dataset, e.release, e.record]);
    }
    const link = g.edges.find((e) => e.type === 'UNKNOWN_LINK' && e.target === CHINYONG)!;
    expect(link).toMatchObject({ label: 'Linked To', dataset: 'ofac-sdn', release: '2024-05-03' });
    expect(cites(link.record as string, link.source as string)).toBe(true);
  });
});

describe('CSV read with csv-parse', () => {
  test('every alias, identifier, address and program of every exported party is a row with provenance, as the entity view says', async () => {
    const files = unzipSync(new Uint8Array(await download(`${NETWORK}&format=csv`)));
    const read = (name: string) => {
      expect(Object.keys(files)).toContain(name);
      return parseCsv(strFromU8(files[name]), { bom: true, columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    };
    const nodes = read('nodes.csv');
    const api = await network();
    expect(nodes.map((n) => n.id).sort()).toEqual(api.nodes.map((n) => n.id).sort());
    const partyIds = nodes.filter((n) => isParty(n.kind)).map((n) => n.id);
    const views = await entities(partyIds);
    expect(views.size).toBe(partyIds.length);

    const tables = { aliases: read('aliases.csv'), identifiers: read('identifiers.csv'), addresses: read('addresses.csv'), programs: read('programs.csv') };
    // The export must hold facts of every kind for the comparison to mean anything.
    for (const [name, rows] of Object.entries(tables)) expect([name, rows.length > 0]).toEqual([name, true]);
    const rowsOf = (rows: Record<string, string>[], id: string) => rows.filter((r) => r.partyId === id);
    const orNull = (s: string) => (s === '' ? null : s);
    for (const id of partyIds) {
      const view = views.get(id)!;
      expect([id, sorted(rowsOf(tables.aliases, id).map((r) => ({ name: r.name, type: r.type, quality: orNull(r.quality) })))]).toEqual([id, sorted(view.aliases)]);
      expect([
        id,
        sorted(rowsOf(tables.identifiers, id).map((r) => ({ id: r.identifierId, type: r.type, value: r.value, country: orNull(r.country), label: orNull(r.label) }))),
      ]).toEqual([id, sorted(view.identifiers)]);
      expect([id, sorted(rowsOf(tables.addresses, id).map((r) => ({ id: r.addressId, full: r.full, city: orNull(r.city), country: orNull(r.country) })))]).toEqual([
        id,
        sorted(view.addresses),
      ]);
      expect([id, rowsOf(tables.programs, id).map((r) => r.program).sort()]).toEqual([id, [...view.programs].sort()]);
    }
    // Each row cites the release and the record of the party it is about.
    for (const [name, rows] of Object.entries(tables)) {
      for (const r of rows) expect([name, r.partyId, r.dataset, r.release, cites(r.record, r.partyId)]).toEqual([name, r.partyId, 'ofac-sdn', '2024-05-03', true]);
    }

    const edges = read('edges.csv');
    expect(sorted(edges.map((e) => ({ id: e.id, source: e.source, target: e.target, type: e.type, label: orNull(e.label), dataset: orNull(e.dataset), release: orNull(e.release), record: orNull(e.record) })))).toEqual(
      sorted(api.edges),
    );
    const listings = read('listings.csv');
    expect(listings.map((l) => l.partyId).sort()).toEqual([...partyIds].sort());
    for (const l of listings) expect([l.partyId, l.datasets]).toEqual([l.partyId, views.get(l.partyId)!.datasets.join('; ')]);
    expect(read('datasets.csv')).toEqual([expect.objectContaining({ name: 'ofac-sdn', release: '2024-05-03' })]);
    const readme = strFromU8(files['README.txt']);
    expect(readme).toMatch(/ofac-sdn: release 2024-05-03/);
    for (const name of Object.keys(files).filter((f) => f.endsWith('.csv'))) expect(readme).toContain(`${name}:`);
  });
});

describe('Cytoscape.js JSON', () => {
  test('element data carry the same evidence', async () => {
    const json = JSON.parse((await download(`${NETWORK}&format=json`)).toString('utf8')) as {
      data: { datasets: { name: string; release: string }[] };
      elements: { nodes: { data: Record<string, unknown> }[]; edges: { data: Edge }[] };
    };
    expect(json.data.datasets).toEqual([expect.objectContaining({ name: 'ofac-sdn', release: '2024-05-03' })]);
    const api = await network();
    expect(sorted(json.elements.edges.map(({ data: e }) => ({ id: e.id, source: e.source, target: e.target, type: e.type, label: e.label, dataset: e.dataset, release: e.release, record: e.record })))).toEqual(
      sorted(api.edges),
    );
    const views = await entities([CHINYONG]);
    const node = json.elements.nodes.find((n) => n.data.id === CHINYONG)!.data;
    expect(node.aliases).toEqual(views.get(CHINYONG)!.aliases);
    expect(sorted((node.addresses as { id: string; full: string; city: string | null; country: string | null }[]).map(({ id, full, city, country }) => ({ id, full, city, country })))).toEqual(
      sorted(views.get(CHINYONG)!.addresses),
    );
    expect((node.programSources as { program: string }[]).map((p) => p.program)).toEqual(views.get(CHINYONG)!.programs);
  });
});

/**
 * FollowTheMoney's schemata as followthemoney/schema/*.yaml declare them (opensanctions/followthemoney):
 * each schema's own properties and what it extends; and the entity-typed properties with their range.
 */
const FTM: Record<string, { extends: string[]; props: string[] }> = {
  Thing: { extends: [], props: ['name', 'alias', 'previousName', 'weakAlias', 'country', 'summary', 'notes', 'description', 'sourceUrl', 'publisher', 'publisherUrl', 'wikidataId', 'keywords', 'topics', 'address', 'addressEntity', 'program', 'programId', 'createdAt', 'modifiedAt', 'retrievedAt'] },
  Interval: { extends: [], props: ['startDate', 'endDate', 'date', 'summary', 'description', 'recordId', 'sourceUrl', 'publisher', 'publisherUrl', 'modifiedAt', 'retrievedAt'] },
  Value: { extends: [], props: ['amount', 'currency', 'amountUsd', 'amountEur'] },
  LegalEntity: {
    extends: ['Thing'],
    props: ['email', 'phone', 'website', 'legalForm', 'incorporationDate', 'dissolutionDate', 'status', 'registrationNumber', 'idNumber', 'taxNumber', 'vatCode', 'jurisdiction', 'mainCountry', 'innCode', 'ogrnCode', 'okpoCode', 'leiCode', 'dunsCode', 'swiftBic'],
  },
  Person: { extends: ['LegalEntity'], props: ['title', 'firstName', 'lastName', 'birthDate', 'birthPlace', 'birthCountry', 'deathDate', 'position', 'nationality', 'citizenship', 'passportNumber', 'gender'] },
  Organization: { extends: ['LegalEntity'], props: ['imoNumber'] },
  Asset: { extends: ['Thing', 'Value'], props: [] },
  Company: { extends: ['Organization', 'Asset'], props: ['isinCode', 'registrationNumber', 'jurisdiction'] },
  Vehicle: { extends: ['Asset'], props: ['registrationNumber', 'type', 'model', 'buildDate', 'registrationDate'] },
  Vessel: { extends: ['Vehicle'], props: ['imoNumber', 'flag', 'tonnage', 'grossRegisteredTonnage', 'callSign', 'mmsi'] },
  Airplane: { extends: ['Vehicle'], props: ['serialNumber', 'icaoCode', 'manufacturer'] },
  Address: { extends: ['Thing'], props: ['full', 'remarks', 'postOfficeBox', 'street', 'street2', 'city', 'postalCode', 'region', 'state', 'country'] },
  Sanction: { extends: ['Interval'], props: ['entity', 'authority', 'authorityId', 'unscId', 'program', 'programId', 'programUrl', 'provisions', 'status', 'reason', 'country', 'listingDate'] },
  Identification: { extends: ['Interval'], props: ['holder', 'type', 'country', 'number', 'authority'] },
  Passport: { extends: ['Identification'], props: ['passportNumber'] },
  CryptoWallet: { extends: ['Thing', 'Value'], props: ['publicKey', 'privateKey', 'creationDate', 'currencySymbol', 'managingExchange', 'holder', 'balance', 'balanceDate'] },
  Interest: { extends: ['Interval'], props: ['role', 'status'] },
  Ownership: { extends: ['Interest'], props: ['owner', 'asset', 'percentage', 'sharesCount', 'ownershipType'] },
  Directorship: { extends: ['Interest'], props: ['director', 'organization'] },
  UnknownLink: { extends: ['Interest'], props: ['subject', 'object'] },
  Membership: { extends: ['Interest'], props: ['member', 'organization'] },
  Family: { extends: ['Interval'], props: ['person', 'relative', 'relationship'] },
  Associate: { extends: ['Interval'], props: ['person', 'associate', 'relationship'] },
};
const RANGE: Record<string, string> = {
  addressEntity: 'Address',
  entity: 'Thing',
  holder: 'LegalEntity',
  owner: 'LegalEntity',
  asset: 'Asset',
  director: 'LegalEntity',
  organization: 'Organization',
  subject: 'Thing',
  object: 'Thing',
  member: 'LegalEntity',
  person: 'Person',
  relative: 'Person',
  associate: 'Person',
};
const DATE_PROPS = ['birthDate', 'startDate', 'endDate', 'listingDate', 'date', 'incorporationDate'];
const COUNTRY_PROPS = ['country', 'nationality', 'citizenship', 'flag', 'jurisdiction'];
const isA = (schema: string, other: string): boolean => schema === other || (FTM[schema]?.extends ?? []).some((p) => isA(p, other));
const propsOf = (schema: string): string[] => [...(FTM[schema]?.props ?? []), ...(FTM[schema]?.extends ?? []).flatMap(propsOf)];

interface Stored {
  parties: string[];
  aliases: string[];
  identifiers: string[];
  addresses: string[];
  programs: string[];
  links: string[];
}

/** The parties with these ids, their facts and the links among them, as sorted lines (from Cypher). */
async function stored(ids: string[]): Promise<Stored> {
  const parties = await db.runWrite<{ id: string; name: string; kind: string; aliases: string[] }>(
    'MATCH (p:Party) WHERE p.id IN $ids RETURN p.id AS id, p.name AS name, p.kind AS kind, coalesce(p.aliasNames, []) AS aliases',
    { ids },
  );
  const facts = await db.runWrite<{ id: string; type: string; props: Record<string, unknown> }>(
    'MATCH (p:Party)-[r:HAS_ADDRESS|HAS_IDENTIFIER|SANCTION]->(f) WHERE p.id IN $ids RETURN p.id AS id, type(r) AS type, properties(f) AS props',
    { ids },
  );
  const links = await db.runWrite<{ from: string; type: string; to: string; label: string }>(
    `MATCH (a:Party)-[r:${LINK_TYPES.join('|')}]->(b:Party) WHERE a.id IN $ids AND b.id IN $ids RETURN a.id AS from, type(r) AS type, b.id AS to, r.label AS label`,
    { ids },
  );
  const of = (type: string) => facts.filter((f) => f.type === type);
  return {
    parties: parties.map((p) => `${p.id} ${p.kind} ${p.name}`).sort(),
    // By their normalised form (nameKey): the FtM import keeps one alias of those that differ only in
    // case, spacing or punctuation ("CH'OE, Ch'un-sik" and "CHOE, Chun Sik"), and none equal to the name.
    aliases: [...new Set(parties.flatMap((p) => p.aliases.filter((a) => nameKey(a) !== nameKey(p.name)).map((a) => `${p.id} ${nameKey(a)}`)))].sort(),
    // FtM writes countries as ISO codes, which the import names in English ("Korea, North" -> kp ->
    // "North Korea"): compared as the code both names mean.
    identifiers: of('HAS_IDENTIFIER').map((f) => `${f.id} ${f.props.type}:${f.props.value}:${isoCountryCode(f.props.country as string | null) ?? '-'}`).sort(),
    addresses: of('HAS_ADDRESS').map((f) => `${f.id} ${f.props.full}`).sort(),
    programs: of('SANCTION').map((f) => `${f.id} ${f.props.name}`).sort(),
    links: links.map((l) => `${l.from} -${l.type}-> ${l.to} (${l.label})`).sort(),
  };
}

describe('FollowTheMoney', () => {
  test("valid FtM: schemata, property names, ISO dates and countries, references and link ranges as followthemoney's schema says", async () => {
    const lines = (await download(`${NETWORK}&format=ftm`)).toString('utf8').trim().split('\n');
    const ftm = lines.map((l) => JSON.parse(l) as { id: string; schema: string; properties: Record<string, string[]> });
    const byId = new Map(ftm.map((e) => [e.id, e]));
    expect(byId.size).toBe(ftm.length);
    const schemata = new Set(ftm.map((e) => e.schema));
    // The network holds people, organisations, links, sanctions, addresses and identity documents.
    for (const s of ['Person', 'Organization', 'UnknownLink', 'Sanction', 'Address']) expect([s, schemata.has(s)]).toEqual([s, true]);
    for (const e of ftm) {
      expect([e.id, /^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$/.test(e.id)]).toEqual([e.id, true]);
      expect([e.id, Object.hasOwn(FTM, e.schema)]).toEqual([e.id, true]);
      const allowed = propsOf(e.schema);
      for (const [prop, values] of Object.entries(e.properties)) {
        expect([e.id, e.schema, prop, allowed.includes(prop)]).toEqual([e.id, e.schema, prop, true]);
        for (const v of values) {
          expect([e.id, prop, typeof v, v.trim() === v && v !== '']).toEqual([e.id, prop, 'string', true]);
          if (DATE_PROPS.includes(prop)) expect([e.id, prop, v]).toEqual([e.id, prop, expect.stringMatching(/^\d{4}(-\d{2}(-\d{2})?)?$/)]);
          if (COUNTRY_PROPS.includes(prop)) expect([e.id, prop, v]).toEqual([e.id, prop, expect.stringMatching(/^([a-z]{2}(-[a-z]+)?|suhh|yucs|cshh)$/)]);
          if (Object.hasOwn(RANGE, prop)) {
            const target = byId.get(v);
            expect([e.id, prop, v, target !== undefined && isA(target.schema, RANGE[prop])]).toEqual([e.id, prop, v, true]);
          }
        }
      }
      if (isA(e.schema, 'Thing') && e.schema !== 'Address' && e.schema !== 'CryptoWallet') expect([e.id, e.properties.name?.length]).toEqual([e.id, 1]);
    }
    // CHINYONG is a listed Organization with its alias, program and address, and a Sanction.
    const views = await entities([CHINYONG]);
    const chinyong = byId.get(CHINYONG)!;
    expect(chinyong.schema).toBe('Organization');
    expect(chinyong.properties.name).toEqual([views.get(CHINYONG)!.name]);
    expect([...(chinyong.properties.alias ?? []), ...(chinyong.properties.weakAlias ?? []), ...(chinyong.properties.previousName ?? [])].sort()).toEqual(
      views.get(CHINYONG)!.aliases.map((a) => a.name).sort(),
    );
    expect(chinyong.properties.topics).toEqual(['sanction']);
    const sanction = ftm.find((e) => e.schema === 'Sanction' && e.properties.entity?.includes(CHINYONG))!;
    expect(sanction.properties.program).toEqual(views.get(CHINYONG)!.programs);
    expect(cites(sanction.properties.recordId?.[0], CHINYONG)).toBe(true);
  });

  test('the CHINYONG network re-imported with the FtM ingest as a new dataset: the same parties, aliases, identifiers, addresses, programs and links', async () => {
    const file = path.join(tmp, 'entities.ftm.json');
    fs.writeFileSync(file, await download(`${NETWORK}&format=ftm`));
    const api = await network();
    const partyIds = api.nodes.filter((n) => isParty(n.kind)).map((n) => n.id);
    const before = await stored(partyIds);
    // The sample must show every kind of thing the round trip carries.
    for (const [k, v] of Object.entries(before)) expect([k, v.length > 0]).toEqual([k, true]);
    expect(before.identifiers.some((i) => !i.endsWith(':-'))).toBe(true);
    console.log(`FtM round trip of the CHINYONG network: ${Object.entries(before).map(([k, v]) => `${v.length} ${k}`).join(', ')}`);

    await resetDatabase(db);
    const { parsed } = await ingest(db, { ...LOAD_DEFAULTS, paths: [file], format: 'ftm', dataset: 'roundtrip', release: '2024-05-03' });
    expect(parsed.rejected).toEqual([]);
    const after = await stored(partyIds);
    expect(after.parties).toEqual(before.parties);
    expect(after.aliases).toEqual(before.aliases);
    expect(after.identifiers).toEqual(before.identifiers);
    expect(after.addresses).toEqual(before.addresses);
    expect(after.programs).toEqual(before.programs);
    expect(after.links).toEqual(before.links);
  });
});
