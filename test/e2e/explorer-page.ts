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

/**
 * Where a node is drawn, in page coordinates, once the layout has put it there, at a point a click
 * reaches: a node the layout put under something drawn over the canvas (a panel's fold button at its
 * edge, the busy indicator at its top) is first brought to the canvas's middle by panning the view,
 * as a user would drag it into the open. Layouts start from random positions, so which node lies
 * under such a control changes from run to run; a click there would go to the control.
 */
export async function nodePoint(p: Page, id: string): Promise<{ x: number; y: number }> {
  await waitForLayout(p);
  const box = (await p.locator('[data-testid=canvas]').boundingBox())!;
  const pos = await p.evaluate(
    ([nodeId, left, top]) => {
      type Doc = { elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null };
      type PanCy = { getElementById(i: string): { renderedPosition(): { x: number; y: number } }; width(): number; height(): number; panBy(d: { x: number; y: number }): void };
      const cy = (globalThis as unknown as { __cy: PanCy }).__cy;
      const doc = (globalThis as unknown as { document: Doc }).document;
      const at = cy.getElementById(nodeId).renderedPosition();
      const reached = doc.elementFromPoint(left + at.x, top + at.y)?.closest('[data-testid=canvas]');
      if (reached) return at;
      cy.panBy({ x: cy.width() / 2 - at.x, y: cy.height() / 2 - at.y });
      return cy.getElementById(nodeId).renderedPosition();
    },
    [id, box.x, box.y] as const,
  );
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
