/**
 * From the elements the state asks for (elements.ts desiredElements) to the Cytoscape instance: what to
 * remove, update and add (diffElements), applied in one cy.batch() (applyPatch); and the classes that
 * mark a highlighted path and the timeline's pick. Plain Cytoscape calls only, no renderer, so all of it
 * runs in a headless instance (test/unit/client-canvas-diff.test.ts); GraphCanvas owns the layout.
 */
import type { Core, ElementDefinition, SingularElementArgument } from 'cytoscape';

/** Class of elements the layout has not placed yet: the stylesheet hides them (style.ts). */
export const UNPLACED = 'unplaced';

export interface CanvasPatch {
  /** Ids of elements on the canvas that the state no longer asks for. */
  remove: string[];
  /** Elements already on the canvas whose data changed: only the fields that changed. */
  update: { id: string; data: Record<string, unknown> }[];
  /** Elements to add; new nodes, and the edges that come with them, carry UNPLACED until laid out. */
  add: ElementDefinition[];
  /** Ids of the nodes among `add`: the layout has to place them. */
  addedNodes: string[];
}

function withClass(el: ElementDefinition, cls: string): ElementDefinition {
  const classes = typeof el.classes === 'string' ? el.classes : (el.classes ?? []).join(' ');
  return { ...el, classes: `${classes} ${cls}`.trim() };
}

/** What changes the canvas needs to show `wanted` (elements keyed by their stable data.id). Reads cy only. */
export function diffElements(cy: Core, wanted: ElementDefinition[]): CanvasPatch {
  const wantedIds = new Set(wanted.map((e) => e.data.id!));
  const remove = cy
    .elements()
    .filter((el) => !wantedIds.has(el.id()))
    .map((el) => el.id());
  const update: CanvasPatch['update'] = [];
  const add: ElementDefinition[] = [];
  const addedNodes: string[] = [];
  for (const el of wanted) {
    const existing = cy.getElementById(el.data.id!);
    if (existing.nonempty()) {
      // Only what changed (labels and counts move as the canvas grows).
      const changed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(el.data)) if (existing.data(k) !== v) changed[k] = v;
      // A node that leaves a group's compound node (grouping.ts) has no `parent` in its data any more.
      if (el.group === 'nodes' && (existing.data('parent') ?? null) !== (el.data.parent ?? null)) changed.parent = el.data.parent ?? null;
      if (Object.keys(changed).length) update.push({ id: el.data.id!, data: changed });
    } else if (el.group === 'nodes') {
      // Hidden until the layout gives it a place: no frame shows new nodes piled at the origin.
      addedNodes.push(el.data.id!);
      add.push(withClass(el, UNPLACED));
    } else {
      add.push(el);
    }
  }
  // Edges of a batch that brings new nodes wait for the layout with them.
  const fresh = addedNodes.length ? add.map((el) => (el.group === 'edges' ? withClass(el, UNPLACED) : el)) : add;
  return { remove, update, add: fresh, addedNodes };
}

/** Applies a patch in one batch (one redraw), and marks and locks the pinned nodes. */
export function applyPatch(cy: Core, patch: CanvasPatch, pinned: readonly string[]): void {
  const pin = new Set(pinned);
  // Cytoscape changes a node's compound parent by move(), not by data(): nodes leave a parent before
  // anything is removed (removing a parent removes its children) and join one after it is added.
  const moves = patch.update.filter((u) => 'parent' in u.data);
  const move = (joining: boolean) => {
    for (const u of moves) {
      const parent = (u.data.parent as string | null) ?? null;
      const el = cy.getElementById(u.id);
      if ((parent !== null) === joining && el.nonempty() && el.isNode()) el.move({ parent });
    }
  };
  cy.batch(() => {
    move(false);
    for (const id of patch.remove) {
      // Removing a node has already removed its edges.
      const el = cy.getElementById(id);
      if (el.nonempty()) cy.remove(el);
    }
    for (const u of patch.update) {
      const el = cy.getElementById(u.id);
      for (const [k, v] of Object.entries(u.data)) if (k !== 'parent') el.data(k, v);
    }
    if (patch.add.length) cy.add(patch.add);
    move(true);
    // Only the nodes whose pin changes (setClass): this runs over every node of every patch.
    cy.nodes().forEach((n) => {
      const pinnedNow = pin.has(n.id());
      setClass(n, 'pinned', pinnedNow);
      if (n.locked() === pinnedNow) return;
      if (pinnedNow) n.lock();
      else n.unlock();
    });
  });
}

/**
 * Gives an element a class or takes it away, only if that changes anything. Cytoscape (3.34) restyles every
 * element addClass, removeClass or toggleClass is called on, whether its classes change or not: called on
 * every element after each change of state, that restyled the whole canvas (6,242 elements on the
 * 2,000-node canvas, about as long as measuring it) in the next frame.
 */
export function setClass(el: SingularElementArgument, cls: string, on: boolean): void {
  if (el.hasClass(cls) !== on) el.toggleClass(cls, on);
}

/** Highlights one path (class `path`) and fades everything else (`faded`); null clears both. */
export function applyHighlight(cy: Core, highlight: { nodes: string[]; edges: string[] } | null): void {
  const ids = new Set(highlight ? [...highlight.nodes, ...highlight.edges] : []);
  cy.batch(() => {
    cy.elements().forEach((el) => {
      const onPath = ids.has(el.id());
      setClass(el, 'path', onPath);
      setClass(el, 'faded', highlight !== null && !onPath);
    });
  });
}

/** Marks the nodes of the timeline bar picked last (class `timeline-hit`). */
export function markTimeline(cy: Core, ids: readonly string[]): void {
  const hit = new Set(ids);
  cy.batch(() => cy.nodes().forEach((n) => setClass(n, 'timeline-hit', hit.has(n.id()))));
}
