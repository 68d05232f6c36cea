/**
 * Reading and driving the explorer's canvas in a browser test: Cytoscape's own model is exposed as
 * window.__cy, and the canvas says when a layout has settled (data-layout="done"), so nothing waits a
 * fixed time before acting on it.
 */
import type { Page } from 'playwright-core';

/** The slice of Cytoscape's API these helpers call in the page. */
interface Cy {
  nodes(selector?: string): { map<T>(f: (n: { id(): string }) => T): T[] };
  $(selector: string): { map<T>(f: (n: { id(): string }) => T): T[]; unselect(): void };
  getElementById(id: string): { nonempty(): boolean; renderedPosition(): { x: number; y: number }; data(k: string): unknown };
}
/** The page's globals these helpers read (the functions passed to evaluate run in the page). */
type W = { __cy?: Cy; document: { querySelector(s: string): { dataset: Record<string, string | undefined> } | null } };

/** Node ids drawn on the canvas, without the "+N more" handles. */
export async function canvasIds(p: Page): Promise<string[]> {
  return p.evaluate(() => (globalThis as unknown as W).__cy!.nodes().map((n) => n.id()).filter((id) => !id.startsWith('more::')));
}

/** Ids of the selected nodes, sorted. */
export async function selectedIds(p: Page): Promise<string[]> {
  return p.evaluate(() => (globalThis as unknown as W).__cy!.$('node:selected').map((n) => n.id()).sort());
}

/** Waits until every one of these nodes is on the canvas. */
export async function waitForCanvas(p: Page, ids: string[], timeout = 30_000): Promise<void> {
  await p.waitForFunction((want) => !!(globalThis as unknown as W).__cy && want.every((id) => (globalThis as unknown as W).__cy!.getElementById(id).nonempty()), ids, { timeout });
}

/** Waits until the canvas's layout has settled (data-layout="done"). */
export async function waitForLayout(p: Page): Promise<void> {
  await p.waitForFunction(() => (globalThis as unknown as W).document.querySelector('[data-testid=canvas]')?.dataset.layout === 'done', undefined, { timeout: 60_000 });
}

/** Where a node is drawn, in page coordinates, once the layout has put it there. */
export async function nodePoint(p: Page, id: string): Promise<{ x: number; y: number }> {
  await waitForLayout(p);
  const box = (await p.locator('[data-testid=canvas]').boundingBox())!;
  const pos = await p.evaluate((nodeId) => (globalThis as unknown as W).__cy!.getElementById(nodeId).renderedPosition(), id);
  return { x: box.x + pos.x, y: box.y + pos.y };
}

/** Clicks a node where it is drawn, as a user would (with Shift held when `shift`). */
export async function clickNode(p: Page, id: string, shift = false): Promise<void> {
  const at = await nodePoint(p, id);
  if (shift) await p.keyboard.down('Shift');
  await p.mouse.click(at.x, at.y);
  if (shift) await p.keyboard.up('Shift');
}

/** Double-clicks a node where it is drawn. */
export async function dblclickNode(p: Page, id: string): Promise<void> {
  const at = await nodePoint(p, id);
  await p.mouse.dblclick(at.x, at.y);
}

/** The text of the details panel. */
export async function detailsText(p: Page): Promise<string> {
  return (await p.getByTestId('details').textContent()) ?? '';
}
