/**
 * Screening and network exposure (issue 13 items 1-3) over the real Neo4j with real lists loaded (the
 * OFAC SDN of 2024-04-26, then of 2024-05-03, which delists EMPEROR AVIATION LTD, ent_num 38556, and
 * its aircraft; and OpenSanctions' zala dataset, whose AEROSCAN holds an email but is under no
 * sanctions program itself, owned by the sanctioned Aleksandr Zakharov), called over HTTP as a client
 * would: POST /graphql and POST /api/screen.
 *
 * The seed case is the DPRK IT-worker network of the 2024-05-03 list: CHINYONG INFORMATION TECHNOLOGY
 * COOPERATION COMPANY (43379), LIMITED LIABILITY COMPANY ALIS (48260, Tax ID 2543103179 (Russia),
 * "Linked To" CHINYONG), PIONEER BENCONT STAR REAL ESTATE (48261, "Linked To" CHINYONG) and JON Yun
 * Gun (48262, passport 927233154, "Linked To" PIONEER). That release's sdn.csv states no email, phone,
 * website or wallet for those four (their remarks hold none), so those identifier kinds are screened
 * with the DPRK cyber entries that have them: SINBAD (44437, DPRK3: email, website, bech32 wallet) and
 * TIAN Yinyin (28263, DPRK3: phone 8613621583465).
 */
import http from 'node:http';
import path from 'node:path';
import { createApp, AppState } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

let db: Database;
let server: http.Server;
let base: string;
const state: AppState = { notReady: null, db: null, neo4j: { uri: 'test', embedded: false, version: null } };
const graphql = createGraphQLServer();

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  for (const release of ['2024-04-26', '2024-05-03']) {
    await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, `ofac-sdn-csv-${release}`, 'sdn.csv')], release });
  }
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json')], dataset: 'opensanctions-zala', release: '2024-05-27' });
  state.db = db;
  await graphql.start();
  server = http.createServer(createApp(state, graphql));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // The first request after a load builds the in-memory indexes (the name search's, screening's name
  // counts): seconds on this shared machine, which these tests, about answers, should not race.
  await screen({ name: 'warm up' }, { threshold: 0 });
  // Three loads (each with its match refresh) on a shared 2-core machine.
}, 900_000);
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await graphql.stop();
  await db.close();
});

type Body = { data?: Record<string, any>; errors?: { message: string; extensions: { code: string } }[] };
async function gql(query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as Body };
}

const PATH = 'path { length nodes { id kind label } edges { type source target label dataset release record } }';
const SCREEN = `query($input: ScreenInput!, $first: Int, $threshold: Float) {
  screen(input: $input, first: $first, threshold: $threshold) {
    threshold identifiers { label value }
    matches { score entity { id name datasets programs delistedOn firstSeen } explanation { label value }
      exposure { distance explanation entity { id name programs datasets } ${PATH} } } } }`;

interface Exposure { distance: number; explanation: string[]; entity: { id: string; programs: string[]; datasets: string[] }; path: { length: number; nodes: { id: string; kind: string }[]; edges: { type: string; source: string; target: string; dataset: string; release: string; record: string }[] } }
interface Match { score: number; entity: { id: string; name: string; datasets: string[]; programs: string[]; delistedOn: string | null }; explanation: { label: string; value: string }[]; exposure: Exposure[] }

async function screen(input: Record<string, unknown>, more: Record<string, unknown> = {}): Promise<{ matches: Match[]; identifiers: { label: string; value: string }[]; threshold: number }> {
  const { body } = await gql(SCREEN, { input, ...more });
  expect(body.errors).toBeUndefined();
  return body.data!.screen;
}

/** Every exposure path is a path: it starts at the match, ends at the party, each edge joins its two nodes, no Program in it. */
function checkPaths(from: string, exposures: Exposure[]): void {
  for (const e of exposures) {
    expect(e.path.nodes[0].id).toBe(from);
    expect(e.path.nodes.at(-1)!.id).toBe(e.entity.id);
    expect(e.path.length).toBe(e.distance);
    expect(e.path.edges).toHaveLength(e.distance);
    e.path.edges.forEach((edge, i) => {
      expect([edge.source, edge.target].sort()).toEqual([e.path.nodes[i].id, e.path.nodes[i + 1].id].sort());
      expect(edge.type).not.toBe('SANCTION');
      expect(edge.type).not.toBe('POSSIBLY_SAME_AS');
      expect(['ofac-sdn', 'opensanctions-zala']).toContain(edge.dataset);
      expect(edge.release).toMatch(/^2024-0[45]-\d\d$/);
      expect(edge.record).toMatch(edge.dataset === 'ofac-sdn' ? /^sdn\.csv:\d+ \(ent_num \d+\)$/ : /^entities\.ftm\.json:\d+/);
    });
    for (const n of e.path.nodes) expect(n.kind).not.toBe('Program');
    // A sanctioned party: listed, under a program.
    expect(e.entity.datasets.length).toBeGreaterThan(0);
    expect(e.entity.programs.length).toBeGreaterThan(0);
  }
  const distances = exposures.map((e) => e.distance);
  expect(distances).toEqual([...distances].sort((a, b) => a - b));
}

const reach = (m: Match) => new Map(m.exposure.map((e) => [e.entity.id, e]));

describe('the seed case: the DPRK IT-worker network', () => {
  test('a misspelt company name finds PIONEER BENCONT STAR, with the path to CHINYONG and the others', async () => {
    const { matches } = await screen({ name: 'Pioneer Bencont Star Real Estat' });
    const m = matches[0];
    expect(m.entity.id).toBe('ofac-48261');
    expect(m.score).toBeGreaterThanOrEqual(0.7);
    expect(m.score).toBeLessThan(1);
    expect(m.explanation.find((f) => f.label === 'Name')!.value).toMatch(/^Pioneer Bencont Star Real Estat ~ PIONEER BENCONT STAR REAL ESTATE: similarity 0\.9\d/);
    expect(m.explanation).toEqual(expect.arrayContaining([{ label: 'Lists', value: 'ofac-sdn' }, { label: 'Programs', value: 'DPRK2' }]));
    expect(m.explanation.find((f) => f.label === 'Listed on')!.value).toMatch(/first in its release of 2024-0[45]-\d\d/);
    checkPaths('ofac-48261', m.exposure);
    const chinyong = reach(m).get('ofac-43379')!;
    expect(chinyong.distance).toBe(1);
    expect(chinyong.path.edges[0]).toMatchObject({ type: 'UNKNOWN_LINK', source: 'ofac-48261', target: 'ofac-43379', label: 'Linked To', record: 'sdn.csv:14529 (ent_num 48261)' });
    expect(chinyong.explanation).toEqual(['PIONEER BENCONT STAR REAL ESTATE (ofac-48261) linked to CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY (ofac-43379) (ofac-sdn 2024-05-03: sdn.csv:14529 (ent_num 48261))']);
    expect(reach(m).get('ofac-48260')?.distance).toBe(2);
    expect(reach(m).get('ofac-48262')?.distance).toBe(1);
  });

  test('a tax id typed without its type finds ALIS, one link from CHINYONG', async () => {
    const { matches, identifiers } = await screen({ identifiers: [{ value: '2543103179' }] });
    expect(identifiers[0].value).toMatch(/found taxId:RUSSIA:2543103179, held by 1 party/);
    expect(matches.map((m) => m.entity.id)).toEqual(['ofac-48260']);
    expect(matches[0].explanation.find((f) => f.label === 'Found by identifier')!.value).toBe('taxId 2543103179 (Russia), held by this party (ofac-sdn 2024-05-03: sdn.csv:14528 (ent_num 48260))');
    checkPaths('ofac-48260', matches[0].exposure);
    expect(reach(matches[0]).get('ofac-43379')?.distance).toBe(1);
  });

  test('a passport number as a user types it finds JON Yun Gun, two links from CHINYONG through PIONEER', async () => {
    const { matches } = await screen({ identifiers: [{ type: 'passport', value: '927 233 154' }] });
    expect(matches[0].entity.id).toBe('ofac-48262');
    const chinyong = reach(matches[0]).get('ofac-43379')!;
    expect(chinyong.distance).toBe(2);
    expect(chinyong.path.nodes.map((n) => n.id)).toEqual(['ofac-48262', 'ofac-48261', 'ofac-43379']);
    checkPaths('ofac-48262', matches[0].exposure);
  });

  test('an email, a website, a wallet and a phone, typed loosely, find their holders', async () => {
    for (const [value, id] of [
      ['Support@SINBAD.io', 'ofac-44437'],
      ['https://www.sinbad.io/en/', 'ofac-44437'],
      ['BC1QQ7P0ES3DV5HCYNJJF40F2XJJR6QP5PY47D2F6N847VDUUQ9GVNYQ7Y9ECD', 'ofac-44437'],
      ['+86 136 2158 3465', 'ofac-28263'],
    ]) {
      const { matches } = await screen({ identifiers: [{ value }] });
      expect([value, matches.map((m) => m.entity.id)]).toEqual([value, [id]]);
      expect(matches[0].explanation.map((f) => f.label)).toContain('Shared identifier');
    }
  });

  test('the same party found by name and identifier scores higher than by either', async () => {
    const both = (await screen({ name: 'LIMITED LIABILITY COMPANY ALIS', identifiers: [{ type: 'taxId', value: '2543103179' }] })).matches[0];
    const name = (await screen({ name: 'LIMITED LIABILITY COMPANY ALIS' })).matches[0];
    const tax = (await screen({ identifiers: [{ type: 'taxId', value: '2543103179' }] })).matches[0];
    expect([both.entity.id, name.entity.id, tax.entity.id]).toEqual(['ofac-48260', 'ofac-48260', 'ofac-48260']);
    expect(both.score).toBeGreaterThan(Math.max(name.score, tax.score));
    expect(both.score).toBeLessThan(1);
  });
});

test('a made-up clean name screens to nothing above the threshold', async () => {
  for (const name of ['Zephyrine Quolloway Holdings', 'Marguerite Okonkwo-Lindqvist']) {
    const { matches, threshold } = await screen({ name });
    expect(threshold).toBe(0.7);
    expect(matches).toEqual([]);
    // What was found, all far below it.
    for (const m of (await screen({ name }, { threshold: 0 })).matches) expect(m.score).toBeLessThan(0.5);
  }
});

test('a conflicting birth year lowers the score below the threshold and says so; an agreeing one raises it', async () => {
  const agree = (await screen({ name: 'Jon Yun Gun', kind: 'individual', birthDate: '1973', country: 'Korea, North' })).matches[0];
  const conflict = (await screen({ name: 'Jon Yun Gun', kind: 'individual', birthDate: '1985' }, { threshold: 0 })).matches.find((m) => m.entity.id === 'ofac-48262')!;
  expect(agree.entity.id).toBe('ofac-48262');
  expect(agree.score).toBeGreaterThan(conflict.score);
  expect(conflict.score).toBeLessThan(0.7);
  expect(conflict.explanation.find((f) => f.label === 'Birth date')!.value).toBe('different years: this lowers the score: 1985 given / listed 22 Apr 1973 (-3.00)');
  expect((await screen({ name: 'Jon Yun Gun', kind: 'individual', birthDate: '1985' })).matches.map((m) => m.entity.id)).not.toContain('ofac-48262');
});

test('a different passport number lowers the score and says so', async () => {
  const plain = (await screen({ name: 'Jon Yun Gun', kind: 'Person' }, { threshold: 0 })).matches.find((m) => m.entity.id === 'ofac-48262')!;
  const other = (await screen({ name: 'Jon Yun Gun', kind: 'Person', identifiers: [{ type: 'passport', value: '563220082', country: 'Korea, North' }] }, { threshold: 0 })).matches.find((m) => m.entity.id === 'ofac-48262')!;
  expect(other.score).toBeLessThan(plain.score);
  expect(other.explanation.find((f) => f.label === 'Conflicting identifier')!.value).toMatch(/^passport: 563220082 given \/ listed 927233154/);
});

test('a party found only through an identifier it holds, under no program itself, leads to the sanctioned owner through exposure', async () => {
  // zala's NK-9Xa4Kg7Y7nfccE7VcZt6Q6, a Russian LLC with INN 9715374145 and no Sanction entity, owned by
  // Aleksandr Zakharov (NK-aU5ybkbRFJucf8YMwsJvDw), who is under programs. (zala's parties that hold
  // emails are all under programs themselves.)
  const { matches } = await screen({ identifiers: [{ value: '9715-374-145' }] });
  expect(matches).toHaveLength(1);
  const llc = matches[0];
  expect(llc.entity).toMatchObject({ id: 'NK-9Xa4Kg7Y7nfccE7VcZt6Q6', datasets: ['opensanctions-zala'], programs: [] });
  expect(llc.explanation).toContainEqual({ label: 'Programs', value: 'none: in a dataset without a sanctions program (see its exposure)' });
  const owner = llc.exposure.find((e) => e.entity.id === 'NK-aU5ybkbRFJucf8YMwsJvDw')!;
  expect(owner).toMatchObject({ distance: 1, entity: { datasets: ['opensanctions-zala'] } });
  expect(owner.entity.programs).toContain('US-RUSHAR');
  expect(owner.path.edges[0]).toMatchObject({ type: 'OWNERSHIP', source: 'NK-aU5ybkbRFJucf8YMwsJvDw', target: 'NK-9Xa4Kg7Y7nfccE7VcZt6Q6', dataset: 'opensanctions-zala', release: '2024-05-27' });
  expect(owner.explanation[0]).toMatch(/^Alexander Vyacheslavovich ZAKHAROV \(NK-aU5ybkbRFJucf8YMwsJvDw\) owns \("Ownership"\) .+ \(NK-9Xa4Kg7Y7nfccE7VcZt6Q6\) \(opensanctions-zala 2024-05-27: entities\.ftm\.json:\d+ /);
  checkPaths(llc.entity.id, llc.exposure);
  // Its own exposure reaches further through the owner; none of it is the LLC itself.
  expect(llc.exposure.map((e) => e.entity.id)).not.toContain('NK-9Xa4Kg7Y7nfccE7VcZt6Q6');
});

test('delisted parties are passed through, never reported: the aircraft of delisted EMPEROR AVIATION reach KERIMOVA through the link EMPEROR AVIATION stated', async () => {
  // EMPEROR AVIATION (38556) and its aircraft are delisted by 2024-05-03; the link to KERIMOVA (38279,
  // still listed) is EMPEROR AVIATION's own statement of 2024-04-26, which it keeps (README "Loading
  // lists"): 9H-EAA -> EMPEROR AVIATION -> KERIMOVA. The delisted party is a step of the path, never an
  // exposure of its own.
  const { body } = await gql(`{ entity(id: "ofac-38559") { name delistedOn exposure { distance entity { id datasets } ${PATH} } } neighborhood(ids: ["ofac-38559"]) { nodes { id } } }`);
  const entity = body.data!.entity as { name: string; delistedOn: string; exposure: Exposure[] };
  expect([entity.name, entity.delistedOn]).toEqual(['9H-EAA', '2024-05-03']);
  expect(body.data!.neighborhood.nodes.map((n: { id: string }) => n.id)).toContain('ofac-38556');
  expect(entity.exposure.length).toBeGreaterThan(0);
  for (const e of entity.exposure) expect([e.entity.id, e.entity.datasets.length > 0]).toEqual([e.entity.id, true]);
  expect(entity.exposure.map((e) => e.entity.id)).not.toContain('ofac-38556');
  const [nearest] = entity.exposure;
  expect([nearest.entity.id, nearest.distance, nearest.path.nodes.map((n) => n.id)]).toEqual(['ofac-38279', 2, ['ofac-38559', 'ofac-38556', 'ofac-38279']]);
  const kept = nearest.path.edges[1];
  expect([kept.source, kept.target, kept.release]).toEqual(['ofac-38556', 'ofac-38279', '2024-04-26']);
  expect(kept.record).toMatch(/\(ent_num 38556\)/);
});

describe('exposure', () => {
  const EXPOSURE = `query($id: ID!, $maxHops: Int) { exposure(id: $id, maxHops: $maxHops) { distance explanation entity { id programs datasets } ${PATH} } }`;

  test('never through a Program: SINBAD, whose programs join hundreds, is near no sanctioned party', async () => {
    const { body } = await gql(`{ entity(id: "ofac-44437") { programs exposure(maxHops: 6) { distance } } }`);
    expect(body.data!.entity.programs).toEqual(['DPRK3', 'CYBER2']);
    expect(body.data!.entity.exposure).toEqual([]);
  });

  test('a shared identifier is a hop, and the path says so', async () => {
    // Phone numbers the 2024-05-03 list gives more than one party.
    const shared = await db.read<{ id: string; holders: string[] }>('api-screen-identifiers', {
      lookups: [{ index: 0, keys: ['phone:+8615815351839'], types: [], suffix: null }], perIdentifier: 10, seq: 1e9, hidden: [], clean: true,
    });
    const holders = shared[0].holders.map((h: unknown) => (h as { id: string }).id);
    expect(holders.length).toBeGreaterThan(1);
    const { body } = await gql(EXPOSURE, { id: holders[0] });
    // (They share more than the phone: the path goes through one of the identifiers they share.)
    const viaPhone = (body.data!.exposure as Exposure[]).find((e) => e.entity.id === holders[1])!;
    expect(viaPhone.distance).toBe(2);
    expect(viaPhone.path.nodes[1].kind).toBe('Identifier');
    expect(viaPhone.explanation[0]).toMatch(/ shares identifier \S+ with /);
    checkPaths(holders[0], body.data!.exposure);
    // From the identifier node itself: its holders, one hop away.
    const fromNode = (await gql(EXPOSURE, { id: 'phone:+8615815351839', maxHops: 1 })).body.data!.exposure as Exposure[];
    expect(fromNode.map((e) => e.entity.id).sort()).toEqual([...holders].sort());
    expect(fromNode[0].explanation[0]).toMatch(/^identifier .* is held by /);
  });

  test('nearest first within maxHops; the bounds are checked', async () => {
    const one = (await gql(EXPOSURE, { id: 'ofac-48262', maxHops: 1 })).body.data!.exposure as Exposure[];
    expect(one.map((e) => e.entity.id)).toEqual(['ofac-48261']);
    const three = (await gql(EXPOSURE, { id: 'ofac-48262', maxHops: 3 })).body.data!.exposure as Exposure[];
    expect(three.map((e) => [e.entity.id, e.distance])).toEqual([['ofac-48261', 1], ['ofac-43379', 2], ['ofac-48260', 3]]);
    expect((await gql(EXPOSURE, { id: 'no-such-node' })).body.data!.exposure).toEqual([]);
    const bad = await gql(EXPOSURE, { id: 'ofac-48262', maxHops: 7 });
    expect(bad.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

test('a name the search refuses (more than 12 words, or no letters) does not fail a screen that has identifiers: they are used, and the answer says so', async () => {
  const long = 'Jon Yun Gun Pioneer Bencont Star Alis Chinyong Moscow Vladivostok Pyongyang Shenyang Dandong Harbin Sinuiju Nampo Wonsan Hamhung Kaesong Rason';
  for (const name of [long, '!!! ???']) {
    const { matches, identifiers } = await screen({ name, identifiers: [{ type: 'passport', value: '927 233 154' }] });
    expect(matches[0].entity.id).toBe('ofac-48262');
    expect(identifiers[0]).toEqual({ label: 'name', value: expect.stringMatching(/^not searched \(.+\); only the identifiers found candidates$/) });
  }
  // Without identifiers the refusal stands.
  const { body } = await gql(SCREEN, { input: { name: long } });
  expect(body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
});

describe('bad input', () => {
  test.each([
    ['empty input', {}, /a name or at least one identifier/],
    ['unknown kind', { name: 'ALIS', kind: 'spaceship' }, /kind "spaceship"/],
    ['malformed date', { name: 'ALIS', birthDate: '1973-13-45' }, /birthDate "1973-13-45" is not a birth date/],
    ['oversize identifier list', { identifiers: Array.from({ length: 21 }, (_, i) => ({ value: `x${i}@example.org` })) }, /at most 20/],
    ['unknown identifier type', { identifiers: [{ type: 'shoe size', value: '42' }] }, /not an identifier type/],
  ])('%s: BAD_USER_INPUT over GraphQL and HTTP 400 over /api/screen', async (_what, input, message) => {
    const { body } = await gql(SCREEN, { input });
    expect(body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0].message).toMatch(message);
    const res = await fetch(`${base}/api/screen`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe('BAD_USER_INPUT');
    expect(answer.error.message).toMatch(message);
  });

  test('first and threshold out of range; a field the schema does not know', async () => {
    expect((await gql(SCREEN, { input: { name: 'ALIS' }, first: 0 })).body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await gql(SCREEN, { input: { name: 'ALIS' }, threshold: 1.5 })).body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    const unknown = await gql(SCREEN, { input: { name: 'ALIS', nickname: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    const post = (body: string) => fetch(`${base}/api/screen`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post(JSON.stringify({ name: 'ALIS', first: 51 }))).status).toBe(400);
    expect((await post(JSON.stringify({ name: 'ALIS', threshold: 'high' }))).status).toBe(400);
    expect((await post(JSON.stringify([{ name: 'ALIS' }]))).status).toBe(400);
    const broken = await post('{"name": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });

  test('a request that would cost too much is refused before it runs', async () => {
    const costly = `query($input: ScreenInput!) { screen(input: $input, first: 50) { matches { exposure { entity { exposure(maxHops: 6) { ${PATH} } } } } } }`;
    const { status, body } = await gql(costly, { input: { name: 'ALIS' } });
    expect(status).toBe(400);
    expect(body.errors![0].extensions.code).toBe('QUERY_TOO_COSTLY');
  });
});

test('POST /api/screen answers the ScreenResult as JSON, exposure included', async () => {
  const res = await fetch(`${base}/api/screen`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Chinyong Informaton Technology Cooperation Co', kind: 'company', first: 3 }),
  });
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { threshold: number; matches: Match[] };
  expect(answer.threshold).toBe(0.7);
  expect(answer.matches[0].entity.id).toBe('ofac-43379');
  expect(answer.matches.length).toBeLessThanOrEqual(3);
  checkPaths('ofac-43379', answer.matches[0].exposure);
  expect(new Set(answer.matches[0].exposure.map((e) => e.entity.id))).toEqual(new Set(['ofac-48260', 'ofac-48261', 'ofac-48262']));
  // The same as the GraphQL answer.
  const viaGraphql = await screen({ name: 'Chinyong Informaton Technology Cooperation Co', kind: 'company' }, { first: 3 });
  expect(answer.matches.map((m) => [m.entity.id, m.score])).toEqual(viaGraphql.matches.map((m) => [m.entity.id, m.score]));
});

test('a store loaded before E.164 keys: its old phone key is still found, and the next load replaces it', async () => {
  // What a store loaded by the previous normalisation holds for TIAN Yinyin's "Phone Number 8613621583465":
  // the digits without the plus. (Last in this file: it reloads the list.)
  await db.runWrite("MATCH (i:Identifier {id: 'phone:+8613621583465'}) SET i.id = 'phone:8613621583465'");
  const before = await screen({ identifiers: [{ value: '+86 136 2158 3465' }] });
  expect(before.matches.map((m) => m.entity.id)).toEqual(['ofac-28263']);
  expect(before.identifiers[0].value).toMatch(/found phone:8613621583465/);
  // The loader MERGEs identifiers by key: the release re-states the phone under the new key, and the
  // relationship to the old node is replaced: kept only as history (PAST_HAS_IDENTIFIER, for reads as
  // of an earlier date), so the old node has no holder today.
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], release: '2024-05-03' });
  const keys = await db.runWrite<{ id: string; holders: number; past: number }>(
    "MATCH (i:Identifier) WHERE i.id IN ['phone:8613621583465', 'phone:+8613621583465'] RETURN i.id AS id, COUNT { (i)<-[:HAS_IDENTIFIER]-() } AS holders, COUNT { (i)<-[:PAST_HAS_IDENTIFIER]-() } AS past ORDER BY id",
  );
  expect(keys).toEqual([
    { id: 'phone:+8613621583465', holders: 1, past: 0 },
    { id: 'phone:8613621583465', holders: 0, past: 1 },
  ]);
  const after = await screen({ identifiers: [{ value: '+86 136 2158 3465' }] });
  expect(after.matches.map((m) => m.entity.id)).toEqual(['ofac-28263']);
  expect(after.identifiers[0].value).toMatch(/found phone:\+8613621583465,/);
}, 600_000);
