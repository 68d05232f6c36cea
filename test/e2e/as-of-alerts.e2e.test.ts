/**
 * The toolbar's "As of" date and the Alerts badge with the details panel's Watch button, in a real
 * Chromium against the real server, on real lines of the SDN list of 2024-04-26 then 2024-05-03
 * (EMPEROR AVIATION LTD and its aircraft, which 2024-05-03 delists; KERIMOVA and KERIMOV; MOUKALLED, and
 * the parties 2024-05-03 adds that say "Linked To: MOUKALLED").
 *
 * As of: EMPEROR AVIATION LTD opened with the date 2024-04-30 reads as listed (in ofac-sdn, no delisting),
 * with the date cleared (today) as delisted; the entity request carries `asOf` only when a date is set.
 * Alerts: Watch without a key shows the server's refusal and watches nothing; MOUKALLED watched from his
 * details with the tab's reviewer key, the next release loaded, the badge counts the API's alerts after a
 * reload and its list names the parties the load designated around him (and reads in the dark theme).
 * Screenshots: test-output/screenshots/as-of.png and alerts.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { encodeUrlState, EMPTY_URL_STATE } from '../../client/src/url-state';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, screenshot, takeProblems, watchPage } from './browser';
import { clickNode, detailsText, waitForCanvas, waitForLayout } from './explorer-page';

const REVIEW_KEY = 'e2e-as-of-alerts-review-key-0123456789';
const EMPEROR = 'ofac-38556';
const MOUKALLED = 'ofac-40536';

let db: Database;
let server: http.Server;
let origin: string;
let browser: Browser;
let dir: string;
const graphql = createGraphQLServer();
const watches: PageWatch[] = [];

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await graphql.start();
  server = http.createServer(createApp({ notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null }, reviewApiKey: REVIEW_KEY }, graphql));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'as-of-alerts-e2e-'));
}, 300_000);

afterEach(() => {
  expect(takeProblems(watches)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await graphql.stop();
  await db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The lines of an SDN file that `keep` keeps, as the file has them. */
function linesOf(file: string, keep: (num: string, line: string) => boolean): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\r\n')
    .filter((l) => /^\d+,/.test(l) && keep(l.slice(0, l.indexOf(',')), l));
}

const numOf = (line: string) => line.slice(0, line.indexOf(','));

/** The two releases' lines of the same few parties (as investigations.e2e.test.ts), written as SDN files. */
function releases(): { older: string; newer: string; added: string[]; delisted: string[] } {
  const kept = (num: string) => (+num >= 38556 && +num <= 38566) || ['38279', '24325', '40536'].includes(num);
  const olderLines = linesOf(path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv'), kept);
  const olderNums = new Set(olderLines.map(numOf));
  const linkedToMoukalled = (num: string, line: string) => !olderNums.has(num) && line.includes('Linked To: MOUKALLED, Hassan Ahmed.');
  const newerLines = linesOf(path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv'), (num, line) => kept(num) || linkedToMoukalled(num, line));
  const newerNums = new Set(newerLines.map(numOf));
  const write = (name: string, lines: string[]) => {
    const file = path.join(dir, `${name}.csv`);
    fs.writeFileSync(file, lines.map((l) => `${l}\r\n`).join('') + '\x1a');
    return file;
  };
  return {
    older: write('older', olderLines),
    newer: write('newer', newerLines),
    added: newerLines.filter((l) => !olderNums.has(numOf(l))).map((l) => `ofac-${numOf(l)}`),
    delisted: [...olderNums].filter((n) => !newerNums.has(n)).map((n) => `ofac-${n}`),
  };
}

async function loadOlder(file: string): Promise<void> {
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [file], release: '2024-04-26' });
}

async function loadNewer(file: string): Promise<void> {
  // Of these few parties most are delisted (8 of 11): real, so forced past the guard against truncated files.
  await ingest(db, { ...LOAD_DEFAULTS, paths: [file], release: '2024-05-03', force: true });
}

async function api<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** A page with the tab's key set to the reviewer key (what the API key dialog keeps). */
async function newPage(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  watches.push(watchPage(page, origin, name));
  await page.addInitScript((key) => {
    try {
      (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('sanctions-graph.apiKey', key);
    } catch {
      /* about:blank has no storage */
    }
  }, REVIEW_KEY);
  return page;
}

/** Clicks a node and waits for the details panel's answer to its entity request; returns that request's variables. */
async function openDetails(page: Page, id: string): Promise<Record<string, unknown>> {
  const isEntity = (body: string | null) => !!body && (JSON.parse(body) as { query: string }).query.includes('query Entity(');
  const response = page.waitForResponse((r) => r.url() === `${origin}/graphql` && isEntity(r.request().postData()));
  await clickNode(page, id);
  const res = await response;
  await page.waitForFunction((want) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=details] dl')?.textContent?.includes(want), `Id${id}`);
  return (JSON.parse(res.request().postData()!) as { variables: Record<string, unknown> }).variables;
}

/** WCAG contrast ratio of two CSS rgb()/rgba() colours (opaque ones: what getComputedStyle gives here). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = +v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The party's status tags in the details panel: its kind, then listed / delisted DATE / referenced only. */
async function statusTags(page: Page): Promise<string[]> {
  return page.getByTestId('details').locator('.status-tags .tag').allTextContents();
}

test('As of 2024-04-30 a party delisted on 2024-05-03 reads as listed in its dataset; with the date cleared, as delisted; set again, the open details follow; asOf is sent only when set; the link keeps the date', async () => {
  const { older, newer, delisted } = releases();
  expect(delisted).toContain(EMPEROR);
  await loadOlder(older);
  await loadNewer(newer);
  // What the API says of the party, as of the date and today (the data the panel must show).
  type E = { entity: { name: string; delistedOn: string | null; datasets: string[] } };
  const then = (await api<E>('query($id: ID!) { entity(id: $id, asOf: "2024-04-30") { name delistedOn datasets } }', { id: EMPEROR })).entity;
  const now = (await api<E>('query($id: ID!) { entity(id: $id) { name delistedOn datasets } }', { id: EMPEROR })).entity;
  expect(then).toEqual({ name: 'EMPEROR AVIATION LTD', delistedOn: null, datasets: ['ofac-sdn'] });
  expect(now.delistedOn).toBe('2024-05-03');
  expect(now.datasets).toEqual([]);

  const page = await newPage('as-of');
  // Every GraphQL request the page sends, to see which carry asOf.
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  page.on('request', (r) => {
    if (r.url() === `${origin}/graphql` && r.method() === 'POST') sent.push(JSON.parse(r.postData() ?? '{}'));
  });
  await page.goto(`${origin}/#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: [EMPEROR] })}`);
  await waitForCanvas(page, [EMPEROR]);
  await waitForLayout(page);
  // Nothing sent before a date is set carries asOf.
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.filter((s) => 'asOf' in (s.variables ?? {}))).toEqual([]);

  // The date: the details read as of it.
  await page.getByTestId('as-of').fill('2024-04-30');
  expect(await page.getByTestId('as-of').inputValue()).toBe('2024-04-30');
  const withDate = await openDetails(page, EMPEROR);
  expect(withDate).toEqual({ id: EMPEROR, asOf: '2024-04-30' });
  const listed = await detailsText(page);
  expect(listed).toContain(then.name);
  expect(listed).toContain(`Datasets${then.datasets.join(', ')}`);
  expect(listed).not.toContain('Delisted');
  expect((await statusTags(page)).slice(1)).toEqual(['listed']);
  await screenshot(page, 'as-of');

  // Cleared (today): closed and opened again, the party reads as delisted, and the request has no asOf.
  await page.getByTestId('as-of').fill('');
  // Esc (select none) is the canvas's key: not while the date input has the focus.
  await page.getByTestId('as-of').blur();
  await page.keyboard.press('Escape');
  await page.getByTestId('details').getByText('Select a node or a relationship').waitFor();
  const withoutDate = await openDetails(page, EMPEROR);
  expect(withoutDate).toEqual({ id: EMPEROR });
  const delistedText = await detailsText(page);
  expect(delistedText).toContain(`Delisted${now.delistedOn}`);
  expect(delistedText).toContain('Datasetsnone currently');
  expect((await statusTags(page)).slice(1)).toEqual([`delisted ${now.delistedOn}`]);
  // The date set again while the details are open: they are read again as of it, without reopening.
  await page.getByTestId('as-of').fill('2024-04-30');
  await page.getByTestId('as-of').blur();
  for (let i = 0; (await statusTags(page)).slice(1)[0] !== 'listed'; i++) {
    if (i > 100) throw new Error(`the open details were not read again as of 2024-04-30: ${JSON.stringify(await statusTags(page))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await detailsText(page)).toContain(`Datasets${then.datasets.join(', ')}`);
  // Of every entity request sent, only those made with the date carried it: opened with the date, read
  // again when it was cleared (the details were open), opened again without it, read again with it.
  const entityReads = sent.filter((s) => s.query.includes('query Entity('));
  expect(entityReads.map((s) => s.variables.asOf ?? null)).toEqual(['2024-04-30', null, null, '2024-04-30']);
  // The panel's last read (how many share each identifier) answered before the next test resets the store.
  await page.getByTestId('details').locator('[data-shared]').first().waitFor();

  // The link keeps the date (asof=): opened again, the date is set and the party reads as listed.
  await page.waitForFunction(() => /[#&]asof=2024-04-30(&|$)/.test((globalThis as unknown as { location: { hash: string } }).location.hash));
  await page.reload();
  await waitForCanvas(page, [EMPEROR]);
  await waitForLayout(page);
  expect(await page.getByTestId('as-of').inputValue()).toBe('2024-04-30');
  expect(await openDetails(page, EMPEROR)).toEqual({ id: EMPEROR, asOf: '2024-04-30' });
  expect((await statusTags(page)).slice(1)).toEqual(['listed']);
  await page.getByTestId('details').locator('[data-shared]').first().waitFor();
  await page.close();
}, 300_000);

test('Watch in the details panel, then a load of the next release: after a reload the Alerts badge counts the alerts and its list names the parties designated around the watched one', async () => {
  const { older, newer, added } = releases();
  expect(added.length).toBeGreaterThan(0);
  await loadOlder(older);

  // Without a key in the tab, Watch says why the server refused (as the API says it) and nothing is watched.
  const refused = (await (
    await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation { watch(id: "${MOUKALLED}", radius: 2) { id } }` }) })
  ).json()) as { errors: { message: string; extensions: { code: string } }[] };
  expect(refused.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  const keyless = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const keylessWatch = watchPage(keyless, origin, 'alerts-keyless');
  // The refusal is an HTTP 401, which the browser logs.
  keylessWatch.allowed.push(/status of 401 \(Unauthorized\)/);
  watches.push(keylessWatch);
  await keyless.goto(`${origin}/#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: [MOUKALLED] })}`);
  await waitForCanvas(keyless, [MOUKALLED]);
  await openDetails(keyless, MOUKALLED);
  await keyless.getByTestId('watch-button').click();
  await keyless.getByTestId('watch-button').getByText(refused.errors[0].message).waitFor();
  expect((await api<{ watches: unknown[] }>('{ watches { id } }')).watches).toEqual([]);
  await keyless.close();

  const page = await newPage('alerts');
  await page.goto(`${origin}/#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: [MOUKALLED] })}`);
  await waitForCanvas(page, [MOUKALLED]);
  await waitForLayout(page);
  // No alerts yet: the list says so and where to watch from.
  await expect(page.getByTestId('alerts-button').textContent()).resolves.toBe('Alerts');
  await page.getByTestId('alerts-button').click();
  await expect(page.getByRole('list', { name: 'Alerts' }).textContent()).resolves.toBe('No alerts. Watch a party (Watch in its details) to be told of changes around it after each load.');
  await page.getByTestId('alerts-button').click();
  await openDetails(page, MOUKALLED);
  await page.getByTestId('watch-button').click();
  await page.getByTestId('watch-button').getByText('Watched (radius 2)').waitFor();
  const { watches: watched } = await api<{ watches: { id: string; radius: number }[] }>('{ watches { id radius } }');
  expect(watched).toEqual([{ id: MOUKALLED, radius: 2 }]);

  await loadNewer(newer);
  // What the API recorded, and the names of the parties the load added (they say "Linked To: MOUKALLED").
  type A = { alerts: { total: number; alerts: { kind: string; partyId: string; message: string }[] } };
  const { alerts } = await api<A>('{ alerts(first: 500) { total alerts { kind partyId message } } }');
  expect(alerts.total).toBeGreaterThan(0);
  const designated = alerts.alerts.filter((a) => a.kind === 'DESIGNATION').map((a) => a.partyId);
  expect(designated.sort()).toEqual([...added].sort());
  const names = await Promise.all(added.map(async (id) => (await api<{ entity: { name: string } }>('query($id: ID!) { entity(id: $id) { name } }', { id })).entity.name));

  await page.reload();
  await page.getByTestId('alerts-button').getByText(`Alerts (${Math.min(alerts.total, 50)} new)`).waitFor();
  await page.getByTestId('alerts-button').click();
  const list = page.getByRole('list', { name: 'Alerts' });
  await list.waitFor();
  const items = await list.locator('li').allTextContents();
  expect(items).toEqual(alerts.alerts.slice(0, 50).map((a) => a.message));
  added.forEach((id, i) => expect(items.some((t) => t.includes(`${names[i]} (${id}) newly listed`))).toBe(true));
  await screenshot(page, 'alerts');
  // Seen: the badge no longer counts them.
  await page.getByTestId('alerts-button').click();
  await expect(page.getByTestId('alerts-button').textContent()).resolves.toBe('Alerts');

  // In the dark theme the list reads too: its text contrasts with its background (WCAG AA, 4.5:1).
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await page.getByTestId('alerts-button').click();
  type Css = { getComputedStyle(e: unknown): { color: string; backgroundColor: string } };
  const fg = await list.locator('li').first().evaluate((li) => (globalThis as unknown as Css).getComputedStyle(li).color);
  const bg = await list.evaluate((ul) => (globalThis as unknown as Css).getComputedStyle(ul).backgroundColor);
  expect({ fg, bg, contrast: contrast(fg, bg) >= 4.5 }).toEqual({ fg, bg, contrast: true });
  await page.close();
}, 300_000);
