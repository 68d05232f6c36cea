/**
 * The explorer: search, canvas, details, paths, timeline, export. This file composes them; each panel is
 * a component (components/), each concern a hook (hooks/): the investigation and its undo history
 * (useInvestigation, over graph-state.ts), the URL that mirrors it (useUrlState, url-state.ts), the server's
 * readiness, the path search and the keyboard shortcuts. The canvas only renders the state.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as api from './api';
import * as gs from './graph-state';
import type { Point, UrlState } from './url-state';
import { isPartyKind, THEME_COLORS } from './style';
import { captionText } from './caption';
import { CanvasHandle, GraphCanvas, LAYOUTS } from './components/GraphCanvas';
import { SearchBox } from './components/SearchBox';
import { DetailsPanel } from './components/DetailsPanel';
import { PathPanel, PathEnd } from './components/PathPanel';
import { Timeline } from './components/Timeline';
import { Legend } from './components/Legend';
import { FiltersPanel } from './components/FiltersPanel';
import { Toolbar } from './components/Toolbar';
import { ExportMenu } from './components/ExportMenu';
import { InvestigationsPanel } from './components/InvestigationsPanel';
import { ApiKeyDialog } from './components/ApiKeyDialog';
import { StatusBar } from './components/StatusBar';
import { EmptyState } from './components/EmptyState';
import { ShortcutSheet } from './components/ShortcutSheet';
import { ScreenPanel } from './components/ScreenPanel';
import { CanvasFilterPanel } from './components/CanvasFilter';
import { ExpandByType } from './components/ExpandByType';
import { CanvasFilter, filteredOut, NO_FILTER } from './elements';
import { Notice, useInvestigation } from './hooks/useInvestigation';
import { usePathSearch } from './hooks/usePathSearch';
import { useServerReadiness } from './hooks/useServerReadiness';
import { useShortcuts } from './hooks/useShortcuts';
import { useTheme } from './hooks/useTheme';
import { useUrlState } from './hooks/useUrlState';
import { useGrouping } from './hooks/useGrouping';
import { GroupActions } from './components/GroupActions';
import { useProgramHubs } from './hooks/useProgramHubs';
import { useAsOfDate } from './hooks/useAsOfDate';
import { expansionTypes, remainingOf } from './program-badges';

type Tab = 'search' | 'paths';

export function App() {
  const [theme, setTheme] = useTheme();
  const { datasets, problem: serverProblem } = useServerReadiness();
  const [layout, setLayout] = useState<string>('fcose');
  /** Relationship types shown (and followed by expansion); empty = all. */
  const [types, setTypes] = useState<string[]>([]);
  const [selection, setSelection] = useState<{ nodes: string[]; edge: string | null }>({ nodes: [], edge: null });
  const [tab, setTab] = useState<Tab>('search');
  const [filters, setFilters] = useState<api.SearchFilters>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [timeline, setTimeline] = useState<{ key: string | null; ids: string[] }>({ key: null, ids: [] });
  const [restoring, setRestoring] = useState(false);
  const [help, setHelp] = useState(false);
  const [screenOpen, setScreenOpen] = useState(false);
  /** A node to select once the canvas has drawn it (a screening result or an exposure put there). */
  const [pendingSelect, setPendingSelect] = useState<string | null>(null);
  const [canvasFilter, setCanvasFilter] = useState<CanvasFilter>(NO_FILTER);
  /** Where each node was last drawn (GraphCanvas reports it): kept in the link, and used when a node is drawn again. */
  const [positions, setPositions] = useState<Record<string, Point>>({});
  /** Side panels folded away, for more canvas on a small screen. */
  const [folded, setFolded] = useState<{ left: boolean; right: boolean }>({ left: false, right: false });
  const canvas = useRef<CanvasHandle>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  // Programs as badges (the default): expansions leave program membership out (program-badges.ts).
  const programHubs = !!canvasFilter.programHubs;
  const inv = useInvestigation(expansionTypes(types, programHubs), setNotice);
  const programs = useProgramHubs(inv, programHubs);
  const { state, history, setHistory, change } = inv;
  const paths = usePathSearch(inv.addPaths, inv.addIds);
  const grouping = useGrouping(state, setNotice);
  const asOfDate = useAsOfDate();

  useUrlState(
    !!datasets,
    {
      nodes: state.order,
      expanded: state.expanded,
      hidden: state.hidden,
      pinned: state.pinned,
      types,
      layout: layout === 'fcose' ? null : layout,
      path: paths.results && paths.query.from && paths.query.to ? { from: paths.query.from.id, to: paths.query.to.id, mode: paths.query.mode, maxHops: paths.query.maxHops, ...(paths.query.rank === 'EVIDENCE' ? { rank: 'EVIDENCE' as const } : {}) } : null,
      selected: null,
      positions,
      hubs: programHubs,
      // A collapsed group's node where it is drawn: a reload draws it there again.
      groups: grouping.groups.map((g) => (g.collapsed && positions[g.id] ? { ...g, at: positions[g.id] } : g)),
      ...(asOfDate ? { asOf: asOfDate } : {}),
    },
    restoring,
    (u: UrlState) => {
      if (u.layout && LAYOUTS.some((l) => l.name === u.layout)) setLayout(u.layout);
      setTypes(u.types); // decodeUrlState keeps only the model's relationship types
      setCanvasFilter((f) => ({ ...f, programHubs: !!u.hubs }));
      // Before the canvas is read: a link made as of a date shows the network as of that date.
      api.setAsOf(u.asOf ?? null);
      paths.reset();
      // A link without positions (made before they were kept) lays its nodes out anew.
      setPositions(u.positions ?? {});
      grouping.setGroups(u.groups ?? []);
      if (u.positions) canvas.current?.place(u.positions);
      if (!u.nodes.length) {
        setHistory((h) => gs.commit(h, gs.EMPTY));
        return;
      }
      setRestoring(true);
      api
        .subgraph(u.nodes)
        .then((g) => {
          let s = gs.addGraph(gs.EMPTY, g);
          // Keep the saved order (the API returns nodes in its own order).
          s = { ...s, order: u.nodes.filter((id) => s.nodes[id]), expanded: u.expanded, hidden: u.hidden, pinned: u.pinned };
          setHistory((h) => gs.commit(h, s));
          const missing = u.nodes.length - g.nodes.length;
          setNotice({
            text: `Restored ${g.nodes.length} ${g.nodes.length === 1 ? 'node' : 'nodes'} from the link${missing > 0 ? `; ${missing} ${missing === 1 ? 'is' : 'are'} no longer in the data` : ''}.`,
            kind: missing > 0 ? 'warn' : 'info',
          });
          if (u.path) {
            const end = (id: string) => ({ id, name: s.nodes[id]?.label ?? id });
            paths.restore({ from: end(u.path.from), to: end(u.path.to), mode: u.path.mode as api.PathMode, maxHops: u.path.maxHops, rank: u.path.rank ?? 'HOPS' });
            setTab('paths');
          }
        })
        .catch((e) => setNotice({ text: api.describeError(e), kind: 'error' }))
        .finally(() => setRestoring(false));
    },
  );

  const addEntity = async (id: string, name: string) => {
    if (!(await inv.addEntity(id, name))) return;
    setSelection({ nodes: [id], edge: null });
    setTimeout(() => {
      const cy = canvas.current?.cy();
      cy?.$(':selected').unselect();
      cy?.getElementById(id).select();
    }, 50);
  };

  const stateRef = useRef(state);
  stateRef.current = state;
  /**
   * Puts nodes (a match and the path to its nearest sanctioned party) on the canvas with the relationships
   * among them, and selects `select` when given.
   */
  const showOnCanvas = async (ids: string[], select: string | null, what: string) => {
    const before = stateRef.current;
    const unique = [...new Set(ids)];
    if (!(await inv.addIds(unique))) return; // the status bar says why
    if (select) setPendingSelect(select);
    const added = unique.filter((id) => !before.nodes[id]).length;
    setNotice({ text: added ? `${what}: added ${added} ${added === 1 ? 'node' : 'nodes'} to the canvas.` : `${what} is already on the canvas.`, kind: 'info' });
  };
  // The canvas applies a new state in its own effect, which runs before this one (children first).
  useEffect(() => {
    if (!pendingSelect || !state.nodes[pendingSelect]) return;
    const cy = canvas.current?.cy();
    if (!cy) return;
    cy.$(':selected').unselect();
    cy.getElementById(pendingSelect).select();
    setSelection({ nodes: [pendingSelect], edge: null });
    setPendingSelect(null);
  }, [state, pendingSelect]);

  const selectedNodes = selection.nodes.filter((id) => state.nodes[id]);
  const primary = selectedNodes.length === 1 ? state.nodes[selectedNodes[0]] : null;
  const edge = selection.edge ? state.edges[selection.edge] : undefined;
  const selectedEnd: PathEnd | null = primary && isPartyKind(primary.kind) ? { id: primary.id, name: primary.label } : null;

  const expandSelected = () => selectedNodes.length && void programs.expandAll(selectedNodes);
  const remove = () => selectedNodes.length && change((s) => gs.removeNodes(s, selectedNodes));
  const hide = () => selectedNodes.length && change((s) => gs.hideNodes(s, selectedNodes));
  const pin = () => selectedNodes.length && change((s) => gs.togglePin(s, selectedNodes));
  const undo = () => setHistory(gs.undo);
  const redo = () => setHistory(gs.redo);

  useShortcuts({
    undo,
    redo,
    focusSearch: () => searchInput.current?.focus(),
    expand: expandSelected,
    remove,
    hide,
    pin,
    fit: () => canvas.current?.fit(),
    selectAll: () => canvas.current?.selectAll(),
    clearSelection: () => canvas.current?.clearSelection(),
    help: () => setHelp(true),
    screen: () => setScreenOpen((o) => !o),
    group: () => grouping.group(selection.nodes),
    ungroup: () => grouping.ungroup(selection.nodes),
  });

  const timelineItems = useMemo(
    () => state.order.filter((id) => isPartyKind(state.nodes[id].kind) && !state.nodes[id].placeholder).map((id) => ({ id, date: state.nodes[id].listedOn })),
    [state],
  );
  const highlight = useMemo(() => {
    const p = paths.results?.[paths.active];
    return p ? { nodes: p.nodes.map((n) => n.id), edges: p.edges.map((e) => e.id) } : null;
  }, [paths.results, paths.active]);
  const nodeCount = state.order.length;
  const filteredCount = useMemo(() => filteredOut(state, canvasFilter).size, [state, canvasFilter]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <strong>sanctions-graph</strong>
          <span className="muted">{datasets ? datasets.map((d) => `${d.name} ${d.release ?? ''}`).join(' · ') : ''}</span>
        </div>
        <SearchBox
          label="Search sanctioned parties"
          placeholder="Search a name, alias, vessel… (press / )"
          filters={filters}
          inputRef={searchInput}
          testId="search"
          onPick={(h) => void addEntity(h.entity.id, h.entity.name)}
        />
        <div className="top-actions">
          <a href="/graphql" target="_blank" rel="noreferrer" title="GraphQL IDE (works offline)">
            GraphQL
          </a>
          <button onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" data-testid="help-button">
            ?
          </button>
          <button onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')} aria-label={`Switch to ${theme === 'light' ? 'dark' : 'light'} theme`}>
            {theme === 'light' ? '☾ Dark' : '☀ Light'}
          </button>
        </div>
      </header>
      {serverProblem && (
        <div className="banner error" role="alert" data-testid="server-problem">
          {serverProblem} Retrying every few seconds.
        </div>
      )}
      <main className={`main${folded.left ? ' fold-left' : ''}${folded.right ? ' fold-right' : ''}`}>
        <FoldButton side="left" folded={folded.left} what="the filters and paths panel" onToggle={() => setFolded({ ...folded, left: !folded.left })} />
        <FoldButton side="right" folded={folded.right} what="the details panel" onToggle={() => setFolded({ ...folded, right: !folded.right })} />
        <aside className="sidebar" aria-label="Search filters and paths" hidden={folded.left}>
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={tab === 'search'} onClick={() => setTab('search')}>
              Filters
            </button>
            <button role="tab" aria-selected={tab === 'paths'} onClick={() => setTab('paths')} data-testid="tab-paths">
              Paths
            </button>
          </div>
          {tab === 'search' && (
            <>
              <FiltersPanel filters={filters} setFilters={setFilters} types={types} setTypes={setTypes} datasets={datasets} />
              <CanvasFilterPanel state={state} filter={canvasFilter} setFilter={setCanvasFilter} filteredOut={filteredCount} />
            </>
          )}
          {tab === 'paths' && (
            <PathPanel
              query={paths.query}
              setQuery={paths.setQuery}
              selected={selectedEnd}
              results={paths.results}
              active={paths.active}
              busy={paths.busy}
              error={paths.error}
              onRun={() => void paths.run()}
              onRetry={paths.retry}
              onShow={paths.setActive}
              onClear={paths.clear}
            />
          )}
        </aside>
        <section className="stage" aria-label="Graph">
          <Toolbar
            canvas={canvas}
            selected={selectedNodes.length}
            canExpand={selectedNodes.length > 0}
            hidden={state.hidden.length}
            canUndo={history.past.length > 0}
            canRedo={history.future.length > 0}
            layout={layout}
            nodes={nodeCount}
            setLayout={setLayout}
            onExpand={expandSelected}
            onHide={hide}
            onShowAll={() => change(gs.showAll)}
            onPin={pin}
            onRemove={remove}
            onUndo={undo}
            onRedo={redo}
            screenOpen={screenOpen}
            onScreen={() => setScreenOpen(!screenOpen)}
          >
            <ExportMenu
              canvas={canvas}
              ids={state.order}
              caption={() => captionText({ datasets: datasets ?? [], shown: Object.values(state.edges), now: new Date() })}
              captionColors={THEME_COLORS[theme]}
              onLinkCopied={() => setNotice({ text: 'Link copied: it restores this graph.', kind: 'info' })}
              onError={(text) => setNotice({ text, kind: 'error' })}
            />
            <InvestigationsPanel canvas={canvas} state={state} setHistory={setHistory} positions={positions} setPositions={setPositions} selection={selection} notify={setNotice} />
          </Toolbar>
          {/* Kept mounted while closed: a file being screened goes on, and its results stay. */}
          <ScreenPanel open={screenOpen} onClose={() => setScreenOpen(false)} onShow={(ids, select, what) => void showOnCanvas(ids, select, what)} />
          <div className="canvas-wrap">
            <GraphCanvas
              ref={canvas}
              state={state}
              theme={theme}
              layout={layout}
              types={types}
              filter={canvasFilter}
              highlight={highlight}
              timelineIds={timeline.ids}
              onSelect={(nodes, edgeId) => setSelection({ nodes, edge: edgeId })}
              onExpand={(id) => void programs.expand(id)}
              positions={positions}
              onPositions={(p) => setPositions((prev) => ({ ...prev, ...p }))}
              groups={grouping.groups}
              onToggleGroup={grouping.toggle}
            />
            {nodeCount === 0 && !restoring && <EmptyState onTry={(id, name) => void addEntity(id, name)} />}
            {(inv.busy || restoring) && (
              <div className="busy" role="status">
                <span className="spinner" /> {restoring ? 'Restoring the shared graph…' : inv.busy}
              </div>
            )}
          </div>
          <StatusBar nodes={nodeCount} filtered={filteredCount} edges={Object.keys(state.edges).length} hidden={state.hidden.length} notice={notice} onDismiss={() => setNotice(null)} />
          <div className="bottom">
            <Legend />
            <Timeline items={timelineItems} active={timeline.key} onPick={(key, ids) => setTimeline({ key, ids })} />
          </div>
        </section>
        <aside className="right" aria-label="Details" hidden={folded.right}>
          {/* Above the details, which can be long: what the selection can be expanded by stays in view. */}
          <ExpandByType nodes={selectedNodes.map((id) => state.nodes[id])} types={types} busy={!!inv.busy} onExpand={(only) => void inv.expandAll(selectedNodes, only)} />
          <DetailsPanel
            node={edge ? null : primary}
            edge={edge ? { edge, source: state.nodes[edge.source]?.label ?? edge.source, target: state.nodes[edge.target]?.label ?? edge.target } : null}
            remaining={primary ? remainingOf(state, primary.id, programHubs) : 0}
            onShowShared={(id) => void (state.nodes[id]?.kind === 'Program' ? programs.showColisted(id) : inv.showShared(id))}
            onShowColisted={(program) => void programs.showColisted(program)}
            onExpand={(id) => void programs.expand(id)}
            onShowMatch={(id, other) => void inv.showMatch(id, other)}
            onShowExposure={(x) => void showOnCanvas(x.path.nodes.map((n) => n.id), null, `Path to ${x.entity.name} (${x.distance} ${x.distance === 1 ? 'hop' : 'hops'})`)}
            onShowChains={(ids, what) => void showOnCanvas(ids, null, what)}
            onGroupLinked={grouping.groupLinked}
            onUseInPath={(id, end) => {
              paths.setQuery({ ...paths.query, [end]: { id, name: state.nodes[id]?.label ?? id } });
              setTab('paths');
            }}
          />
          <GroupActions selected={selection.nodes} groups={grouping.groups} onGroup={() => grouping.group(selection.nodes)} onUngroup={() => grouping.ungroup(selection.nodes)} onToggle={grouping.toggle} />
          {selectedNodes.length > 1 && <p className="muted multi">{selectedNodes.length} nodes selected: Expand, Hide, Pin and Remove apply to all of them.</p>}
        </aside>
      </main>
      <ApiKeyDialog />
      <ShortcutSheet open={help} onClose={() => setHelp(false)} />
    </div>
  );
}

/** Folds a side panel away (more canvas on a small screen) or brings it back; it sits on the canvas's edge. */
function FoldButton({ side, folded, what, onToggle }: { side: 'left' | 'right'; folded: boolean; what: string; onToggle(): void }) {
  const points = (side === 'left') === folded ? '›' : '‹';
  return (
    <button className={`fold fold-${side}-button`} onClick={onToggle} aria-expanded={!folded} aria-label={`${folded ? 'Show' : 'Hide'} ${what}`} data-testid={`fold-${side}`}>
      {points}
    </button>
  );
}
