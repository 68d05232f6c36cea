/**
 * Paths ranked by evidence (`paths(rank: EVIDENCE)`) on the real Neo4j with OpenSanctions' real ZALA
 * data (../shared/data/sanctions/opensanctions-ftm/zala: FtM Ownership, Directorship and Family
 * records with addresses), read through the GraphQL API.
 *
 * How the pair was found: every party of the file was parsed with the project's FtM parser; for each
 * two parties that share an address or identifier node, a breadth-first search over OWNERSHIP and
 * DIRECTORSHIP links alone measured how far apart they are. Two pairs came out; this one, the drone
 * makers "Zala Aero" (NK-cPks3aTbes8k4aCerfBAzN) and Aeroscan (NK-iE6m5ryPeTAMZozfECVSL7), is two
 * ownership records away (Alexander ZAKHAROV owns both: ru-d8c939aa..., and 100% of Aeroscan:
 * ru-159c785a...), and two relationships away through the Moscow address both use. Both paths have two
 * relationships: fewest hops cannot tell them apart; evidence must put ownership first. The test reads
 * the graph itself (Cypher) for what it expects, rather than trusting the numbers above.
 */
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { EVIDENCE_WEIGHTS } from '../../server/core/model';
import { Database } from '../../server/core/neo4j/database';
import { apiQuery, LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

const ZALA = path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json');
/**
 * An official list too: OFAC's Consolidated list (ENHANCED_XML of 2025-01-10), found the same way.
 * RUSSIAN DIRECT INVESTMENT FUND MANAGEMENT COMPANY (ofac-18279) and VEB ENGINEERING LLC (ofac-18287)
 * are each "Owned or Controlled By" Vnesheconombank (ofac-17015) and both give the address
 * D 9 PROSPEKT AKADEMIKA SAKHAROVA, MOSCOW.
 */
const OFAC_CONS = path.join(SHARED, 'ofac-cons-enhanced-xml-2025-01-10', 'CONS_ENHANCED.XML');
const RDIF_MC = 'ofac-18279';
const VEB_ENGINEERING = 'ofac-18287';
const ZALA_AERO = 'NK-cPks3aTbes8k4aCerfBAzN';
const AEROSCAN = 'NK-iE6m5ryPeTAMZozfECVSL7';

const PATHS = `query($from: ID!, $to: ID!, $rank: PathRank, $mode: PathMode, $types: [RelationType!], $limit: Int) {
  paths(from: $from, to: $to, rank: $rank, mode: $mode, relationTypes: $types, limit: $limit) {
    length why strength
    nodes { id kind label }
    edges { id source target type dataset release record percentage }
    hops { text weight citation edges { id type dataset release record } }
  } }`;

interface Edge {
  id: string;
  source: string;
  target: string;
  type: string;
  dataset: string | null;
  release: string | null;
  record: string | null;
  percentage: string | null;
}
interface P {
  length: number;
  why: string;
  strength: number;
  nodes: { id: string; kind: string; label: string }[];
  edges: Edge[];
  hops: { text: string; weight: number; citation: string; edges: Edge[] }[];
}

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  // The file carries no publication date; its newest last_change is 2026-04-29.
  await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], format: 'ftm', dataset: 'zala', release: '2026-04-29' });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [OFAC_CONS] });
}, 600_000);
afterAll(async () => {
  await db.close();
});

async function paths(vars: Record<string, unknown>): Promise<P[]> {
  return (await apiQuery<{ paths: P[] }>(db, PATHS, vars)).paths;
}

const typesOf = (p: P) => p.edges.map((e) => e.type);

test('the real pair: an ownership chain and a shared address, both two relationships long (read from the graph)', async () => {
  const owners = await db.runWrite<{ owner: string }>(
    'MATCH (o:Party)-[:OWNERSHIP]->(:Party {id: $a}), (o)-[:OWNERSHIP]->(:Party {id: $b}) RETURN DISTINCT o.id AS owner',
    { a: ZALA_AERO, b: AEROSCAN },
  );
  expect(owners.length).toBeGreaterThan(0);
  const addresses = await db.runWrite<{ id: string }>('MATCH (:Party {id: $a})-[:HAS_ADDRESS]->(x:Address)<-[:HAS_ADDRESS]-(:Party {id: $b}) RETURN x.id AS id', {
    a: ZALA_AERO,
    b: AEROSCAN,
  });
  expect(addresses.length).toBeGreaterThan(0);
  // Fewest hops finds both, of equal length: hop count alone cannot order them.
  const hops = await paths({ from: ZALA_AERO, to: AEROSCAN, rank: 'HOPS', mode: 'ALL_SHORTEST', limit: 50 });
  expect(new Set(hops.map((p) => p.length))).toEqual(new Set([2]));
  expect(hops.some((p) => typesOf(p).every((t) => t === 'OWNERSHIP'))).toBe(true);
  expect(hops.some((p) => typesOf(p).every((t) => t === 'HAS_ADDRESS'))).toBe(true);
});

test('ranked by evidence, the ownership chain comes before the shared address, with why and citations', async () => {
  const ranked = await paths({ from: ZALA_AERO, to: AEROSCAN, rank: 'EVIDENCE', limit: 50 });
  const firstOwnership = ranked.findIndex((p) => typesOf(p).every((t) => t === 'OWNERSHIP'));
  const firstAddress = ranked.findIndex((p) => typesOf(p).includes('HAS_ADDRESS'));
  expect(firstOwnership).toBe(0);
  expect(firstAddress).toBeGreaterThan(firstOwnership);

  // Strength is the product of the steps' weights: two ownership steps; one shared address (two relationships, one step).
  const top = ranked[0];
  expect(top.strength).toBeCloseTo(EVIDENCE_WEIGHTS.OWNERSHIP ** 2, 9);
  const address = ranked[firstAddress];
  if (address.length === 2) expect(address.strength).toBeCloseTo(EVIDENCE_WEIGHTS.HAS_ADDRESS, 9);
  for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].strength).toBeGreaterThanOrEqual(ranked[i].strength - 1e-9);

  // The why line names the relationships, both parties' owner and the address, in path order.
  const owner = top.nodes[1];
  expect(top.hops.map((h) => h.text)).toEqual(top.edges.map((e) => expect.stringContaining(`${top.nodes.find((n) => n.id === e.source)!.label} owns `)));
  expect(top.why).toContain(`${owner.label} owns `);
  // The 100% the source states for Aeroscan is in the line where the relationship carries it.
  for (const e of top.edges) if (e.percentage) expect(top.why).toContain(`owns ${e.percentage}% of`);
  expect(top.edges.some((e) => e.percentage)).toBe(true);
  expect(address.why).toContain('share the address');
  expect(address.why).toContain(address.nodes[1].label);

  // Each hop cites dataset, release and record, the same as its relationships carry; the why line repeats them.
  for (const p of [top, address]) {
    expect(p.hops.flatMap((h) => h.edges.map((e) => e.id))).toEqual(p.edges.map((e) => e.id));
    for (const e of p.edges) {
      expect([e.id, e.dataset, e.release, typeof e.record, e.record!.length > 0]).toEqual([e.id, 'zala', '2026-04-29', 'string', true]);
      expect(p.why).toContain(e.record);
    }
    for (const h of p.hops) {
      expect(h.citation).toContain('zala 2026-04-29');
      for (const e of h.edges) expect(h.citation).toContain(e.record);
      expect(h.weight).toBe(EVIDENCE_WEIGHTS[h.edges[0].type as keyof typeof EVIDENCE_WEIGHTS]);
    }
  }
});

test('one strongest path (mode SHORTEST), and paths of fewest hops say why too', async () => {
  const [one, ...rest] = await paths({ from: ZALA_AERO, to: AEROSCAN, rank: 'EVIDENCE', mode: 'SHORTEST' });
  expect(rest).toEqual([]);
  expect(typesOf(one)).toEqual(['OWNERSHIP', 'OWNERSHIP']);
  const hops = await paths({ from: ZALA_AERO, to: AEROSCAN, mode: 'SHORTEST' });
  expect(hops).toHaveLength(1);
  expect(hops[0].why.length).toBeGreaterThan(0);
  expect(hops[0].hops.length).toBeGreaterThan(0);
});

test('ranking by evidence never follows a shared program, and says so when asked to', async () => {
  await expect(paths({ from: ZALA_AERO, to: AEROSCAN, rank: 'EVIDENCE', types: ['OWNERSHIP', 'SANCTION'] })).rejects.toThrow(/BAD_USER_INPUT.*rank EVIDENCE does not follow SANCTION/);
  // Over the default types no path passes through a Program node.
  const ranked = await paths({ from: ZALA_AERO, to: AEROSCAN, rank: 'EVIDENCE', limit: 50 });
  expect(ranked.length).toBeGreaterThan(1);
  for (const p of ranked) expect(p.nodes.filter((n) => n.kind === 'Program')).toEqual([]);
});

test('on an official list: the common owner both are "Owned or Controlled By" comes before their shared address, citing OFAC records', async () => {
  const [{ owner }] = await db.runWrite<{ owner: string }>('MATCH (:Party {id: $a})<-[:OWNERSHIP]-(o:Party)-[:OWNERSHIP]->(:Party {id: $b}) RETURN o.id AS owner LIMIT 1', {
    a: RDIF_MC,
    b: VEB_ENGINEERING,
  });
  const ranked = await paths({ from: RDIF_MC, to: VEB_ENGINEERING, rank: 'EVIDENCE', limit: 50 });
  expect(typesOf(ranked[0])).toEqual(['OWNERSHIP', 'OWNERSHIP']);
  expect(ranked[0].nodes[1].id).toBe(owner);
  const address = ranked.findIndex((p) => typesOf(p).includes('HAS_ADDRESS'));
  expect(address).toBeGreaterThan(0);
  // The source's wording is kept; each hop cites the list, its release and the record (line, uid, relationship).
  expect(ranked[0].why).toContain('owns');
  expect(ranked[0].why).toContain('("Owned or Controlled By")');
  for (const h of ranked[0].hops) expect(h.citation).toMatch(/^ofac-cons 2025-01-10, record CONS_ENHANCED\.XML:\d+ \(uid \d+, relationship \d+\)$/);
  expect(ranked[address].why).toContain('share the address');
  // Fewest hops first gives no such order: the 2-relationship address path ties with the chain.
  const hops = await paths({ from: RDIF_MC, to: VEB_ENGINEERING, rank: 'HOPS', mode: 'ALL_SHORTEST', limit: 50 });
  expect(hops.every((p) => p.length === 2)).toBe(true);
  expect(hops.some((p) => typesOf(p).includes('HAS_ADDRESS'))).toBe(true);
});
