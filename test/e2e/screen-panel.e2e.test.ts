/**
 * Screening in the explorer (issue 13, items 3 and 4), in a real browser (Debian's Chromium via
 * playwright-core) against the real server over the demo 2024-05-03 SDN list: exposure in the details
 * panel, the Screen panel's single screen, and a CSV file screened through POST /api/screen/bulk as a
 * stream, sorted, put on the canvas and exported (byte for byte the endpoint's own CSV). Ids are looked
 * up through the API's search, never written here. Each test starts from a fresh page and ends with no
 * page error and no request that left the server (afterEach).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page, Route } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { REPO_ROOT } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { searchIndexReady } from '../../server/core/search/live';
import { LOAD_DEFAULTS, resetDatabase, startApi, TestApi, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, screenshot, takeProblems, watchPage } from './browser';
import { canvasIds, clickNode, selectedIds, waitForCanvas, waitForLayout } from './explorer-page';

const SDN = path.join(REPO_ROOT, 'ingest', 'demo', 'ofac-sdn-2024-05-03', 'sdn.csv');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'screen-ui', 'bulk.csv');

let db: Database;
let api: TestApi;
let browser: Browser;
let page: Page;
const watches: PageWatch[] = [];
/** Ids of the CHINYONG network's parties, by name, as the API's search finds them. */
const ids: Record<'jon' | 'pioneer' | 'chinyong' | 'alis' | 'volasys', string> = { jon: '', pioneer: '', chinyong: '', alis: '', volasys: '' };

/** The id of the party the API's search ranks first for this exact name (and checks it is that name). */
async function idOf(name: string): Promise<string> {
  const r = await api.gql('query($q: String!) { search(query: $q, first: 1) { hits { entity { id name } } } }', { q: name });
  const hit = (r.body.data as { search: { hits: { entity: { id: string; name: string } }[] } }).search.hits[0];
  expect(hit?.entity.name).toBe(name);
  return hit.entity.id;
}

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { paths: [SDN], ...LOAD_DEFAULTS });
  api = await startApi(db);
  browser = await launchBrowser();
  ids.jon = await idOf('JON, Yun Gun');
  ids.pioneer = await idOf('PIONEER BENCONT STAR REAL ESTATE');
  ids.chinyong = await idOf('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY');
  ids.alis = await idOf('LIMITED LIABILITY COMPANY ALIS');
  ids.volasys = await idOf('VOLASYS SILVER STAR');
}, 600_000);

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  watches.push(watchPage(page, api.base, 'explorer'));
  await page.goto(api.base + '/');
  await page.getByTestId('empty-state').waitFor();
});

afterEach(async () => {
  await page.close();
  expect(takeProblems(watches)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await db?.close();
});

const searchInput = () => page.getByTestId('search').locator('input');

/** Puts a party on the canvas through the search box (Enter on the top hit, which must be `id`) and waits for it. */
async function addBySearch(q: string, id: string): Promise<void> {
  await searchInput().fill(q);
  // The list of this query (not the last one's) with `id` on top.
  await page.locator('.search-results .hit').first().and(page.locator(`[data-id="${id}"]`)).waitFor();
  await searchInput().press('Enter');
  await waitForCanvas(page, [id]);
  await waitForLayout(page);
}

/** An element as these tests read it in the page (the test code is compiled without the DOM's types). */
type El = { getAttribute(name: string): string | null; textContent: string | null };

/** For each element the locator finds: these attributes (null when absent) and its text. */
async function readAll(l: Locator, names: string[]): Promise<Record<string, string | null>[]> {
  return l.evaluateAll(
    (els, attrs) => (els as unknown as El[]).map((e) => ({ ...Object.fromEntries(attrs.map((a) => [a, e.getAttribute(a)])), text: e.textContent })),
    names,
  );
}

/** Drops a file on an element as a user dragging it from the desktop would (a drop event carrying it). */
async function dropFile(target: Locator, name: string, text: string): Promise<void> {
  type G = { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: string[], name: string, o: { type: string }) => unknown };
  const dataTransfer = await page.evaluateHandle(
    ([n, t]) => {
      const g = globalThis as unknown as G;
      const dt = new g.DataTransfer();
      dt.items.add(new g.File([t], n, { type: 'text/csv' }));
      return dt;
    },
    [name, text],
  );
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

/** The exposure section of the details panel, once its answer has come. */
async function exposureDone() {
  const x = page.getByTestId('details').getByTestId('exposure');
  await x.and(page.locator('[data-state=done]')).waitFor();
  return x;
}

/** Whether a relationship joins these two nodes on the canvas (either way). */
async function linkedOnCanvas(a: string, b: string): Promise<boolean> {
  return page.evaluate(
    ([x, y]) => {
      const cy = (globalThis as unknown as { __cy: { edges(): { map<T>(f: (e: { data(k: string): string }) => T): T[] } } }).__cy;
      return cy.edges().map((e) => [e.data('source'), e.data('target')]).some(([s, t]) => (s === x && t === y) || (s === y && t === x));
    },
    [a, b],
  );
}

describe('exposure in the details panel', () => {
  test('a listed party of the CHINYONG network says it is listed itself and lists the sanctioned parties near it, each path in words; a click draws the path', async () => {
    await addBySearch('JON, Yun Gun', ids.jon);
    const x = await exposureDone();
    await expect(x.getByTestId('exposure-self').textContent()).resolves.toContain('DPRK2');
    const items = x.locator('ol.exposure-list > li');
    const found = (await readAll(items, ['data-id', 'data-distance'])).map((r) => [r['data-id'], Number(r['data-distance'])] as [string, number]);
    // JON is linked to PIONEER, which is linked to CHINYONG, to which ALIS is linked: 1, 2, 3 hops.
    expect(found).toEqual(expect.arrayContaining([[ids.pioneer, 1], [ids.chinyong, 2], [ids.alis, 3]]));
    expect(found.map(([, d]) => d)).toEqual([...found.map(([, d]) => d)].sort((a, b) => a - b));
    expect(found.map(([id]) => id)).not.toContain(ids.jon);
    // The two steps to CHINYONG, each with the relationship and its provenance (list, release, record).
    const steps = await items.and(page.locator(`[data-id="${ids.chinyong}"]`)).locator('.path-steps li').allTextContents();
    expect(steps).toHaveLength(2);
    for (const s of steps) expect(s).toMatch(/ linked to .*\(ofac-sdn 2024-05-03: sdn\.csv:\d+/);
    expect(steps[0]).toContain('JON, Yun Gun');
    expect(steps[1]).toContain('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY');

    await items.and(page.locator(`[data-id="${ids.chinyong}"]`)).getByRole('button', { name: 'CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY' }).click();
    await waitForCanvas(page, [ids.jon, ids.pioneer, ids.chinyong]);
    await waitForLayout(page);
    expect(await linkedOnCanvas(ids.jon, ids.pioneer)).toBe(true);
    expect(await linkedOnCanvas(ids.pioneer, ids.chinyong)).toBe(true);
    // The path was added; the selection (and so the details panel) stayed on JON.
    expect(await selectedIds(page)).toEqual([ids.jon]);
    await screenshot(page, 'details-exposure');
  });

  test('fewer hops: the list shrinks to what is that near; nothing near is said in words', async () => {
    await addBySearch('JON, Yun Gun', ids.jon);
    let x = await exposureDone();
    await x.getByTestId('exposure-hops').selectOption('1');
    x = await exposureDone();
    const near = (await readAll(x.locator('ol.exposure-list > li'), ['data-id'])).map((r) => r['data-id']);
    expect(near).toEqual([ids.pioneer]);

    // VOLASYS SILVER STAR: listed, but linked to nobody; the API agrees there is nobody within 3 hops.
    const r = await api.gql('query($id: ID!) { exposure(id: $id, maxHops: 3) { distance } }', { id: ids.volasys });
    expect(r.body.data).toEqual({ exposure: [] });
    await addBySearch('VOLASYS SILVER STAR', ids.volasys);
    await page.getByTestId('details').locator('h2', { hasText: 'VOLASYS SILVER STAR' }).waitFor();
    // The hops chosen stay chosen from one node to the next (1 here): back to 3.
    expect(await page.getByTestId('exposure-hops').inputValue()).toBe('1');
    await page.getByTestId('exposure-hops').selectOption('3');
    x = await exposureDone();
    await expect(x.getByTestId('exposure-none').textContent()).resolves.toBe(
      'No other sanctioned party within 3 hops of VOLASYS SILVER STAR (links, shared addresses and identifiers; shared programs do not count).',
    );
  });

  test('an identifier node (not a party) has its exposure too: the listed holder of a passport, one hop away', async () => {
    await addBySearch('JON, Yun Gun', ids.jon);
    await page.getByTestId('details').getByRole('button', { name: '927233154' }).click();
    const passport = await page.waitForFunction(() => {
      type N = { id(): string; data(k: string): string };
      const cy = (globalThis as unknown as { __cy: { nodes(): { filter(f: (n: N) => boolean): { map(f: (n: N) => string): string[] } } } }).__cy;
      return cy.nodes().filter((n) => n.data('kind') === 'Identifier' && String(n.data('label')).includes('927233154')).map((n) => n.id())[0];
    });
    const id = (await passport.jsonValue()) as string;
    await page.locator('.canvas-wrap .busy').waitFor({ state: 'detached' });
    await clickNode(page, id);
    await page.getByTestId('details').locator('h2', { hasText: '927233154' }).waitFor();
    const x = await exposureDone();
    expect(await x.getByTestId('exposure-self').count()).toBe(0);
    const first = x.locator('ol.exposure-list > li').first();
    expect([await first.getAttribute('data-id'), await first.getAttribute('data-distance')]).toEqual([ids.jon, '1']);
    expect(await first.locator('.path-steps li').allTextContents()).toEqual([expect.stringMatching(/927233154.* is held by JON, Yun Gun \(.*\(ofac-sdn 2024-05-03: sdn\.csv:\d+/)]);
  });
});

describe('the Screen panel', () => {
  test('S opens it (the ? sheet says so); a misspelt name finds the listed party; a click puts it and its nearest sanctioned party on the canvas, selected', async () => {
    await page.getByTestId('help-button').click();
    await expect(page.getByTestId('shortcut-sheet').textContent()).resolves.toMatch(/S\s*Open \/ close the Screen panel/);
    await page.getByTestId('shortcut-sheet').getByRole('button', { name: 'Close' }).click();

    expect(await page.getByTestId('screen-panel').isVisible()).toBe(false);
    await page.keyboard.press('s');
    await page.getByTestId('screen-panel').waitFor();
    await page.getByTestId('screen-name').fill('Pioneer Bencont Star Real Estat');
    await page.getByTestId('screen-kind').selectOption('company');
    await page.getByTestId('screen-run').click();
    const matches = page.getByTestId('screen-matches');
    await matches.waitFor();
    const first = matches.locator('ol.matches > li').first();
    expect(await first.getAttribute('data-id')).toBe(ids.pioneer);
    expect(await first.textContent()).toContain('Listed itself.');
    const score = Number(await first.locator('.score').textContent());
    expect(score).toBeGreaterThanOrEqual(0.7);
    expect(score).toBeLessThan(1);

    await first.getByRole('button', { name: 'PIONEER BENCONT STAR REAL ESTATE' }).click();
    // The match, and the path to its nearest other sanctioned party (CHINYONG, one link away).
    await waitForCanvas(page, [ids.pioneer, ids.chinyong]);
    await page.waitForFunction((id) => (globalThis as unknown as { __cy: { $(s: string): { map(f: (n: { id(): string }) => string): string[] } } }).__cy.$('node:selected').map((n) => n.id()).join() === id, ids.pioneer);
    expect(await page.getByTestId('details').locator('h2').textContent()).toContain('PIONEER BENCONT STAR REAL ESTATE');

    // S again closes it (not while typing in a field).
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('s');
    await page.getByTestId('screen-panel').waitFor({ state: 'hidden' });
  });

  test('a made-up name screens to nothing above the threshold, in words', async () => {
    await page.getByTestId('screen-button').click();
    await page.getByTestId('screen-name').fill('Marigold Quenneville-Tarrant');
    await page.getByTestId('screen-run').click();
    await expect(page.getByTestId('screen-no-match').textContent()).resolves.toMatch(/^No listed or linked party scores 0\.7 or more\.$/);
  });

  test('a screen while the name index is rebuilt after a load says a name in another script may be missed; once rebuilt, the Hangul name finds its party', async () => {
    // 리원호 is RI Won Ho (listed in Latin letters only): found through the name index's readings of Hangul.
    const ri = await idOf('RI, Won Ho');
    await searchIndexReady(db);
    await page.getByTestId('screen-button').click();
    await page.getByTestId('screen-name').fill('리원호');
    // The same release loaded again: a commit, so the index no longer sees what requests see and is
    // rebuilt in the background; the first screen after it starts that rebuild and does not wait.
    await ingest(db, { paths: [SDN], ...LOAD_DEFAULTS });
    await page.getByTestId('screen-run').click();
    const notice = page.getByTestId('screen-full-text');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/full-text index: a name in another script than the list's may be missed/);
    expect(await page.getByTestId('screen-matches').locator(`li[data-id="${ri}"]`).count()).toBe(0);

    await searchIndexReady(db);
    await page.getByTestId('screen-run').click();
    await page.getByTestId('screen-matches').locator('ol.matches > li').first().and(page.locator(`[data-id="${ri}"]`)).waitFor();
    expect(await notice.count()).toBe(0);
  });

  test('a CSV file dropped on the panel streams into the table (the bad row shown with its line), sorts by score, puts a result on the canvas and exports the CSV the endpoint writes', async () => {
    await page.getByTestId('screen-button').click();
    await page.getByTestId('screen-tab-file').click();
    await dropFile(page.getByTestId('screen-drop'), 'bulk.csv', fs.readFileSync(FIXTURE, 'utf8'));
    const bulk = page.getByTestId('screen-bulk');
    await bulk.and(page.locator('[data-state=done]')).waitFor({ timeout: 120_000 });
    const rows = page.getByTestId('screen-table').locator('tbody tr');
    const table = (await readAll(rows, ['data-line', 'data-status', 'data-match', 'data-score'])).map((r) => ({
      line: Number(r['data-line']),
      status: r['data-status'],
      match: r['data-match'],
      text: r.text ?? '',
    }));
    // Every data line of the file, in order: lines 2 to 10.
    const dataLines = fs.readFileSync(FIXTURE, 'utf8').trim().split('\n').length - 1;
    expect(table.map((r) => r.line)).toEqual(Array.from({ length: dataLines }, (_, i) => i + 2));
    const byLine = (n: number) => table.find((r) => r.line === n)!;
    // Line 9 has neither a name nor an identifier: an error row with its line and the reason.
    expect(byLine(9).status).toBe('error');
    expect(byLine(9).text).toMatch(/A-8.*line 9/);
    expect(table.filter((r) => r.status === 'error')).toHaveLength(1);
    expect(byLine(2).match).toBe(ids.jon);
    expect(byLine(3).match).toBe(ids.pioneer);
    expect(byLine(4).match).toBe(ids.alis);
    expect(byLine(5).match).toBe(ids.chinyong);
    expect(byLine(10).status).toBe('no_match');
    const matched = table.filter((r) => r.status === 'match').length;
    await expect(page.getByTestId('screen-progress').textContent()).resolves.toContain(`${dataLines - 1} rows screened, ${matched} matches, 1 error`);

    // Sorted by score: best first, rows without a score last; again: lowest first.
    await page.getByTestId('sort-score').click();
    const scores = async () => (await readAll(rows, ['data-score'])).map((r) => r['data-score'] ?? '');
    const desc = await scores();
    const numbers = desc.filter((s) => s !== '').map(Number);
    expect(numbers.length).toBe(matched);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(desc.slice(numbers.length).every((s) => s === '')).toBe(true);
    await page.getByTestId('sort-score').click();
    const asc = (await scores()).filter((s) => s !== '').map(Number);
    expect(asc).toEqual([...numbers].reverse());

    // A click puts the row's match on the canvas, selected.
    await rows.and(page.locator('[data-line="4"]')).click();
    await waitForCanvas(page, [ids.alis]);
    await page.waitForFunction((id) => (globalThis as unknown as { __cy: { $(s: string): { map(f: (n: { id(): string }) => string): string[] } } }).__cy.$('node:selected').map((n) => n.id()).join() === id, ids.alis);
    expect(await canvasIds(page)).toContain(ids.alis);
    await expect(page.getByTestId('screen-picked').textContent()).resolves.toContain('LIMITED LIABILITY COMPANY ALIS');
    await waitForLayout(page);
    await screenshot(page, 'screen-panel-file');

    // Export: the CSV built from the streamed lines equals the endpoint's own CSV of the same file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('screen-export').click()]);
    const exported = fs.readFileSync((await download.path())!);
    const res = await fetch(`${api.base}/api/screen/bulk?format=csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: fs.readFileSync(FIXTURE) });
    expect(res.status).toBe(200);
    const direct = Buffer.from(await res.arrayBuffer());
    expect(exported.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(exported.toString('utf8')).toBe(direct.toString('utf8'));
    expect(exported.equals(direct)).toBe(true);
  });

  test('a file the server refuses before the first row says why; Cancel stops a run', async () => {
    await page.getByTestId('screen-button').click();
    await page.getByTestId('screen-tab-file').click();
    const bulk = page.getByTestId('screen-bulk');
    // Neither a name nor an identifier column: refused as a whole (400), the reason shown.
    watches[watches.length - 1].allowed.push(/status of 400/);
    await page.getByTestId('screen-file').setInputFiles({ name: 'colours.csv', mimeType: 'text/csv', buffer: Buffer.from('colour,size\r\nred,2\r\n') });
    await bulk.and(page.locator('[data-state=failed]')).waitFor();
    const problem = await page.getByTestId('screen-problem').textContent();
    const direct = await fetch(`${api.base}/api/screen/bulk?format=jsonl`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'colour,size\r\nred,2\r\n' });
    expect(direct.status).toBe(400);
    expect(problem).toBe(((await direct.json()) as { errors: { message: string }[] }).errors[0].message);
    expect(await page.getByTestId('screen-table').count()).toBe(0);

    // A run whose answer has not come yet (held here), cancelled: the request is aborted and the panel says so.
    const held: Route[] = [];
    let onSent = () => {};
    const sent = new Promise<void>((resolve) => (onSent = resolve));
    await page.route('**/api/screen/bulk*', (route) => {
      held.push(route);
      onSent();
    });
    await page.getByTestId('screen-file').setInputFiles(FIXTURE);
    await sent;
    await bulk.and(page.locator('[data-state=running]')).waitFor();
    await page.getByTestId('screen-cancel').click();
    await bulk.and(page.locator('[data-state=cancelled]')).waitFor();
    await expect(page.getByTestId('screen-progress').textContent()).resolves.toMatch(/0 rows screened, 0 matches, 0 errors · cancelled$/);
    expect(held).toHaveLength(1);
    // The previous run's refusal is gone with the new run.
    expect(await page.getByTestId('screen-problem').count()).toBe(0);
  });

  test('100,000 rows: the table shows one page at a time; the counts, the sort, the pages and the export cover them all', async () => {
    // The server's real answer for the fixture, its rows repeated to 100,000 and served to the page at
    // once: what is tested is the explorer's handling of that many rows, not the server's speed.
    const res = await fetch(`${api.base}/api/screen/bulk?format=jsonl`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: fs.readFileSync(FIXTURE) });
    type Line = { type: string; line?: number; ref?: string | null; status?: string; csv?: string; matches?: { score: number }[]; columns?: string[] };
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Line);
    const start = lines[0];
    expect(start.type).toBe('start');
    const matchRows = lines.filter((l) => l.type === 'row' && l.status === 'match');
    const otherRows = lines.filter((l) => (l.type === 'row' && l.status !== 'match') || l.type === 'error');
    expect([matchRows.length > 0, otherRows.length > 0]).toEqual([true, true]);
    const N = 100_000;
    const body: string[] = [JSON.stringify(start)];
    const csv: string[] = [];
    let matched = 0;
    let errors = 0;
    for (let i = 0; i < N; i++) {
      // One row in 50 has matches (long lines); the rest are short.
      const src = i % 50 === 0 ? matchRows[(i / 50) % matchRows.length] : otherRows[i % otherRows.length];
      const line = i + 2;
      const ref = `R-${i}`;
      const row = { ...src, line, ref, csv: src.csv!.replace(/^\d+,[^,]*,/gm, `${line},${ref},`) };
      if (src.type === 'error') errors++;
      else if (src.status === 'match') matched++;
      body.push(JSON.stringify(row));
      csv.push(row.csv);
    }
    body.push(JSON.stringify({ type: 'end', rows: N, screened: N - errors, matched, errors, seconds: 1 }));
    await page.route('**/api/screen/bulk*', (route) => route.fulfill({ status: 200, contentType: 'application/x-ndjson; charset=utf-8', body: body.join('\n') + '\n' }));

    await page.getByTestId('screen-button').click();
    await page.getByTestId('screen-tab-file').click();
    await page.getByTestId('screen-file').setInputFiles(FIXTURE);
    const bulk = page.getByTestId('screen-bulk');
    await bulk.and(page.locator('[data-state=done]')).waitFor({ timeout: 120_000 });
    await expect(page.getByTestId('screen-progress').textContent()).resolves.toContain(`${N - errors} rows screened, ${matched} matches, ${errors} errors`);
    const rows = page.getByTestId('screen-table').locator('tbody tr');
    expect(await rows.count()).toBe(100);
    expect(await page.getByTestId('screen-page').textContent()).toBe(`Rows 1–100 of ${N}`);
    await page.getByRole('button', { name: 'Next page' }).click();
    expect(await page.getByTestId('screen-page').textContent()).toBe(`Rows 101–200 of ${N}`);
    expect(await rows.first().getAttribute('data-line')).toBe('102');

    // Best score first, over all 100,000 rows (back on the first page).
    await page.getByTestId('sort-score').click();
    expect(await page.getByTestId('screen-page').textContent()).toBe(`Rows 1–100 of ${N}`);
    const best = Math.max(...matchRows.flatMap((r) => r.matches!.map((m) => m.score)));
    expect(Number(await rows.first().getAttribute('data-score'))).toBe(best);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('screen-export').click()]);
    const exported = fs.readFileSync((await download.path())!, 'utf8');
    expect(exported).toBe('\uFEFF' + start.columns!.join(',') + '\r\n' + csv.join(''));
  }, 300_000);
});
