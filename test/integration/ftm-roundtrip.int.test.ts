/**
 * FollowTheMoney both ways, by the model's one declaration of the mapping (server/core/model.ts):
 *
 * 1. Round trip. The OFAC Consolidated list (ENHANCED_XML, 2025-01-10) is loaded; the neighbourhood of
 *    parties that own others (parties, ownership and other links, addresses, identifiers with and
 *    without their country, programs) is exported as FtM lines; the database is emptied and those lines are loaded as a new dataset with
 *    the ftm format. The parties (ids, names, kinds), their facts (address texts, identifiers by type,
 *    value and country, programs) and the links (type, direction, ends) come back. Expectations are read
 *    from the stored graph with Cypher, not from the exporter or the importer.
 *
 *    The export carries each party's evidence (export-evidence.ts: every address and identifier it
 *    states, not only those in the subgraph). What does not come back, by design of the format:
 *    - a kind FtM refines: an Ownership's asset must be an Asset in FtM (Company, Vessel, Airplane), so an
 *      owned Organization or LegalEntity is written, and comes back, as a Company (checked: every kind
 *      that changed is such an asset);
 *    - a placeholder (a party only named by a link) comes back as a listed LegalEntity;
 *    - an address's node id: it is keyed by street|city|country, which the import rebuilds from FtM's
 *      ISO country code; the full text comes back;
 *    - an identifier's country is written as FtM's ISO code and read back as its English name
 *      ("Korea, North" -> kp -> "North Korea"): compared here as the code both names mean.
 *    To make identifiers round-trip, the exporter writes each with its type (the FtM property the model
 *    names for it, or an Identification whose `type` is the model's type when it has a country, which a
 *    property cannot hold) and the importer reads that type back; the generic idNumber copy the export
 *    keeps beside a document is recognised as that document, not a second identifier.
 *    (export-evidence.int.test.ts does the same for the CHINYONG network of the SDN list, aliases too.)
 *
 * 2. A delta against real ids of a loaded export: MOD restates a party with a changed field, DEL delists
 *    one; the stored release snapshots and the party nodes show it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { neighborhood } from '../../server/api/graph';
import { readEvidence, serialize } from '../../server/api/export';
import { isoCountryCode } from '../../server/core/matching/countries';
import { readRelease, releaseId } from '../../server/core/releases';
import { REPO_ROOT } from '../../server/core/settings';
import { Database } from '../../server/core/neo4j/database';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

const CONS = path.join(SHARED, 'ofac-cons-enhanced-xml-2025-01-10');
const ZALA = path.join(REPO_ROOT, 'test', 'fixtures', 'ftm', 'zala-excerpt.ftm.json');

let db: Database;
let tmp: string;
beforeAll(async () => {
  db = testDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ftm-roundtrip-'));
});
afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Stored {
  parties: string[];
  addresses: string[];
  identifiers: string[];
  programs: string[];
  links: string[];
}

/** The parties with these ids, their facts and the links among them, as sorted lines (from Cypher). */
async function stored(ids: string[]): Promise<Stored> {
  const parties = await db.runWrite<{ id: string; name: string; kind: string }>(
    'MATCH (p:Party) WHERE p.id IN $ids RETURN p.id AS id, p.name AS name, p.kind AS kind',
    { ids },
  );
  const facts = await db.runWrite<{ id: string; type: string; props: Record<string, unknown> }>(
    'MATCH (p:Party)-[r:HAS_ADDRESS|HAS_IDENTIFIER|SANCTION]->(f) WHERE p.id IN $ids RETURN p.id AS id, type(r) AS type, properties(f) AS props',
    { ids },
  );
  const links = await db.runWrite<{ from: string; type: string; to: string; label: string }>(
    'MATCH (a:Party)-[r:OWNERSHIP|DIRECTORSHIP|FAMILY|ASSOCIATE|UNKNOWN_LINK]->(b:Party) WHERE a.id IN $ids AND b.id IN $ids ' +
      'RETURN a.id AS from, type(r) AS type, b.id AS to, r.label AS label',
    { ids },
  );
  const of = (type: string) => facts.filter((f) => f.type === type);
  return {
    parties: parties.map((p) => `${p.id} ${p.kind} ${p.name}`).sort(),
    addresses: of('HAS_ADDRESS').map((f) => `${f.id} ${f.props.full}`).sort(),
    identifiers: of('HAS_IDENTIFIER')
      .map((f) => `${f.id} ${f.props.type}:${f.props.value}:${isoCountryCode(f.props.country as string | null) ?? '-'}`)
      .sort(),
    programs: of('SANCTION').map((f) => `${f.id} ${f.props.name}`).sort(),
    links: links.map((l) => `${l.from} -${l.type}-> ${l.to} (${l.label})`).sort(),
  };
}

describe('FtM export, then import of that file into an empty database', () => {
  test('the same parties, facts and links come back', async () => {
    await resetDatabase(db);
    await ingest(db, { ...LOAD_DEFAULTS, paths: [CONS] });
    // Owners with an address and an identifier, and whatever is around them.
    const seeds = await db.runWrite<{ id: string }>(
      'MATCH (p:Party)-[:OWNERSHIP]->(:Party) WHERE EXISTS { (p)-[:HAS_ADDRESS]->() } AND EXISTS { (p)-[:HAS_IDENTIFIER]->() } ' +
        'RETURN DISTINCT p.id AS id ORDER BY id LIMIT 4',
    );
    const sub = await neighborhood(db, { ids: seeds.map((s) => s.id), depth: 2, limit: 120 });
    const partyIds = sub.nodes.filter((n) => !['Address', 'Identifier', 'Program'].includes(n.kind)).map((n) => n.id);
    const before = await stored(partyIds);
    // The sample must show every kind of thing the round trip carries.
    expect(before.parties.length).toBeGreaterThan(3);
    expect(before.links.filter((l) => l.includes('-OWNERSHIP->')).length).toBeGreaterThan(2);
    expect(before.addresses.length).toBeGreaterThan(0);
    expect(before.identifiers.some((i) => !i.endsWith(':-'))).toBe(true);
    expect(before.programs.length).toBeGreaterThan(0);
    console.log(`FtM round trip: ${Object.entries(before).map(([k, v]) => `${v.length} ${k}`).join(', ')}`);

    const file = path.join(tmp, 'entities.ftm.json');
    fs.writeFileSync(file, serialize(await readEvidence(db, sub), 'ftm'));
    // Valid FtM lines: an id, a schema and properties of string lists on each.
    for (const line of fs.readFileSync(file, 'utf8').trim().split('\n')) {
      const e = JSON.parse(line) as { id: string; schema: string; properties: Record<string, unknown[]> };
      expect(e.id).toMatch(/^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$/);
      expect(typeof e.schema).toBe('string');
      for (const values of Object.values(e.properties)) for (const v of values) expect(typeof v).toBe('string');
    }

    await resetDatabase(db);
    const { parsed } = await ingest(db, { ...LOAD_DEFAULTS, paths: [file], format: 'ftm', dataset: 'roundtrip', release: '2024-05-03' });
    expect(parsed.rejected).toEqual([]);
    const after = await stored(partyIds);
    // The same parties; a kind that changed is FtM's refinement of an owned asset (see above).
    const kinds = (lines: string[]) => new Map(lines.map((l) => [l.split(' ')[0], l.split(' ')[1]]));
    const [was, is] = [kinds(before.parties), kinds(after.parties)];
    const named = (lines: string[]) => lines.map((l) => l.split(' ').filter((_, i) => i !== 1).join(' '));
    expect(named(after.parties)).toEqual(named(before.parties));
    const refined = [...was].filter(([id, kind]) => is.get(id) !== kind);
    for (const [id, kind] of refined) {
      expect([id, kind, is.get(id), before.links.some((l) => l.includes('-OWNERSHIP-> ') && l.split(' ')[2] === id)]).toEqual([
        id,
        expect.stringMatching(/^(Organization|LegalEntity)$/),
        'Company',
        true,
      ]);
    }
    console.log(`FtM round trip: ${refined.length} owned organisations written as FtM Companies`);
    expect(after.addresses).toEqual(before.addresses);
    expect(after.identifiers).toEqual(before.identifiers);
    expect(after.programs).toEqual(before.programs);
    expect(after.links).toEqual(before.links);
  });
});

describe('an FtM delta against real ids of the loaded export', () => {
  test('MOD restates a party (modified), DEL delists one (removed, delistedOn)', async () => {
    await resetDatabase(db);
    await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], dataset: 'opensanctions-zala', release: '2024-05-27' });
    const lines = fs.readFileSync(ZALA, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; schema: string; properties: Record<string, string[]> });
    const people = lines.filter((e) => e.schema === 'Person');
    const company = lines.find((e) => e.schema === 'Company')!;
    expect(people.length).toBe(2);
    const [modified, untouched] = people;
    const changed = { ...modified, properties: { ...modified.properties, birthDate: ['1980-01-01'] } };
    const dir = path.join(tmp, 'delta');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, '20240601000000-abc.entities.delta.json'),
      [JSON.stringify({ op: 'MOD', entity: changed }), JSON.stringify({ op: 'DEL', entity: { id: company.id } })].join('\n') + '\n',
    );
    const { parsed } = await ingest(db, { ...LOAD_DEFAULTS, paths: [dir], dataset: 'opensanctions-zala' });
    expect(parsed.mode).toBe('delta');
    expect(parsed.release).toBe('2024-06-01');

    const [node] = await db.runWrite<{ delistedOn: string | null; datasets: string[] }>(
      'MATCH (p:Party {id: $id}) RETURN p.delistedOn AS delistedOn, p.datasets AS datasets',
      { id: company.id },
    );
    expect(node).toEqual({ delistedOn: '2024-06-01', datasets: [] });
    const [restated] = await db.runWrite<{ birthDates: string[]; delistedOn: string | null }>(
      'MATCH (p:Party {id: $id}) RETURN p.birthDates AS birthDates, p.delistedOn AS delistedOn',
      { id: modified.id },
    );
    expect(restated).toEqual({ birthDates: ['1980-01-01'], delistedOn: null });

    // The release snapshots "what changed" compares: the company removed, the person modified (its
    // digest differs), the other person as it was.
    const release = async (date: string) => {
      const r = (await readRelease((name, params) => db.read(name, params), releaseId('opensanctions-zala', date)))!;
      return new Map(r.ids.map((id, i) => [id, r.digests[i]]));
    };
    const a = await release('2024-05-27');
    const b = await release('2024-06-01');
    expect([...a.keys()].sort()).toEqual([...people.map((p) => p.id), company.id].sort());
    expect([...b.keys()].sort()).toEqual(people.map((p) => p.id).sort());
    expect(b.get(modified.id)).not.toBe(a.get(modified.id));
    expect(b.get(untouched.id)).toBe(a.get(untouched.id));
  });
});
