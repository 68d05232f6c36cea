/**
 * The Cytoscape.js canvas. The investigation state is diffed into Cytoscape elements inside one
 * cy.batch() per change; the force-directed layout runs in a Web Worker (layout.worker.ts: fcose for
 * small canvases, d3-force above FORCE_LAYOUT_ABOVE nodes); the other layouts are fast enough on the
 * main thread: breadth-first and concentric from each node's measured box with its label (layout/tiers.ts),
 * grid Cytoscape's own. Groups (grouping.ts) are applied to the elements before the diff. Animation is
 * off for large graphs.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import cytoscape, { Core } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import svg from 'cytoscape-svg';
import type { Investigation } from '../graph-state';
import type { Point } from '../url-state';
import { CanvasFilter, desiredElements, LARGE_GRAPH, NO_FILTER } from '../elements';
import { applyHighlight, applyPatch, diffElements, markTimeline, setClass } from '../canvas-diff';
import { FACT_NODE_SIZE, stylesheet, Theme, THEME_COLORS } from '../style';
import { isFactKind } from '../../../server/core/model';
import type { LayoutRequest, LayoutResponse } from '../layout.worker';
import { FORCE_LAYOUT_ABOVE, forceLayout } from '../layout/force';
import { Box, breadthFirst, concentric, ringSteps } from '../layout/tiers';
import { Group, groupElements, groupPlaces, isGroupId } from '../grouping';
import { groupNodeSize } from '../group-style';

cytoscape.use(fcose);
cytoscape.use(svg);

export const LAYOUTS = [
  { name: 'fcose', label: 'Force-directed' },
  { name: 'concentric', label: 'Concentric (by degree)' },
  { name: 'breadthfirst', label: 'Breadth-first (tree)' },
  { name: 'grid', label: 'Grid' },
] as const;


/** The layout menu's words for a layout on a canvas of `nodes` nodes: the force-directed one names the algorithm it runs. */
export function layoutLabel(name: string, nodes: number): string {
  const l = LAYOUTS.find((x) => x.name === name);
  if (name !== 'fcose') return l?.label ?? name;
  return nodes > FORCE_LAYOUT_ABOVE ? `Force-directed (d3-force, above ${FORCE_LAYOUT_ABOVE} nodes)` : 'Force-directed (fCoSE)';
}

export interface CanvasHandle {
  cy(): Core | null;
  fit(): void;
  zoom(factor: number): void;
  relayout(randomize?: boolean): void;
  png(): string;
  svg(): string;
  /** Ids of the nodes currently drawn (for tests and exports). */
  visibleIds(): string[];
  /** Selects every node drawn (not the "+N more" handles). */
  selectAll(): void;
  clearSelection(): void;
  /** Moves nodes already drawn to these places (a link pasted into this tab restores its positions). */
  place(positions: Record<string, Point>): void;
}

interface Props {
  state: Investigation;
  theme: Theme;
  layout: string;
  /** Relationship types shown; empty = all. */
  types: string[];
  /** Kinds and programs hidden from view (not from the investigation). */
  filter?: CanvasFilter;
  highlight: { nodes: string[]; edges: string[] } | null;
  timelineIds: string[];
  onSelect(ids: string[], edgeId: string | null): void;
  onExpand(id: string): void;
  onLayoutDone?(ms: number): void;
  /**
   * Where nodes were last drawn (model coordinates): a node the canvas draws again (a link restored, a
   * hidden or filtered node shown again, an undone removal) goes back there instead of being laid out.
   */
  positions?: Record<string, Point>;
  /** Where the drawn nodes are, after each layout and each drag. */
  onPositions?(positions: Record<string, Point>): void;
  /** Groups of nodes drawn as one node, or inside a compound node (grouping.ts). */
  groups?: Group[];
  /** A group's node was double-clicked: open it, or collapse it. */
  onToggleGroup?(id: string): void;
}

export const GraphCanvas = forwardRef<CanvasHandle, Props>(function GraphCanvas(props, ref) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const workerRef = useRef<Worker | null>(null);
  const layoutSeq = useRef(0);
  const propsRef = useRef(props);
  propsRef.current = props;

  /**
   * The layout signal on the canvas element, for tests and tools that must not act on a moving graph:
   * data-layout is "running" from the moment a layout starts until its positions, animations and viewport
   * have settled, then "done"; data-layout-runs counts the layouts started.
   */
  const signalLayout = (state: 'running' | 'done', seq = layoutSeq.current) => {
    const el = container.current;
    if (!el || seq !== layoutSeq.current) return;
    // A layout that starts or ends ends the wait of the one before it.
    holdRenderer(false);
    if (state === 'done') {
      hideDrawing(false);
      reportPositions();
    }
    el.dataset.layout = state;
    el.dataset.layoutRuns = String(seq);
  };

  /**
   * Holds Cytoscape's renderer (or lets it go again) while a whole new canvas waits for the worker's
   * positions: inside a batch (cy.startBatch) Cytoscape draws no frame, so it neither styles the edges
   * nor works out their routes between nodes piled where they start, only to do both again once the
   * nodes are placed (on 2,000 nodes and 4,242 edges, seconds of the main thread, taken from the two
   * cores the worker needs). Nothing on such a canvas is placed, and its drawing is hidden, so no frame
   * is missed. Any layout that starts or settles, and the positions arriving, let it go (signalLayout, apply).
   */
  const holding = useRef(false);
  const holdRenderer = (hold: boolean) => {
    const cy = cyRef.current;
    if (!cy || hold === holding.current) return;
    holding.current = hold;
    if (hold) cy.startBatch();
    else cy.endBatch();
  };

  /**
   * Works out the style of the canvas's elements (Cytoscape does so lazily, for the first frame that needs
   * it) in slices, each its own task, while the renderer is held for layout `seq`: the worker's answer waits
   * for one slice at most. Stops when the hold ends; the first frame styles whatever is left.
   */
  const styleWhileHeld = (cy: Core, seq: number, elements?: cytoscape.SingularElementArgument[], from = 0) => {
    if (seq !== layoutSeq.current || !holding.current) return;
    if (!elements) {
      // First, in a task of its own after the effects that followed the layout's start: inside the batch,
      // a change of class only marks its elements for restyling when the batch ends, which would undo
      // the work done here. The batch ends and starts again at once (no frame is drawn in between).
      cy.endBatch();
      cy.startBatch();
      elements = cy.elements().toArray();
    }
    if (from >= elements.length) return;
    const to = Math.min(elements.length, from + STYLE_SLICE);
    for (let i = from; i < to; i++) elements[i].style('display');
    const rest = elements;
    setTimeout(() => styleWhileHeld(cy, seq, rest, to), 0);
  };

  /**
   * Hides (or shows again) what Cytoscape draws, not the canvas's background: while a whole new canvas is
   * laid out (runLayout), its nodes are not drawn at their starting places.
   */
  const hideDrawing = (hide: boolean) => {
    const el = container.current;
    if (!el) return;
    for (const child of Array.from(el.children)) (child as HTMLElement).style.visibility = hide ? 'hidden' : '';
  };

  const reportPositions = () => {
    const cy = cyRef.current;
    if (!cy) return;
    markCrampedEdges(cy);
    const report = propsRef.current.onPositions;
    if (!report) return;
    const out: Record<string, Point> = {};
    cy.nodes()
      .not('.more')
      .forEach((n) => {
        // An open group's place is its members' (Cytoscape derives it): not a place of its own.
        if (n.isParent()) return;
        const p = n.position();
        out[n.id()] = { x: p.x, y: p.y };
      });
    report(out);
  };

  /**
   * Puts the nodes just added that have a known place (propsRef.positions) there, as the layout would have;
   * true when that placed all of them, so no layout needs to run.
   */
  const placeKnown = (cy: Core, added: string[]): boolean => {
    // A group collapsed just now goes where its members were (grouping.ts groupPlaces).
    const known = { ...(propsRef.current.positions ?? {}), ...groupPlaces(propsRef.current.groups ?? [], propsRef.current.positions ?? {}) };
    let all = true;
    cy.batch(() => {
      for (const id of added) {
        const p = known[id];
        const n = cy.getElementById(id);
        // An open group is where its members are.
        if (n.nonempty() && n.isParent()) continue;
        if (!p || n.empty()) {
          all = false;
          continue;
        }
        moveTo(n, p);
        markPlaced(n);
      }
      if (all) cy.elements('.unplaced').removeClass('unplaced');
    });
    // The middle of a group's members is often where what they share is (an address amid its parties).
    // A group placed where a link says it was is clear already (and must stay exactly there).
    const linked = new Set((propsRef.current.groups ?? []).filter((g) => g.at).map((g) => g.id));
    if (all) for (const id of added) if (isGroupId(id) && !linked.has(id)) clearOfOthers(cy, cy.getElementById(id));
    return all;
  };

  const runLayout = (randomize: boolean) => {
    const cy = cyRef.current;
    if (!cy || cy.nodes().length === 0) {
      // Nothing to place: settled (a layout still running for removed nodes is superseded).
      ++layoutSeq.current;
      signalLayout('done');
      return;
    }
    const started = performance.now();
    const seq = ++layoutSeq.current;
    signalLayout('running', seq);
    const large = cy.nodes().length > LARGE_GRAPH;
    const pinned = new Set(propsRef.current.state.pinned);
    const name = propsRef.current.layout;
    const done = () => {
      if (seq !== layoutSeq.current) return;
      fitCapped(cy);
      propsRef.current.onLayoutDone?.(performance.now() - started);
      signalLayout('done', seq);
    };
    if (name !== 'fcose') {
      cy.elements('.unplaced').removeClass('unplaced');
      let opts: cytoscape.LayoutOptions = { name, animate: !large, spacingFactor: 1.1, avoidOverlap: true } as cytoscape.LayoutOptions;
      if (name === 'concentric' || name === 'breadthfirst') {
        // Placed by the boxes of the nodes and their labels (layout/tiers.ts), then drawn as a preset.
        const input = { boxes: measureBoxes(cy), edges: layoutEdges(cy) };
        const positions = name === 'concentric' ? concentric(input) : breadthFirst(input);
        if (name === 'concentric') {
          // The ring steps (x, y), for tests and tools that check the rings from the positions.
          const step = ringSteps(input.boxes);
          container.current!.dataset.rings = `${step.x},${step.y}`;
        }
        opts = { name: 'preset', positions: (n: cytoscape.NodeSingular) => positions[n.id()] ?? n.position(), animate: !large, fit: false } as cytoscape.LayoutOptions;
      }
      const layout = cy.elements().not('.more').layout(opts);
      layout.one('layoutstop', () => {
        placeMoreHandles(cy);
        done();
      });
      layout.run();
      return;
    }
    // The worker lays out from scratch (fcose does not refine given positions in a headless instance: it
    // collapses them onto a line). An incremental layout keeps every node already placed where it is
    // (fixed) and places only the new ones around them.
    const fixedIds = cy.nodes().filter((n) => pinned.has(n.id()) || (!randomize && isPlaced(n))).map((n) => n.id());
    // Open groups' compound nodes are where their members are: not laid out themselves; nor the "+N more"
    // handles, put beside their node afterwards. Each node goes with its box (shape and label, measured as
    // drawn) so the layout keeps labels apart too. New nodes are hidden (unplaced) until placed, and a
    // hidden node has no box: shown for the measurement only, no frame is drawn in between.
    // Each change of class restyles every node it touches (the stylesheet's selectors matched again: on
    // 2,000 nodes as long as the measurement itself), so when nothing on the canvas is placed yet (a canvas
    // opened or restored) the nodes' class goes once and for all, and the drawing is hidden instead until
    // the positions arrive (the canvas shows nothing in between, as before).
    const hidden = cy.nodes('.unplaced');
    const nonePlaced = hidden.nonempty() && cy.nodes().toArray().every((n) => !isPlaced(n));
    if (nonePlaced) hideDrawing(true);
    hidden.removeClass('unplaced');
    const boxes = new Map(measureBoxes(cy).map((b) => [b.id, b]));
    if (!nonePlaced) hidden.addClass('unplaced');
    else {
      // Hidden is not enough: Cytoscape would still draw a frame of the nodes where they start (styling the
      // edges, and routing them between nodes not yet placed) and fill its caches of their pictures, taking
      // the CPU the worker needs; held, it draws nothing until the positions come. The edges' class goes
      // now (the drawing is hidden), and the style of the whole canvas is worked out a slice at a time
      // while the worker computes (styleWhileHeld), not in the first frame after.
      cy.edges('.unplaced').removeClass('unplaced');
      holdRenderer(true);
      setTimeout(() => styleWhileHeld(cy, seq), 0);
    }
    const nodes = cy
      .nodes(':childless')
      .not('.more')
      .map((n: cytoscape.NodeSingular) => {
        const b = boxes.get(n.id());
        return { id: n.id(), x: n.position('x'), y: n.position('y'), size: nodeSize(n), ...(b && { w: b.w, h: b.h, ox: b.ox, oy: b.oy }) };
      });
    const edges = layoutEdges(cy).map((e) => ({ ...e }));
    const request: LayoutRequest = { seq, nodes, edges, fixed: fixedIds, randomize: true };
    const apply = (positions: LayoutResponse['positions']) => {
      if (seq !== layoutSeq.current) return;
      holdRenderer(false);
      const animate = !large && !randomize;
      let moving = 0;
      const settled = () => {
        if (moving === 0) signalLayout('done', seq);
      };
      // Positions, the fitted viewport and the reveal of new elements in one batch: the first frame
      // that shows them shows them in place and in view.
      cy.batch(() => {
        cy.nodes().forEach((n) => {
          const p = positions[n.id()];
          if (!p || n.isParent()) return;
          // New nodes appear at their place; the ones that move (none when incremental) glide there.
          if (!isPlaced(n) || !animate) n.position(p);
          else {
            moving++;
            n.animate({
              position: p,
              duration: 250,
              complete: () => {
                moving--;
                settled();
              },
            });
          }
          markPlaced(n);
        });
        if (seq === layoutSeq.current) fitToPositions(cy, positions);
        cy.elements('.unplaced').removeClass('unplaced');
      });
      hideDrawing(false);
      placeMoreHandles(cy);
      propsRef.current.onLayoutDone?.(performance.now() - started);
      settled();
    };
    try {
      workerRef.current ??= layoutWorker();
      const w = workerRef.current;
      w.onmessage = (m: MessageEvent<LayoutResponse>) => {
        // The answer to a request a newer layout has superseded: that layout's answer follows.
        if (m.data.seq !== seq) return;
        if (m.data.error) mainThreadLayout();
        else apply(m.data.positions);
      };
      w.postMessage(request);
    } catch {
      mainThreadLayout();
    }
    /** The worker could not lay out (or start): do it here rather than not at all. */
    function mainThreadLayout() {
      if (nodes.length > FORCE_LAYOUT_ABOVE) {
        apply(forceLayout(request));
        return;
      }
      holdRenderer(false);
      cy!.elements('.unplaced').removeClass('unplaced');
      const layout = cy!.layout({ name: 'fcose', animate: false, randomize: true } as cytoscape.LayoutOptions);
      layout.one('layoutstop', () => {
        markPlaced(cy!.nodes());
        done();
      });
      layout.run();
    }
  };

  useEffect(() => {
    const cy = cytoscape({
      container: container.current,
      style: stylesheet(props.theme),
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: true,
      // A click replaces the selection and Shift (or Ctrl/Cmd) + click adds or takes away one node. In
      // 'additive' mode every click toggled, so the second click of a double-click (expand) unselected
      // the node and emptied the details panel.
      selectionType: 'single',
    });
    cyRef.current = cy;
    (window as unknown as { __cy?: Core }).__cy = cy;
    // The layout worker starts with the canvas: its script is fetched and compiled while the first graph
    // loads, not after it has come (runLayout starts one if this failed, and lays out here if that fails).
    try {
      workerRef.current = layoutWorker();
    } catch {
      workerRef.current = null;
    }
    const emitSelection = () => {
      const nodes = cy.$('node:selected').not('.more').map((n) => n.id());
      const edge = cy.$('edge:selected').not('.more').first();
      propsRef.current.onSelect(nodes, edge.nonempty() ? edge.id() : null);
    };
    cy.on('select unselect', () => queueMicrotask(emitSelection));
    // A node the user moved stays there: in the link, and through hiding and showing it again.
    cy.on('dragfree', 'node', () => {
      placeMoreHandles(cy);
      reportPositions();
    });
    // Cytoscape fires dbltap on any two taps in quick succession, also on two different nodes (a click on
    // one node, then Shift+click on another, expanded the second): a double-click is two taps on one node.
    // A dbltap emitted without taps before it (a tool, a test) still expands.
    let taps: [string | null, string | null] = [null, null];
    cy.on('tap', (e) => {
      const t = e.target as cytoscape.NodeSingular | Core;
      taps = [taps[1], t === cy ? null : (t as cytoscape.NodeSingular).id()];
    });
    cy.on('dbltap', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      const [first, second] = taps;
      if (second === n.id() && first !== n.id()) return;
      // A group's node opens (or collapses) the group; it has nothing of its own to expand.
      if (isGroupId(n.id())) propsRef.current.onToggleGroup?.(n.id());
      else propsRef.current.onExpand(n.hasClass('more') ? n.data('of') : n.id());
    });
    cy.on('tap', 'node.more', (e) => propsRef.current.onExpand((e.target as cytoscape.NodeSingular).data('of')));
    // The node under the pointer shows its label and its relationships' wording, readable at any zoom.
    cy.on('mouseover', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      const font = Math.max(10, 12 / cy.zoom());
      cy.batch(() => n.union(n.connectedEdges()).data('hoverFont', font).addClass('hover'));
    });
    cy.on('mouseout', 'node', (e) => void (e.target as cytoscape.NodeSingular).union((e.target as cytoscape.NodeSingular).connectedEdges()).removeClass('hover'));
    // A resized canvas (window, side panels collapsed or opened) shows the whole graph again: Cytoscape
    // only learns the new size from cy.resize(), and would keep the old viewport, cutting the graph off.
    let lastSize = '';
    const resized = new ResizeObserver(() => {
      const el = container.current;
      if (!el) return;
      const size = `${el.clientWidth}x${el.clientHeight}`;
      if (size === lastSize) return;
      const first = lastSize === '';
      lastSize = size;
      cy.resize();
      if (!first && cy.nodes().nonempty() && container.current?.dataset.layout === 'done') fitCapped(cy);
    });
    resized.observe(container.current!);
    return () => {
      resized.disconnect();
      cy.destroy();
      workerRef.current?.terminate();
      workerRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.style(stylesheet(props.theme));
    container.current!.style.background = THEME_COLORS[props.theme].background;
  }, [props.theme]);

  // Diff the state into the canvas (canvas-diff.ts), then lay out what is new.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const wanted = groupElements(desiredElements(props.state, props.types, props.filter ?? NO_FILTER), props.groups ?? []);
    const large = wanted.length > LARGE_GRAPH * 2;
    // Dropping detail while panning keeps big canvases interactive.
    // These are init options of the canvas renderer; its instance reads them on every frame.
    const renderer = (cy as unknown as { renderer?: () => Record<string, unknown> }).renderer?.();
    if (renderer) {
      renderer.hideEdgesOnViewport = large;
      renderer.textureOnViewport = large;
    }
    const patch = diffElements(cy, wanted);
    applyPatch(cy, patch, props.state.pinned);
    const firstPlacement = cy.nodes().toArray().every((n) => !isPlaced(n));
    if (patch.addedNodes.length && placeKnown(cy, patch.addedNodes)) {
      // Every new node has its place already: nothing to lay out, and what the user placed stays.
      ++layoutSeq.current;
      placeMoreHandles(cy);
      if (firstPlacement) fitCapped(cy);
      signalLayout('done');
    } else if (patch.addedNodes.length) {
      runLayout(firstPlacement);
    } else {
      placeMoreHandles(cy);
      markCrampedEdges(cy);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.state, props.types, props.filter, props.groups]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy) applyHighlight(cy, props.highlight);
    // Also when the state changes: a path's nodes reach the canvas after the path is chosen.
  }, [props.highlight, props.state]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy) markTimeline(cy, props.timelineIds);
  }, [props.timelineIds]);

  useEffect(() => {
    runLayout(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.layout]);

  useImperativeHandle(ref, () => ({
    cy: () => cyRef.current,
    fit: () => cyRef.current && fitCapped(cyRef.current),
    zoom: (factor) => {
      const cy = cyRef.current;
      if (!cy) return;
      cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    },
    relayout: (randomize = true) => runLayout(randomize),
    png: () => cyRef.current!.png({ full: true, scale: 2, bg: THEME_COLORS[propsRef.current.theme].background, output: 'base64uri' }) as string,
    svg: () => (cyRef.current as unknown as { svg(o: object): string }).svg({ full: true, scale: 1, bg: THEME_COLORS[propsRef.current.theme].background }),
    visibleIds: () => cyRef.current?.nodes().not('.more').map((n) => n.id()) ?? [],
    selectAll: () => {
      const cy = cyRef.current;
      cy?.batch(() => {
        cy.edges(':selected').unselect();
        cy.nodes().not('.more').select();
      });
    },
    clearSelection: () => void cyRef.current?.elements(':selected').unselect(),
    place: (positions) => {
      const cy = cyRef.current;
      if (!cy) return;
      cy.batch(() => {
        for (const [id, p] of Object.entries(positions)) {
          const n = cy.getElementById(id);
          if (n.nonempty() && !n.hasClass('more')) markPlaced(moveTo(n, p));
        }
      });
      placeMoreHandles(cy);
      reportPositions();
    },
  }));

  return <div ref={container} className="canvas" role="application" aria-label="Graph canvas: double-click a node to expand it" data-testid="canvas" data-layout="done" data-layout-runs="0" />;
});

/** The layout worker (layout.worker.ts), as a module: Vite bundles it from this `new Worker(new URL(...))`. */
function layoutWorker(): Worker {
  return new Worker(new URL('../layout.worker.ts', import.meta.url), { type: 'module' });
}

/** Elements styled per task while a layout waits for its positions (styleWhileHeld): about 10 ms of work. */
const STYLE_SLICE = 100;

/** Width of an edge label's character in model units (font-size 8 in style.ts, system-ui): a generous average. */
const EDGE_CHAR_WIDTH = 8 * 0.6;

/**
 * Marks `cramped` the edges whose label is longer than the stretch of edge between their two nodes'
 * outlines. Label and edge both scale with the zoom, so this depends on positions only, not on the zoom.
 */
function markCrampedEdges(cy: Core) {
  cy.batch(() => {
    cy.edges('[label]').forEach((e) => {
      const a = e.source();
      const b = e.target();
      const gap = Math.hypot(a.position('x') - b.position('x'), a.position('y') - b.position('y')) - (nodeSize(a) + nodeSize(b)) / 2;
      setClass(e, 'cramped', String(e.data('label')).length * EDGE_CHAR_WIDTH + 8 > gap);
    });
  });
}

/**
 * Moves a node (a group just collapsed) out from under any other node and its label: step by step away
 * from the node it covers (straight down when on the same spot), then one step more, so the edge between
 * them has room for its label.
 */
function clearOfOthers(cy: Core, n: cytoscape.NodeSingular) {
  if (n.empty()) return;
  const box = () => n.boundingBox({ includeLabels: true } as never);
  const hit = () => {
    const b = box();
    return cy
      .nodes(':childless')
      .not(n)
      .not('.more')
      .filter((o: cytoscape.NodeSingular) => {
        const c = o.boundingBox({ includeLabels: true } as never);
        return Math.min(b.x2, c.x2) > Math.max(b.x1, c.x1) && Math.min(b.y2, c.y2) > Math.max(b.y1, c.y1);
      });
  };
  const first = hit();
  if (first.empty()) return;
  const from = (first[0] as cytoscape.NodeSingular).position();
  const p = n.position();
  const len = Math.hypot(p.x - from.x, p.y - from.y);
  const [dx, dy] = len > 1 ? [(p.x - from.x) / len, (p.y - from.y) / len] : [0, 1];
  const STEP = 20;
  for (let i = 0; i < 100 && hit().nonempty(); i++) moveTo(n, { x: n.position('x') + dx * STEP, y: n.position('y') + dy * STEP });
  moveTo(n, { x: n.position('x') + dx * STEP * 3, y: n.position('y') + dy * STEP * 3 });
}

/**
 * The nodes a layout (or a known place) has placed. Not in the nodes' data nor scratch: setting either
 * restyles the node (Cytoscape matches the stylesheet's selectors again), which on 2,000 nodes cost as much
 * as measuring them. Cytoscape elements are objects that live until removed; one removed and added again
 * is a new object, so it is laid out anew.
 */
const placedNodes = new WeakSet<cytoscape.SingularElementArgument>();

function isPlaced(n: cytoscape.SingularElementArgument): boolean {
  return placedNodes.has(n);
}

function markPlaced(nodes: cytoscape.NodeCollection): void {
  nodes.forEach((n) => void placedNodes.add(n));
}

/** Moves a node, pinned (locked) or not: a pinned node keeps the place it is given, not the one it had. */
function moveTo(n: cytoscape.NodeSingular, p: Point): cytoscape.NodeSingular {
  const locked = n.locked();
  if (locked) n.unlock();
  n.position({ x: p.x, y: p.y });
  if (locked) n.lock();
  return n;
}

/** The drawn size of a node, as the stylesheet maps it (style.ts), without asking the renderer. */
function nodeSize(n: cytoscape.NodeSingular): number {
  if (n.hasClass('more')) return 16;
  if (n.hasClass('group')) return groupNodeSize(Number(n.data('count')) || 2);
  const kind = n.data('kind');
  if (isFactKind(String(kind))) return FACT_NODE_SIZE;
  const d = Math.min(60, Math.max(1, Number(n.data('degree')) || 1));
  return 22 + ((d - 1) / 59) * 32;
}

/**
 * The box of each node and its label, as the renderer measures it (the label's real width and lines), for
 * the layouts of layout/tiers.ts: not the "+N more" handles (placed beside their node afterwards) nor open
 * groups (drawn around their members).
 */
function measureBoxes(cy: Core): Box[] {
  const degree = (n: cytoscape.NodeSingular) => (n.hasClass('group') ? Number(n.data('count')) : Number(n.data('degree'))) || n.degree(false);
  return cy
    .nodes(':childless')
    .not('.more')
    .map((n: cytoscape.NodeSingular) => {
      const bb = n.boundingBox({ includeLabels: true, includeOverlays: false } as never);
      const p = n.position();
      return { id: n.id(), w: bb.w, h: bb.h, ox: (bb.x1 + bb.x2) / 2 - p.x, oy: (bb.y1 + bb.y2) / 2 - p.y, degree: degree(n) };
    });
}

/** The edges a layout follows: between two nodes it places (not the handles' edges, not to open groups). */
function layoutEdges(cy: Core): { id: string; source: string; target: string }[] {
  return cy
    .edges()
    .not('.more')
    .filter((e: cytoscape.EdgeSingular) => e.source().isChildless() && e.target().isChildless())
    .map((e: cytoscape.EdgeSingular) => ({ id: e.id(), source: e.source().id(), target: e.target().id() }));
}

/**
 * fitCapped for positions about to be drawn, computed from the positions themselves (nodes still hidden
 * have no bounding box yet), so it can run in the same batch that moves and reveals them.
 */
function fitToPositions(cy: Core, positions: Record<string, { x: number; y: number }>) {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of Object.values(positions)) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  if (!Number.isFinite(x1)) return;
  // Room for the node shapes and the labels under them.
  const pad = 50;
  const w = Math.max(1, x2 - x1 + 60);
  const h = Math.max(1, y2 - y1 + 80);
  const zoom = Math.max(cy.minZoom(), Math.min(1.2, (cy.width() - 2 * pad) / w, (cy.height() - 2 * pad) / h));
  cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * (x1 + x2) / 2, y: cy.height() / 2 - zoom * ((y1 + y2) / 2 + 10) } });
}

/** Fits the graph, but never zooms a handful of nodes up to poster size. */
function fitCapped(cy: Core) {
  cy.fit(undefined, 50);
  if (cy.zoom() > 1.2) cy.zoom({ level: 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  if (cy.zoom() === 1.2) cy.center();
}

/** Puts each "+N more" handle just outside its node, away from the node's neighbours. */
function placeMoreHandles(cy: Core) {
  cy.nodes('.more').forEach((m) => {
    const of = cy.getElementById(m.data('of'));
    if (of.empty()) return;
    const p = of.position();
    const others = of.neighborhood('node').not('.more');
    let dx = 0;
    let dy = 0;
    others.forEach((o) => {
      dx += o.position('x') - p.x;
      dy += o.position('y') - p.y;
    });
    const len = Math.hypot(dx, dy) || 1;
    m.position({ x: p.x - (dx / len) * 60, y: p.y - (dy / len) * 60 + (others.empty() ? 50 : 0) });
  });
}
