/**
 * The explorer as a link-analysis workbench (issue 12), in a real browser (Debian's Chromium via
 * playwright-core) against the real server over the real 2024-05-03 SDN and 2025-11-18 UN lists:
 * search picks, selection, captions of image exports, the Paths panel, search hits, fact nodes and the
 * details panel. Each test starts from a fresh page, and ends with no page error and no request that
 * left the server (afterEach).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';
import { pngTexts } from '../../client/src/caption';
import { EMPTY_URL_STATE, encodeUrlState } from '../../client/src/url-state';
import { buildClient, launchBrowser, PageWatch, takeProblems, watchPage } from './browser';
import { canvasIds, clickNode, dblclickNode, detailsText, nodePoint, selectedIds, waitForCanvas, waitForLayout } from './explorer-page';

/** CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY, the top hit of "chinyong". */
const CHINYONG = 'ofac-43379';

let db: Database;
let api: TestApi;
let browser: Browser;
let page: Page;
const watches: PageWatch[] = [];

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { paths: [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], ...LOAD_DEFAULTS });
  await ingest(db, { paths: [path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml')], ...LOAD_DEFAULTS });
  api = await startApi(db);
  browser = await launchBrowser();
  // Two loads on a busy 2-core machine take minutes.
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

/** Types a query in the top search box and waits for its result list. */
async function searchFor(q: string): Promise<void> {
  await searchInput().fill(q);
  await page.locator('.search-results .hit').first().waitFor();
}

/** Puts a party on the canvas through the search box (Enter on the top hit) and waits for it. */
async function addBySearch(q: string, id: string): Promise<void> {
  await searchFor(q);
  expect(await page.locator('.search-results .hit').first().getAttribute('data-id')).toBe(id);
  await searchInput().press('Enter');
  await waitForCanvas(page, [id]);
  await waitForLayout(page);
}

/** Waits until the explorer is not adding or expanding anything (its busy sign is gone) and the layout has settled. */
async function settled(): Promise<void> {
  await page.locator('.canvas-wrap .busy').waitFor({ state: 'detached' });
  await waitForLayout(page);
}

describe('search', () => {
  test('Enter adds the keyboard’s highlighted hit, not the row under a mouse pointer resting where the list opens', async () => {
    // Where the last row of the list will be: the pointer is left there while the list is closed.
    await searchFor('chinyong');
    const rows = page.locator('.search-results .hit');
    const count = await rows.count();
    expect(count).toBeGreaterThan(1);
    const top = await rows.nth(0).getAttribute('data-id');
    const other = await rows.nth(count - 1).getAttribute('data-id');
    expect(top).toBe(CHINYONG);
    const box = (await rows.nth(count - 1).boundingBox())!;
    await searchInput().fill('');
    await page.locator('.search-results').waitFor({ state: 'detached' });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // The list opens under the resting pointer.
    await searchFor('chinyong');
    await searchInput().press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as { __cy?: { nodes(): { length: number } } }).__cy?.nodes().length === 1);
    expect(await canvasIds(page)).not.toContain(other);
    expect(await canvasIds(page)).toEqual([CHINYONG]);
  });
});

describe('selection', () => {
  test('a picked hit leaves the search box, so E expands it rather than typing into the box', async () => {
    await addBySearch('chinyong', CHINYONG);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName)).not.toBe('INPUT');
    await page.keyboard.press('e');
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    expect(await searchInput().inputValue()).toBe('chinyong');
  });

  test('double-click expands and keeps the node selected with its details; click replaces, Shift+click adds, Esc clears, Ctrl+A selects all', async () => {
    await addBySearch('chinyong', CHINYONG);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    await settled();
    expect(await selectedIds(page)).toEqual([CHINYONG]);
    expect(await detailsText(page)).toContain('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY');
    expect(await detailsText(page)).toContain('Provenance');

    // A second double-click on another node: it alone is selected, and stays so after its expansion.
    const other = 'ofac-48260';
    await dblclickNode(page, other);
    await settled();
    expect(await selectedIds(page)).toEqual([other]);
    const otherName = String(await page.evaluate((id) => (globalThis as unknown as { __cy: { getElementById(i: string): { data(k: string): unknown } } }).__cy.getElementById(id).data('label'), other));
    await page.getByTestId('details').locator('h2').filter({ hasText: otherName }).waitFor();

    await clickNode(page, CHINYONG);
    expect(await selectedIds(page)).toEqual([CHINYONG]);
    await clickNode(page, 'ofac-48261', true);
    expect(await selectedIds(page)).toEqual([CHINYONG, 'ofac-48261'].sort());
    await page.getByText('2 nodes selected').waitFor();

    await page.keyboard.press('Escape');
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { $(s: string): { length: number } } }).__cy.$(':selected').length === 0);
    await page.getByTestId('details').getByText('Select a node or a relationship').waitFor();

    await page.keyboard.press('Control+a');
    const all = (await canvasIds(page)).sort();
    expect(all.length).toBeGreaterThan(3);
    expect(await selectedIds(page)).toEqual(all);
    // The page's text is not selected instead.
    expect(await page.evaluate(() => String((globalThis as unknown as { getSelection(): unknown }).getSelection()))).toBe('');
  });
});

describe('image exports', () => {
  /** The datasets and releases the server has loaded, as its API says: what a caption must name. */
  async function loaded(): Promise<string[]> {
    const r = await api.gql('{ datasets { name release } }');
    return (r.body.data!.datasets as { name: string; release: string }[]).map((d) => `${d.name} ${d.release}`);
  }

  /** Clicks an item of the Export menu and reads the file the browser downloads. */
  async function exportImage(item: RegExp): Promise<Buffer> {
    await page.getByTestId('export-button').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: item }).click()]);
    return fs.readFileSync((await download.path())!);
  }

  test('the PNG and SVG carry a caption: the datasets with their releases and the date of the export', async () => {
    await addBySearch('chinyong', CHINYONG);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260']);
    await settled();
    const datasets = await loaded();
    expect(datasets.length).toBe(2);
    const today = new Date().toISOString().slice(0, 10);

    const png = new Uint8Array(await exportImage(/PNG/));
    const caption = pngTexts(png).Description;
    for (const d of datasets) expect(caption).toContain(d);
    expect(caption).toContain(`Exported ${today}`);
    // The caption is drawn too: the image is the canvas's own picture plus a band, and the band has text in it.
    const drawn = await page.evaluate(async (b64) => {
      const g = globalThis as unknown as {
        __cy: { png(o: object): string };
        Image: new () => { src: string; decode(): Promise<void>; naturalWidth: number; naturalHeight: number };
        document: { createElement(t: 'canvas'): { width: number; height: number; getContext(c: '2d'): { drawImage(i: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } } };
      };
      const load = async (src: string) => {
        const img = new g.Image();
        img.src = src;
        await img.decode();
        return img;
      };
      const plain = await load(g.__cy.png({ full: true, scale: 2, output: 'base64uri' }));
      const exported = await load(`data:image/png;base64,${b64}`);
      const c = g.document.createElement('canvas');
      c.width = exported.naturalWidth;
      c.height = exported.naturalHeight;
      const ctx = c.getContext('2d');
      ctx.drawImage(exported, 0, 0);
      const band = ctx.getImageData(0, plain.naturalHeight, c.width, c.height - plain.naturalHeight).data;
      const bg = [band[0], band[1], band[2]];
      let inked = 0;
      for (let i = 0; i < band.length; i += 4) if (Math.abs(band[i] - bg[0]) + Math.abs(band[i + 1] - bg[1]) + Math.abs(band[i + 2] - bg[2]) > 150) inked++;
      return { plainHeight: plain.naturalHeight, height: exported.naturalHeight, width: exported.naturalWidth, plainWidth: plain.naturalWidth, inked };
    }, Buffer.from(png).toString('base64'));
    expect(drawn.width).toBeGreaterThanOrEqual(drawn.plainWidth);
    expect(drawn.height).toBeGreaterThan(drawn.plainHeight);
    expect(drawn.inked).toBeGreaterThan(100);

    const svg = (await exportImage(/SVG/)).toString('utf8');
    const text = /<text[^>]*class="caption"[^>]*>([^<]*)<\/text>/.exec(svg)?.[1] ?? '';
    const desc = /<desc>([^<]*)<\/desc>/.exec(svg)?.[1] ?? '';
    for (const d of datasets) {
      expect(text).toContain(d);
      expect(desc).toContain(d);
    }
    expect(text).toContain(`Exported ${today}`);
  });
});

describe('paths panel', () => {
  /** Picks a path end in the Paths panel by its own search box; returns the id of the hit picked (the top one unless `id`). */
  async function pickEnd(end: 'path-from' | 'path-to', q: string, id?: string): Promise<string> {
    const box = page.getByTestId(end);
    await box.locator('input').fill(q);
    const hit = id ? box.locator(`.hit[data-id="${id}"]`) : box.locator('.hit').first();
    await hit.waitFor();
    const picked = (await hit.getAttribute('data-id'))!;
    await hit.click();
    await box.locator('.chosen-name').waitFor();
    return picked;
  }

  test('the list of paths names every party in full', async () => {
    await page.getByTestId('tab-paths').click();
    await pickEnd('path-from', 'chinyong', CHINYONG);
    await pickEnd('path-to', 'jon yun gun', 'ofac-48262');
    await page.getByTestId('find-paths').click();
    const results = page.getByTestId('path-results');
    await results.waitFor();
    const labels = await page.evaluate(() => {
      const cy = (globalThis as unknown as { __cy: { $(s: string): { map(f: (e: { data(k: string): unknown }) => string): string[] } } }).__cy;
      return cy.$('node.path').map((n) => String(n.data('label')));
    });
    expect(labels.length).toBeGreaterThan(1);
    expect(labels.some((l) => l.length > 40)).toBe(true);
    const first = (await results.locator('li').first().textContent()) ?? '';
    for (const l of labels) expect(first).toContain(l);
  });

  test('max hops above the server’s 6 is refused with a message, not sent as 6', async () => {
    await page.getByTestId('tab-paths').click();
    await pickEnd('path-from', 'chinyong', CHINYONG);
    await pickEnd('path-to', 'jon yun gun', 'ofac-48262');
    const hops = page.getByTestId('max-hops');
    await hops.fill('8');
    await page.getByTestId('hops-error').waitFor();
    expect(await page.getByTestId('hops-error').textContent()).toMatch(/1 to 6/);
    expect(await hops.inputValue()).toBe('8');
    expect(await page.getByTestId('find-paths').isDisabled()).toBe(true);
    await hops.fill('3');
    await page.getByTestId('hops-error').waitFor({ state: 'detached' });
    expect(await page.getByTestId('find-paths').isEnabled()).toBe(true);
  });

  test('when there is no path, both parties go on the canvas and one more hop is offered', async () => {
    await page.getByTestId('tab-paths').click();
    const from = await pickEnd('path-from', 'chinyong', CHINYONG);
    const to = await pickEnd('path-to', 'banco nacional de cuba');
    await page.getByTestId('max-hops').fill('1');
    await page.getByTestId('find-paths').click();
    const none = page.getByTestId('no-path');
    await none.waitFor();
    expect(await none.textContent()).toMatch(/at most 1 hops/);
    await waitForCanvas(page, [from, to]);
    expect((await canvasIds(page)).sort()).toEqual([from, to].sort());
    const more = page.getByTestId('more-hops');
    expect(await more.textContent()).toMatch(/2 hops/);
    await more.click();
    await page.waitForFunction(() => /at most 2 hops/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-testid=no-path]')?.textContent ?? ''));
    expect(await page.getByTestId('max-hops').inputValue()).toBe('2');
  });
});

describe('search hits', () => {
  test('each hit shows birth date, nationality and country, and the list says how many parties match', async () => {
    const q = 'kim';
    const r = await api.gql('query ($q: String!) { search(query: $q, first: 15) { total hits { entity { id birthDates nationalities addresses { country } } } } }', { q });
    const { total, hits } = r.body.data!.search as { total: number; hits: { entity: { id: string; birthDates: string[]; nationalities: string[]; addresses: { country: string | null }[] } }[] };
    // The case the facts are for: many hits, several of them people with dates of birth.
    expect(hits.filter((h) => h.entity.birthDates.length).length).toBeGreaterThan(3);
    await searchFor(q);
    expect(await page.getByTestId('search-count').textContent()).toContain(total.toLocaleString('en'));
    let checked = 0;
    for (const h of hits) {
      const row = page.locator(`.search-results .hit[data-id="${h.entity.id}"]`);
      if (!(await row.count())) continue;
      const text = (await row.textContent()) ?? '';
      if (h.entity.birthDates[0]) expect(text).toContain(h.entity.birthDates[0]);
      if (h.entity.nationalities[0]) expect(text).toContain(h.entity.nationalities[0]);
      // Each nationality once, however often the list repeats it.
      for (const n of new Set(h.entity.nationalities)) expect(text.split(n).length - 1).toBeLessThanOrEqual(1 + h.entity.addresses.filter((a) => a.country === n).length);
      const country = h.entity.addresses.find((a) => a.country)?.country;
      if (country) expect(text).toContain(country);
      checked++;
    }
    expect(checked).toBe(hits.length);
  });

  test('the box takes no more than the server’s 200 characters and says so; an empty or one-letter query says what it needs', async () => {
    await searchInput().fill('x'.repeat(300));
    expect((await searchInput().inputValue()).length).toBe(200);
    const hint = page.getByTestId('search-hint');
    await hint.waitFor();
    expect(await hint.textContent()).toMatch(/200 characters/);

    await searchInput().fill('k');
    await hint.waitFor();
    expect(await hint.textContent()).toMatch(/at least 2 characters/);
    await searchInput().fill('');
    await searchInput().press('Enter');
    expect(await hint.textContent()).toMatch(/Type a name.*at least 2 characters/);
    expect(await canvasIds(page)).toEqual([]);
  });
});

describe('identifiers and addresses', () => {
  type Fact = { id: string; value?: string; full?: string };
  /** A party's nationalities, identifiers and addresses as the API gives them, with how many parties hold each. */
  async function facts(id: string) {
    const r = await api.gql('query ($id: ID!) { entity(id: $id) { nationalities identifiers { id value } addresses { id full } } }', { id });
    const e = r.body.data!.entity as { nationalities: string[]; identifiers: Fact[]; addresses: Fact[] };
    const ids = [...e.identifiers, ...e.addresses].map((f) => f.id);
    const g = await api.gql('query ($ids: [ID!]!) { subgraph(ids: $ids) { nodes { id degree } } }', { ids });
    const degree = Object.fromEntries((g.body.data!.subgraph.nodes as { id: string; degree: number }[]).map((n) => [n.id, n.degree]));
    return { ...e, degree };
  }

  test('the details panel says beside each identifier and address how many parties share it', async () => {
    // 2024-05-03 sdn.csv: the phone number 8615815351839 is in the remarks of 41301, 41356, 41357 and 41376.
    const party = 'ofac-41301';
    const f = await facts(party);
    expect(Object.values(f.degree).some((d) => d > 1)).toBe(true);
    await page.goto(`${api.base}/#n=${party}`);
    await waitForCanvas(page, [party]);
    await clickNode(page, party);
    const details = page.getByTestId('details');
    await details.getByText(/Identifiers \(\d+\)/).waitFor();
    await details.locator('.shared').first().waitFor();
    for (const i of [...f.identifiers, ...f.addresses]) {
      const li = details.locator('li', { has: page.getByRole('button', { name: (i.value ?? i.full)!, exact: true }) }).first();
      const d = f.degree[i.id];
      expect(await li.locator('.shared').getAttribute('data-shared')).toBe(String(d));
      expect(await li.textContent()).toContain(d > 1 ? `shared by ${d} parties` : 'only this party');
    }
  });

  test('identifier nodes are labelled with their type; a nationality the list repeats is shown once; an identifier nobody else holds says so', async () => {
    // 2024-05-03 sdn.csv 22412: "nationality Ukraine; alt. nationality Ukraine", and a Tax ID No. only it holds.
    const party = 'ofac-22412';
    const f = await facts(party);
    expect(f.nationalities.filter((n) => n === 'Ukraine').length).toBe(2);
    await addBySearch('kostrubitsky', party);
    const details = page.getByTestId('details');
    const nationality = details.locator('.row', { has: page.locator('dt', { hasText: 'Nationality' }) });
    await nationality.waitFor();
    expect(await nationality.locator('dd').textContent()).toBe('Ukraine');

    await dblclickNode(page, party);
    const alone = f.identifiers.find((i) => f.degree[i.id] === 1)!;
    await waitForCanvas(page, [alone.id]);
    await settled();
    const labels = await page.evaluate(() => {
      const cy = (globalThis as unknown as { __cy: { nodes(s: string): { map(f: (n: { data(k: string): string }) => [string, string]): [string, string][] } } }).__cy;
      return cy.nodes('[kind = "Identifier"]').map((n) => [n.data('label'), n.data('display')]);
    });
    expect(labels.length).toBeGreaterThan(0);
    for (const [label, display] of labels) expect(display).toMatch(new RegExp(`^[A-Za-z][^:]*: ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

    await clickNode(page, alone.id);
    await page.keyboard.press('e');
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/nobody else on the lists holds this identifier/);
  });

  test('the layout menu names the algorithm the canvas runs: fCoSE on small canvases, d3-force on large ones', async () => {
    await addBySearch('chinyong', CHINYONG);
    const chosen = () => page.locator('select[aria-label=Layout] option:checked').textContent();
    expect(await chosen()).toMatch(/fCoSE/);
    // A canvas of 600 nodes (the explorer benchmark's: members of IFSR with their programs and identifiers).
    const rows = await db.read<{ id: string; programs: string[]; identifiers: string[] }>('bench-explorer-canvas', { program: 'IFSR' });
    const ids = new Set<string>();
    for (const r of rows) for (const id of [r.id, ...r.programs, ...r.identifiers]) if (ids.size < 600) ids.add(id);
    // A new document (not a hash change of this one), as a shared link opens.
    await page.goto(`${api.base}/?link#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: [...ids] })}`);
    // The restored canvas holds more than 400 nodes (FORCE_LAYOUT_ABOVE, client/src/layout/force.ts).
    const drawn = () => page.evaluate(() => (globalThis as unknown as { __cy?: { nodes(): { length: number } } }).__cy?.nodes().length ?? 0);
    await page.waitForFunction(() => ((globalThis as unknown as { __cy?: { nodes(): { length: number } } }).__cy?.nodes().length ?? 0) > 400, undefined, { timeout: 120_000 });
    const label = (await chosen()) ?? '';
    expect(label).toMatch(/d3-force/);
    expect(label).not.toMatch(/fCoSE/);
    // The threshold it names is the one the canvas crossed.
    expect(await drawn()).toBeGreaterThan(Number(/above (\d+) nodes/.exec(label)?.[1]));
  });
});

describe('workbench', () => {
  test('E expands every selected node at once', async () => {
    await addBySearch('chinyong', CHINYONG);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    await settled();
    // Both linked companies have neighbours not on the canvas yet (identifiers, JON, Yun Gun).
    const before = new Set(await canvasIds(page));
    await clickNode(page, 'ofac-48260');
    await clickNode(page, 'ofac-48261', true);
    expect(await selectedIds(page)).toEqual(['ofac-48260', 'ofac-48261']);
    await page.keyboard.press('e');
    await waitForCanvas(page, ['ofac-48262']);
    await page.getByTestId('notice').filter({ hasText: 'Expanded 2 nodes' }).waitFor();
    const added = (await canvasIds(page)).filter((id) => !before.has(id));
    const neighbours = async (id: string) => {
      const r = await api.gql('query ($ids: [ID!]!) { neighborhood(ids: $ids, depth: 1, limit: 100) { nodes { id } } }', { ids: [id] });
      return (r.body.data!.neighborhood.nodes as { id: string }[]).map((n) => n.id);
    };
    // Something of each one's neighbourhood came in.
    for (const id of ['ofac-48260', 'ofac-48261']) expect((await neighbours(id)).some((n) => added.includes(n))).toBe(true);
  });

  test('? opens a sheet of the shortcuts and the investigation tools, Esc closes it', async () => {
    await page.keyboard.press('?');
    const sheet = page.getByTestId('shortcut-sheet');
    await sheet.waitFor();
    const text = (await sheet.textContent()) ?? '';
    for (const k of ['Ctrl+A', 'Esc', 'Expand', 'Cases', 'As of', 'Ownership', 'strongest evidence']) expect(text).toContain(k);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
  });

  test('side panels fold away, and the canvas grows and refits to show the whole graph', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await addBySearch('chinyong', CHINYONG);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    await settled();
    const canvas = page.getByTestId('canvas');
    const width = (await canvas.boundingBox())!.width;
    await page.getByTestId('fold-left').click();
    await page.getByTestId('fold-right').click();
    await page.waitForFunction((w) => ((globalThis as unknown as { document: { querySelector(s: string): { clientWidth: number } } }).document.querySelector('[data-testid=canvas]').clientWidth) > w + 500, width);
    expect(await page.getByRole('complementary', { name: 'Details' }).isHidden()).toBe(true);

    // Shrink the window: every node is still drawn inside the canvas.
    await page.setViewportSize({ width: 700, height: 500 });
    await page.waitForFunction(() => {
      const g = globalThis as unknown as { __cy: { width(): number; height(): number; nodes(): { renderedBoundingBox(): { x1: number; y1: number; x2: number; y2: number } } } };
      const bb = g.__cy.nodes().renderedBoundingBox();
      return bb.x1 >= 0 && bb.y1 >= 0 && bb.x2 <= g.__cy.width() && bb.y2 <= g.__cy.height();
    });
    await page.getByTestId('fold-right').click();
    await page.getByRole('complementary', { name: 'Details' }).waitFor();
  });
});

describe('canvas filter', () => {
  test('unticking a kind or a program hides those nodes from the canvas, not from the investigation; ticking brings them back', async () => {
    await addBySearch('jon yun gun', 'ofac-48262');
    await dblclickNode(page, 'ofac-48262');
    await settled();
    const all = (await canvasIds(page)).sort();
    const kindOf = (ids: string[]) =>
      page.evaluate((xs) => xs.map((id) => String((globalThis as unknown as { __cy: { getElementById(i: string): { data(k: string): unknown } } }).__cy.getElementById(id).data('kind'))), ids);
    const kinds = await kindOf(all);
    const identifiers = all.filter((_, i) => kinds[i] === 'Identifier');
    expect(identifiers.length).toBeGreaterThan(0);
    await page.getByTestId('canvas-filter').locator('input[data-kind="Identifier"]').uncheck();
    await page.waitForFunction((ids) => ids.every((id) => (globalThis as unknown as { __cy: { getElementById(i: string): { empty(): boolean } } }).__cy.getElementById(id).empty()), identifiers);
    expect((await canvasIds(page)).sort()).toEqual(all.filter((id) => !identifiers.includes(id)));
    // Still in the investigation: the status bar counts them, and the link keeps them.
    const counts = (await page.getByTestId('counts').textContent()) ?? '';
    expect(counts).toContain(`${all.length} nodes`);
    expect(counts).toContain(`${identifiers.length} filtered from view`);
    await page.getByTestId('canvas-filter').locator('input[data-kind="Identifier"]').check();
    await waitForCanvas(page, identifiers);

    // DPRK2: JON, Yun Gun is listed under it alone, so he goes with it.
    await page.getByTestId('canvas-filter').locator('input[data-program="DPRK2"]').uncheck();
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { getElementById(i: string): { empty(): boolean } } }).__cy.getElementById('ofac-48262').empty());
    await page.getByTestId('canvas-filter').locator('input[data-program="DPRK2"]').check();
    await waitForCanvas(page, ['ofac-48262']);
    expect((await canvasIds(page)).sort()).toEqual(all);
  });
});

describe('positions in the link', () => {
  type PosW = { __cy: { getElementById(i: string): { position(): { x: number; y: number } } } };
  /** Where a node is in the canvas's model coordinates (what a link keeps), not on the screen. */
  const modelPosition = (id: string) => page.evaluate((nodeId) => (globalThis as unknown as PosW).__cy.getElementById(nodeId).position(), id);
  const positionsOf = async (ids: string[]) => Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await modelPosition(id)] as const)));
  function expectNear(got: Record<string, { x: number; y: number }>, want: Record<string, { x: number; y: number }>) {
    for (const [id, p] of Object.entries(want)) {
      expect(Math.abs(got[id].x - p.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(got[id].y - p.y)).toBeLessThanOrEqual(1);
    }
  }

  test('a node moved by dragging is where it was after a reload and in a new tab opened on the link; a link without positions still opens', async () => {
    await addBySearch('chinyong', CHINYONG);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    await settled();
    const moved = 'ofac-48261';
    const before = await modelPosition(moved);
    const at = await nodePoint(page, moved);
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(at.x + 12 * i, at.y + 7 * i);
    await page.mouse.up();
    const after = await modelPosition(moved);
    // It moved by the drag, as far as the zoom says (not back to where the layout had it).
    expect(Math.hypot(after.x - before.x, after.y - before.y)).toBeGreaterThan(50);
    const ids = await canvasIds(page);
    const want = await positionsOf(ids);
    // The link follows the drag.
    const encoded = `${Math.round(after.x).toString(36)}.${Math.round(after.y).toString(36)}`;
    await page.waitForFunction((e) => decodeURIComponent((globalThis as unknown as { location: { hash: string } }).location.hash).includes(e), encoded);
    const link = await page.evaluate(() => (globalThis as unknown as { location: { href: string } }).location.href);

    await page.reload();
    await waitForCanvas(page, ids);
    await waitForLayout(page);
    expect((await canvasIds(page)).sort()).toEqual([...ids].sort());
    expectNear(await positionsOf(ids), want);

    const tab = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    watches.push(watchPage(tab, api.base, 'shared link'));
    try {
      await tab.goto(link);
      await waitForCanvas(tab, ids);
      await waitForLayout(tab);
      const got = Object.fromEntries(
        await Promise.all(ids.map(async (id) => [id, await tab.evaluate((nodeId) => (globalThis as unknown as PosW).__cy.getElementById(nodeId).position(), id)] as const)),
      );
      expectNear(got, want);

      // The same link without its positions (as links were made before): the same nodes, laid out anew.
      const hash = new URLSearchParams(new URL(link).hash.slice(1));
      expect(hash.get('p')).toBeTruthy();
      hash.delete('p');
      await tab.goto(`${api.base}/?old#${hash.toString()}`);
      await waitForCanvas(tab, ids);
      await waitForLayout(tab);
      expect((await canvasIds(tab)).sort()).toEqual([...ids].sort());
      const relaid = await tab.evaluate((id) => (globalThis as unknown as PosW).__cy.getElementById(id).position(), moved);
      expect(Number.isFinite(relaid.x) && Number.isFinite(relaid.y)).toBe(true);
    } finally {
      await tab.close();
    }
  });
});

describe('expand by relationship type', () => {
  /** A node's neighbours by one relationship type, as the API gives them. */
  async function neighboursBy(id: string, type: string): Promise<string[]> {
    const r = await api.gql('query ($ids: [ID!]!, $t: [RelationType!]) { neighborhood(ids: $ids, depth: 1, limit: 100, relationTypes: $t) { nodes { id } } }', { ids: [id], t: [type] });
    return (r.body.data!.neighborhood.nodes as { id: string }[]).map((n) => n.id).filter((n) => n !== id);
  }
  const kindsOf = (ids: string[]) =>
    page.evaluate((xs) => xs.map((id) => String((globalThis as unknown as { __cy: { getElementById(i: string): { data(k: string): unknown } } }).__cy.getElementById(id).data('kind'))), ids);
  const expandBy = async (type: string) => {
    await page.getByTestId('expand-by-type').locator(`button[data-type="${type}"]`).click();
    await settled();
  };

  test('one node by one type adds only those neighbours; several selected nodes by one type each add theirs', async () => {
    await addBySearch('chinyong', CHINYONG);
    // CHINYONG is linked to ALIS and PIONEER ("Linked To:" in their entries) and listed under DPRK2.
    const linked = await neighboursBy(CHINYONG, 'UNKNOWN_LINK');
    expect(linked.sort()).toEqual(['ofac-48260', 'ofac-48261']);
    // A full expansion would bring its program too.
    expect((await neighboursBy(CHINYONG, 'SANCTION')).length).toBe(1);
    await expandBy('UNKNOWN_LINK');
    await waitForCanvas(page, linked);
    expect((await canvasIds(page)).sort()).toEqual([CHINYONG, ...linked].sort());

    // Both companies: only their identifiers come (not ALIS's program, not JON, Yun Gun linked to PIONEER).
    await clickNode(page, 'ofac-48260');
    await clickNode(page, 'ofac-48261', true);
    expect(await selectedIds(page)).toEqual(['ofac-48260', 'ofac-48261']);
    const identifiers = [...new Set([...(await neighboursBy('ofac-48260', 'HAS_IDENTIFIER')), ...(await neighboursBy('ofac-48261', 'HAS_IDENTIFIER'))])];
    // ALIS's Tax ID No. and Registration Number at least.
    expect(identifiers.length).toBeGreaterThanOrEqual(2);
    await expandBy('HAS_IDENTIFIER');
    await page.getByTestId('notice').filter({ hasText: 'Expanded 2 nodes by “identifier”' }).waitFor();
    await waitForCanvas(page, identifiers);
    const added = (await canvasIds(page)).filter((id) => ![CHINYONG, ...linked].includes(id));
    expect(added.sort()).toEqual(identifiers.sort());
    expect(new Set(await kindsOf(added))).toEqual(new Set(['Identifier']));
    // The edges drawn to them are identifier relationships only.
    const types = await page.evaluate(() =>
      (globalThis as unknown as { __cy: { edges(): { map(f: (e: { data(k: string): unknown }) => string): string[] } } }).__cy.edges().map((e) => String(e.data('type'))),
    );
    expect(new Set(types)).toEqual(new Set(['UNKNOWN_LINK', 'HAS_IDENTIFIER']));

    // An identifier is offered only the relationship that reaches it.
    await clickNode(page, identifiers[0]);
    const offered = await page.getByTestId('expand-by-type').locator('button').evaluateAll((bs) => bs.map((b) => (b as unknown as { dataset: { type?: string } }).dataset.type));
    expect(offered).toEqual(['HAS_IDENTIFIER']);
  });
});

describe('canvas filter by listing date and dataset', () => {
  type CyW = { __cy: { getElementById(i: string): { empty(): boolean }; edges(): { length: number } } };
  const absent = (ids: string[]) => page.waitForFunction((xs) => xs.every((id) => (globalThis as unknown as CyW).__cy.getElementById(id).empty()), ids);

  test('a listing-date range hides the parties listed outside it, and only them; clearing it brings them back', async () => {
    // UN parties named KIM, with the designation dates the UN list gives (LISTED_ON).
    const r = await api.gql('query { search(query: "kim", first: 30, datasets: ["un-sc"]) { hits { entity { id } } } }');
    const ids = (r.body.data!.search.hits as { entity: { id: string } }[]).map((h) => h.entity.id);
    const g = await api.gql('query ($ids: [ID!]!) { subgraph(ids: $ids) { nodes { id listedOn } } }', { ids });
    const listed = (g.body.data!.subgraph.nodes as { id: string; listedOn: string | null }[]).filter((n) => n.listedOn);
    const dates = [...new Set(listed.map((n) => n.listedOn!))].sort();
    // Several dates, so that a range splits them.
    expect(dates.length).toBeGreaterThan(2);
    const from = dates[Math.floor(dates.length / 2)];
    const to = dates[dates.length - 2];
    const outside = listed.filter((n) => n.listedOn! < from || n.listedOn! > to).map((n) => n.id);
    const inside = ids.filter((id) => !outside.includes(id));
    expect(outside.length).toBeGreaterThan(0);
    expect(inside.length).toBeGreaterThan(0);
    await page.goto(`${api.base}/?dates#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: ids })}`);
    await waitForCanvas(page, ids);
    await waitForLayout(page);

    await page.getByTestId('listed-from').fill(from.slice(0, 10));
    await page.getByTestId('listed-to').fill(to.slice(0, 10));
    await absent(outside);
    expect((await canvasIds(page)).sort()).toEqual([...inside].sort());
    const counts = (await page.getByTestId('counts').textContent()) ?? '';
    expect(counts).toContain(`${ids.length} nodes`);
    expect(counts).toContain(`${outside.length} filtered from view`);

    await page.getByTestId('listed-from').fill('');
    await page.getByTestId('listed-to').fill('');
    await waitForCanvas(page, outside);
    expect((await canvasIds(page)).sort()).toEqual([...ids].sort());
  });

  test('unticking a dataset hides the relationships it states, not the parties; ticking brings them back', async () => {
    await addBySearch('chinyong', CHINYONG);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    await settled();
    const nodes = (await canvasIds(page)).sort();
    const edges = await page.evaluate(() => (globalThis as unknown as CyW).__cy.edges().length);
    // Its two "Linked To" links (its program is a badge on it, not a relationship drawn).
    expect(edges).toBeGreaterThanOrEqual(2);
    const box = page.getByTestId('canvas-filter').locator('input[data-dataset="ofac-sdn"]');
    await box.uncheck();
    await page.waitForFunction(() => (globalThis as unknown as CyW).__cy.edges().length === 0);
    expect((await canvasIds(page)).sort()).toEqual(nodes);
    await box.check();
    await page.waitForFunction((n) => (globalThis as unknown as CyW).__cy.edges().length === n, edges);
  });
});

describe('labels', () => {
  type LW = {
    __cy: {
      zoom(z?: { level: number; renderedPosition: { x: number; y: number } }): number;
      width(): number;
      height(): number;
      getElementById(i: string): { renderedPosition(): { x: number; y: number }; hasClass(c: string): boolean; pstyle(k: string): { strValue: string } };
      edges(s?: string): { map<T>(f: (e: { id(): string }) => T): T[] };
    };
  };

  /** Pixels of a page region as RGB, to compare what is drawn there. */
  async function pixels(clip: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
    return page.screenshot({ clip, type: 'png' });
  }
  /** How many pixels differ between two screenshots of the same region (read back in the page). */
  async function differing(a: Buffer, b: Buffer): Promise<number> {
    return page.evaluate(
      async ([x, y]) => {
        const g = globalThis as unknown as {
          Image: new () => { src: string; decode(): Promise<void>; naturalWidth: number; naturalHeight: number };
          document: { createElement(t: 'canvas'): { width: number; height: number; getContext(c: '2d'): { drawImage(i: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } } };
        };
        const data = async (b64: string) => {
          const img = new g.Image();
          img.src = `data:image/png;base64,${b64}`;
          await img.decode();
          const c = g.document.createElement('canvas');
          c.width = img.naturalWidth;
          c.height = img.naturalHeight;
          const ctx = c.getContext('2d');
          ctx.drawImage(img, 0, 0);
          return ctx.getImageData(0, 0, c.width, c.height).data;
        };
        const [p, q] = [await data(x), await data(y)];
        let n = 0;
        for (let i = 0; i < p.length; i += 4) if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 90) n++;
        return n;
      },
      [a.toString('base64'), b.toString('base64')],
    );
  }

  test('zoomed out, a node’s label is not drawn until the pointer rests on it', async () => {
    await addBySearch('chinyong', CHINYONG);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    await settled();
    // Font 10 at zoom 0.4 is 4 px: below the 7 px under which labels are left out.
    await page.evaluate(() => {
      const cy = (globalThis as unknown as LW).__cy;
      cy.zoom({ level: 0.4, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    });
    const box = (await page.getByTestId('canvas').boundingBox())!;
    const at = await page.evaluate((id) => (globalThis as unknown as LW).__cy.getElementById(id).renderedPosition(), CHINYONG);
    const p = { x: box.x + at.x, y: box.y + at.y };
    // The band under the node, where its label goes.
    const clip = { x: p.x - 90, y: p.y + 6, width: 180, height: 40 };
    // The pointer away from every node.
    await page.mouse.move(box.x + 2, box.y + 2);
    const bare = await pixels(clip);
    await page.mouse.move(p.x, p.y);
    await page.waitForFunction((id) => (globalThis as unknown as LW).__cy.getElementById(id).hasClass('hover'), CHINYONG);
    const hovered = await pixels(clip);
    // The label (CHINYONG INFORMATION TECHNOLOGY ... at a readable size) is drawn there now.
    expect(await differing(bare, hovered)).toBeGreaterThan(150);
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.waitForFunction((id) => !(globalThis as unknown as LW).__cy.getElementById(id).hasClass('hover'), CHINYONG);
    expect(await differing(bare, await pixels(clip))).toBeLessThan(20);
  });

  test('an edge label is drawn only when it fits between its two nodes', async () => {
    await addBySearch('chinyong', CHINYONG);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260']);
    await settled();
    const edge = await page.evaluate(
      (ends) => (globalThis as unknown as { __cy: { edges(): { filter(f: (e: { source(): { id(): string }; target(): { id(): string } }) => boolean): { map<T>(f: (e: { id(): string }) => T): T[] } } } }).__cy
        .edges()
        .filter((e) => ends.includes(e.source().id()) && ends.includes(e.target().id()))
        .map((e) => e.id())[0],
      [CHINYONG, 'ofac-48260'],
    );
    const label = () => page.evaluate((id) => (globalThis as unknown as LW).__cy.getElementById(id).pstyle('label').strValue, edge);
    /** Drags ALIS to `dx`, `dy` (screen pixels) from CHINYONG. */
    const dragAlisTo = async (dx: number, dy: number) => {
      const from = await nodePoint(page, 'ofac-48260');
      const to = await nodePoint(page, CHINYONG);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      for (let i = 1; i <= 8; i++) await page.mouse.move(from.x + ((to.x + dx - from.x) * i) / 8, from.y + ((to.y + dy - from.y) * i) / 8);
      await page.mouse.up();
      // The pointer resting on ALIS would show the wording anyway (hover): move it off the nodes.
      const box = (await page.getByTestId('canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height - 3);
      await page.waitForFunction((id) => !(globalThis as unknown as LW).__cy.getElementById(id).hasClass('hover'), edge);
    };
    // The "Linked To" wording (9 characters) does not fit between two nodes almost touching.
    await dragAlisTo(45, 0);
    await page.waitForFunction((id) => (globalThis as unknown as LW).__cy.getElementById(id).hasClass('cramped'), edge);
    expect(await label()).toBe('');
    await dragAlisTo(300, 0);
    await page.waitForFunction((id) => !(globalThis as unknown as LW).__cy.getElementById(id).hasClass('cramped'), edge);
    expect(await label()).toMatch(/Linked To/i);
    // Close again, the pointer on ALIS: the wording is shown while it rests there.
    await dragAlisTo(45, 0);
    const alis = await nodePoint(page, 'ofac-48260');
    await page.mouse.move(alis.x, alis.y);
    await page.waitForFunction((id) => (globalThis as unknown as LW).__cy.getElementById(id).hasClass('hover'), edge);
    expect(await page.evaluate((id) => (globalThis as unknown as LW).__cy.getElementById(id).hasClass('cramped'), edge)).toBe(true);
    expect(await label()).toMatch(/Linked To/i);
  });
});
