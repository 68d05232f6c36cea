/**
 * The case report of a saved investigation on real data: the SDN excerpt of 2024-05-03 (CHINYONG and the
 * DPRK companies linked to it, JON Yun Gun) plus one hostile line made from JON's real line with a name
 * that is markup, and OpenSanctions' ZALA records (LLC CST, owned 51% by ZAKHAROV and 49% by JSC
 * Kalashnikov Concern). An investigation is saved through GraphQL with a reviewer key, and its report
 * read over HTTP: every part is there, what it says is what the API says (GraphQL's entity, canvas,
 * changes and ownership, read independently), the hostile name and note are text, never markup; an
 * unknown id is 404 NOT_FOUND; reads need what GraphQL reads need; the PDF is a PDF where Chromium is
 * installed and 501 where it is not.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, AppState } from '../../server/api/app';
import { sha256Hex } from '../../server/api/auth';
import { createGraphQLServer } from '../../server/api/graphql';
import { esc } from '../../server/core/report/html';
import { chromiumPath, pdfAvailable } from '../../server/core/report/pdf';
import { Database } from '../../server/core/neo4j/database';
import { accessSettings, REPO_ROOT } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

const EXCERPT = path.join(REPO_ROOT, 'test', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv');
const ZALA = path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json');
const CST = 'NK-abdzbEBkqyT29GyREbiURZ';
const KALASHNIKOV = 'NK-nR5AXM9AVPq4pQaSPSaVam';
const ZAKHAROV = 'NK-aU5ybkbRFJucf8YMwsJvDw';
const HOSTILE_NAME = 'JON <script>window.__pwned=1</script> & "Co" <img src=x onerror=alert(1)>';
const HOSTILE_ID = 'ofac-99990001';
const CANVAS = ['ofac-43379', 'ofac-48260', 'ofac-48261', 'ofac-48262', HOSTILE_ID, CST, KALASHNIKOV, ZAKHAROV];
const KEYS = { viewer: 'report-test-viewer-key-0123456789abcdef', reviewer: 'report-test-reviewer-key-0123456789abcdef' };

let db: Database;
let server: http.Server;
let base: string;
let tmp: string;
const graphql = createGraphQLServer();

/** The excerpt with one more line: JON Yun Gun's real line under another number and a name that is markup. */
function hostileExcerpt(dir: string): string {
  const lines = fs.readFileSync(EXCERPT, 'utf8').split(/\r?\n/).filter(Boolean);
  const jon = lines.find((l) => l.startsWith('48262,'))!;
  const file = path.join(dir, 'sdn.csv');
  fs.writeFileSync(file, [...lines, jon.replace(/^48262,"[^"]*"/, `99990001,"${HOSTILE_NAME.replace(/"/g, '""')}"`)].join('\n') + '\n');
  return file;
}

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await graphql.start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'case-report-'));
  await ingest(db, { ...LOAD_DEFAULTS, paths: [hostileExcerpt(tmp)], release: '2024-05-03' });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], dataset: 'opensanctions-zala', release: '2024-05-27' });
  const apiKeys = JSON.stringify([
    { owner: 'vera viewer', role: 'viewer', sha256: sha256Hex(KEYS.viewer) },
    { owner: 'rita reviewer', role: 'reviewer', sha256: sha256Hex(KEYS.reviewer) },
  ]);
  const state: AppState = { notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null } };
  const access = accessSettings({ AUDIT_DIR: path.join(tmp, 'audit'), API_KEYS_FILE: '', API_KEYS: apiKeys, ALLOW_ANONYMOUS_READS: '0' });
  server = http.createServer(createApp(state, graphql, access));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await graphql.stop();
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function gql(query: string, variables: Record<string, unknown>, key?: string): Promise<{ status: number; data?: any; errors?: { extensions: { code: string } }[] }> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

const SAVE = `mutation Save($input: InvestigationInput!) { saveInvestigation(input: $input) { id } }`;
const OPEN = `query Open($id: ID!) {
  investigation(id: $id) {
    name createdAt releases { dataset release }
    canvas { nodes { id kind label } edges { source target type label dataset release record } }
    changes { now { dataset release } summary }
  }
  datasets { name release }
}`;
const ENTITY = `query E($id: ID!) { entity(id: $id) { name programs datasets birthDates aliases { name } identifiers { value } addresses { full } record } }`;
const OWNERSHIP = `query O($id: ID!) { ownership(id: $id) { verdict total arithmetic chains { arithmetic } } }`;

/** The text of one section of the report (sections are not nested). */
const section = (html: string, id: string): string => {
  const m = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>\\n`).exec(html);
  if (!m) throw new Error(`the report has no section ${id}`);
  return m[1];
};

let saved: string;

test('the report of a saved investigation has every part, each saying what the API says, and no markup from the data', async () => {
  const positions = CANVAS.map((id, i) => ({ id, x: 100 * (i % 4), y: 120 * Math.floor(i / 4) }));
  const notes = [
    { node: HOSTILE_ID, text: 'Check this one </li><script>alert("note")</script>' },
    { node: CST, text: 'Majority owner is listed: 51% held by ZAKHAROV' },
  ];
  const save = await gql(SAVE, { input: { name: 'DPRK IT workers & ZALA <b>case</b>', nodeIds: CANVAS, positions, notes } }, KEYS.reviewer);
  expect(save.errors).toBeUndefined();
  saved = save.data.saveInvestigation.id;
  const { data } = await gql(OPEN, { id: saved }, KEYS.viewer);
  const inv = data.investigation;

  const res = await fetch(`${base}/api/investigations/${saved}/report.html`, { headers: { 'x-api-key': KEYS.viewer } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  const html = await res.text();

  // Self-contained: no script, no reference to anything outside the file.
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<[^>]*\s(src|href|srcset|xlink:href)\s*=/i);
  expect(html).not.toMatch(/url\(|@import/i);
  expect(html).not.toMatch(/<(img|link|iframe|object|embed)\b/i);
  // The hostile name and note are there, as text.
  expect(html).toContain(esc(HOSTILE_NAME));
  expect(html).toContain(esc(notes[0].text));

  // Title and date made.
  expect(html).toContain(`<h1>${esc('DPRK IT workers & ZALA <b>case</b>')}</h1>`);
  expect(html).toContain(inv.createdAt);
  // Releases used and loaded now, as the API lists them.
  const releases = section(html, 'releases');
  expect(inv.releases.length).toBe(2);
  for (const r of [...inv.releases, ...inv.changes.now]) expect(releases).toContain(`${esc(r.dataset)} <b>${esc(r.release)}</b>`);

  // The picture: one shape per canvas node, one line per relationship, each label escaped.
  const picture = section(html, 'picture');
  expect(picture.match(/<g class="node">/g)).toHaveLength(inv.canvas.nodes.length);
  expect(picture.match(/<g class="edge">/g) ?? []).toHaveLength(inv.canvas.edges.length);
  expect(inv.canvas.edges.length).toBeGreaterThan(0);
  for (const n of inv.canvas.nodes) expect(picture).toContain(esc(n.label.length > 40 ? n.label.slice(0, 39) : n.label));

  // The parties with their lists, programs, aliases, identifiers, addresses, birth dates (entity's answer).
  const parties = section(html, 'parties');
  for (const id of CANVAS) {
    const e = (await gql(ENTITY, { id }, KEYS.viewer)).data.entity;
    const block = new RegExp(`<section class="party" id="party-${id}">([\\s\\S]*?)</section>`).exec(parties)?.[1];
    expect(block).toBeDefined();
    expect(block).toContain(esc(e.name));
    for (const d of e.datasets) expect(block).toContain(esc(d));
    for (const p of e.programs) expect(block).toContain(esc(p));
    for (const a of e.aliases) expect(block).toContain(esc(a.name));
    for (const i of e.identifiers) expect(block).toContain(esc(i.value));
    for (const a of e.addresses) expect(block).toContain(esc(a.full));
    for (const b of e.birthDates) expect(block).toContain(esc(b));
    if (e.record) expect(block).toContain(esc(e.record));
  }
  // Relationships with their provenance: each canvas edge's dataset, release and record.
  const links = section(html, 'links');
  for (const e of inv.canvas.edges) {
    const row = links.split('<tr>').find((r) => r.includes(esc(e.source)) && r.includes(esc(e.target)) && r.includes(`<td class="cite">${esc(e.record ?? '—')}</td>`));
    expect(row).toBeDefined();
    expect(row).toContain(`<td class="cite">${esc(e.dataset)}</td><td class="cite">${esc(e.release)}</td>`);
  }
  // Paths: each link between two listed parties on the canvas (CHINYONG and its companies; ZAKHAROV,
  // Kalashnikov and CST are listed in ZALA's Sanction records) is a path of one step, cited.
  const paths = section(html, 'paths');
  const name = new Map<string, string>(inv.canvas.nodes.map((n: { id: string; label: string }) => [n.id, n.label]));
  const listedNow = new Set<string>();
  for (const id of CANVAS) if ((await gql(ENTITY, { id }, KEYS.viewer)).data.entity.datasets.length) listedNow.add(id);
  const direct = inv.canvas.edges.filter((e: { source: string; target: string; type: string }) => listedNow.has(e.source) && listedNow.has(e.target) && e.type !== 'SANCTION');
  expect(direct.length).toBeGreaterThan(0);
  for (const e of direct) {
    const item = paths.split('<li>').find((li) => li.includes(`<b>${esc(name.get(e.source)!)}</b>`) && li.includes(`<b>${esc(name.get(e.target)!)}</b>`));
    expect(item).toBeDefined();
    // One of the relationships between the two (ZAKHAROV both owns and directs CST), with its record.
    const between = direct.filter((x: { source: string; target: string }) => [x.source, x.target].sort().join() === [e.source, e.target].sort().join());
    expect(between.some((x: { record: string }) => item!.includes(esc(x.record)))).toBe(true);
  }
  // Ownership of each company, as Query.ownership says it.
  const own = section(html, 'ownership');
  const o = (await gql(OWNERSHIP, { id: CST }, KEYS.viewer)).data.ownership;
  expect(o.chains.length).toBeGreaterThan(0);
  expect(own).toContain(`Verdict: <b>${esc(o.verdict)}</b>; held by sanctioned parties: <b>${o.total}`);
  for (const line of [...o.arithmetic, ...o.chains.map((c: { arithmetic: string }) => c.arithmetic)]) expect(own).toContain(esc(line));
  // The notes and the changes since it was saved.
  const notesHtml = section(html, 'notes');
  for (const n of notes) expect(notesHtml).toContain(esc(n.text));
  const changes = section(html, 'changes');
  expect(inv.changes.summary.length).toBeGreaterThan(0);
  for (const line of inv.changes.summary) expect(changes).toContain(esc(line));
}, 120_000);

test('an unknown id is 404 NOT_FOUND; reads need what GraphQL reads need', async () => {
  const res = await fetch(`${base}/api/investigations/inv-no-such-thing/report.html`, { headers: { 'x-api-key': KEYS.viewer } });
  expect(res.status).toBe(404);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  const pdf = await fetch(`${base}/api/investigations/inv-no-such-thing/report.pdf`, { headers: { 'x-api-key': KEYS.viewer } });
  expect(pdf.status).toBe(pdfAvailable() ? 404 : 501);

  const anonymousGraphql = await gql('{ investigations { id } }', {});
  const anonymous = await fetch(`${base}/api/investigations/${saved}/report.html`);
  expect(anonymousGraphql.status).toBe(401);
  expect(anonymous.status).toBe(anonymousGraphql.status);
  expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe(anonymousGraphql.errors![0].extensions.code);
});

test(`the PDF is Chromium's print of the report where Chromium is installed (${chromiumPath()}), else 501 saying so`, async () => {
  const res = await fetch(`${base}/api/investigations/${saved}/report.pdf`, { headers: { 'x-api-key': KEYS.viewer } });
  if (pdfAvailable()) {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(body.length).toBeGreaterThan(1000);
  } else {
    expect(res.status).toBe(501);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('PDF_UNAVAILABLE');
    expect(error.message).toContain('Chromium');
  }
}, 120_000);

test('without Chromium (CHROMIUM_PATH naming no program) the PDF route answers 501 PDF_UNAVAILABLE, saying to use the HTML', async () => {
  const before = process.env.CHROMIUM_PATH;
  process.env.CHROMIUM_PATH = path.join(tmp, 'no-chromium-here');
  try {
    const res = await fetch(`${base}/api/investigations/${saved}/report.pdf`, { headers: { 'x-api-key': KEYS.viewer } });
    expect(res.status).toBe(501);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('PDF_UNAVAILABLE');
    expect(error.message).toContain(path.join(tmp, 'no-chromium-here'));
    expect(error.message).toContain('report.html');
  } finally {
    if (before === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = before;
  }
});
