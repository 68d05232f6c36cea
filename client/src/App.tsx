/**
 * The explorer: search, canvas, details, paths, timeline, export. State lives here as an undoable
 * investigation (graph-state.ts) mirrored into the URL (url-state.ts); the canvas only renders it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as api from './api';
import { download, downloadExport } from './download';
import * as gs from './graph-state';
import { decodeUrlState, encodeUrlState } from './url-state';
import { isPartyKind, PARTY_KIND_LIST, Theme } from './style';
import { CanvasHandle, GraphCanvas, LAYOUTS } from './components/GraphCanvas';
import { SearchBox } from './components/SearchBox';
import { DetailsPanel } from './components/DetailsPanel';
import { PathPanel, PathQuery, PathEnd } from './components/PathPanel';
import { Timeline } from './components/Timeline';
import { Legend } from './components/Legend';
import { DEFAULT_PATH_REL_TYPES, REL_TYPES, REL_TYPE_NAMES } from '../../server/core/model';

/** Nodes one expansion adds at most; a hub shows a "+N more" handle for the rest. */
export const EXPAND_CAP = 25;
/** Relationship types a path follows by default: all but program membership. */
const DEFAULT_PATH_TYPES: string[] = DEFAULT_PATH_REL_TYPES;
/** "Show everyone who shares it" adds at most this many. */
const SHARED_CAP = 60;

type Tab = 'search' | 'paths';

function initialTheme(): Theme {
  const saved = localStorage.getItem('sg-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App() {
  const [history, setHistory] = useState<gs.History>(() => gs.historyOf(gs.EMPTY));
  const state = history.present;
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [layout, setLayout] = useState<string>('fcose');
  const [types, setTypes] = useState<string[]>([]);
  const [selection, setSelection] = useState<{ nodes: string[]; edge: string | null }>({ nodes: [], edge: null });
  const [tab, setTab] = useState<Tab>('search');
  const [filters, setFilters] = useState<api.SearchFilters>({});
  const [datasets, setDatasets] = useState<api.Dataset[] | null>(null);
  const [serverProblem, setServerProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; kind: 'info' | 'warn' | 'error' } | null>(null);
  // Paths through a shared program connect thousands of parties and say little: left out unless asked for.
  const [pathQuery, setPathQuery] = useState<PathQuery>({ from: null, to: null, mode: 'ALL_SHORTEST', maxHops: 4, limit: 10, types: DEFAULT_PATH_TYPES, avoid: [] });
  const [pathResults, setPathResults] = useState<api.Path[] | null>(null);
  const [pathActive, setPathActive] = useState(0);
  const [pathBusy, setPathBusy] = useState(false);
  const [pathError, setPathError] = useState<string | null>(null);
  const [timelineKey, setTimelineKey] = useState<string | null>(null);
  const [timelineIds, setTimelineIds] = useState<string[]>([]);
  const [exportOpen, setExportOpen] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const canvas = useRef<CanvasHandle>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  const change = useCallback((fn: (s: gs.Investigation) => gs.Investigation) => {
    setHistory((h) => gs.commit(h, fn(h.present)));
  }, []);

  const fail = (e: unknown) => setNotice({ text: api.describeError(e), kind: 'error' });

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('sg-theme', theme);
  }, [theme]);

  // Is the server ready? While it loads its data it answers 503 with the reason; poll until it is.
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const check = async () => {
      try {
        setDatasets(await api.datasets());
        setServerProblem(null);
      } catch (e) {
        let reason = api.describeError(e);
        try {
          const h = await fetch('/healthz').then((r) => r.json());
          if (h.reason) reason = `The server is ${h.reason}…`;
        } catch {
          /* keep the first reason */
        }
        setServerProblem(reason);
        if (!stop) timer = setTimeout(check, 3000);
      }
    };
    void check();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, []);

  // Restore an investigation from the URL once the server is ready, and again when a link is pasted
  // into this tab (a fragment change does not reload the page).
  const restored = useRef(false);
  const lastHash = useRef<string | null>(null);
  const restoreFrom = (hash: string) => {
    const u = decodeUrlState(hash);
    lastHash.current = hash.replace(/^#/, '');
    if (u.layout && LAYOUTS.some((l) => l.name === u.layout)) setLayout(u.layout);
    setTypes(u.types); // decodeUrlState keeps only the model's relationship types
    setPathResults(null);
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
          const name = (id: string) => s.nodes[id]?.label ?? id;
          const q: PathQuery = { ...pathQuery, from: { id: u.path.from, name: name(u.path.from) }, to: { id: u.path.to, name: name(u.path.to) }, mode: u.path.mode as api.PathMode, maxHops: u.path.maxHops };
          setPathQuery(q);
          setTab('paths');
          void runPaths(q);
        }
      })
      .catch(fail)
      .finally(() => setRestoring(false));
  };
  useEffect(() => {
    if (restored.current || !datasets) return;
    restored.current = true;
    restoreFrom(window.location.hash);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasets]);
  useEffect(() => {
    const onHash = () => {
      if (window.location.hash.replace(/^#/, '') !== lastHash.current) restoreFrom(window.location.hash);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  });

  // Mirror the investigation into the URL (replaceState: the browser history is not flooded).
  useEffect(() => {
    if (!restored.current || restoring) return;
    const hash = encodeUrlState({
      nodes: state.order,
      expanded: state.expanded,
      hidden: state.hidden,
      pinned: state.pinned,
      types,
      layout: layout === 'fcose' ? null : layout,
      path: pathResults && pathQuery.from && pathQuery.to ? { from: pathQuery.from.id, to: pathQuery.to.id, mode: pathQuery.mode, maxHops: pathQuery.maxHops } : null,
      selected: null,
    });
    lastHash.current = hash;
    const url = `${window.location.pathname}${window.location.search}${hash ? `#${hash}` : ''}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(null, '', url);
  }, [state, types, layout, pathResults, pathQuery, restoring]);

  /** Adds nodes and every relationship between them and what is already on the canvas. */
  const addWithContext = async (g: api.Subgraph) => {
    const current = stateRef.current;
    const newIds = g.nodes.map((n) => n.id).filter((id) => !current.nodes[id]);
    let edges = g.edges;
    if (newIds.length && current.order.length) {
      const ids = [...new Set([...newIds, ...current.order])].slice(0, 5000);
      edges = [...edges, ...(await api.subgraph(ids)).edges];
    }
    return { nodes: g.nodes, edges, newIds };
  };

  const addEntity = async (id: string, name: string) => {
    setBusy(`Adding ${name}…`);
    try {
      const g = await addWithContext(await api.subgraph([id]));
      if (!g.nodes.length) throw new api.ApiError(`${name} (${id}) is no longer in the data`, 'NOT_FOUND');
      change((s) => gs.addGraph(s, g));
      setSelection({ nodes: [id], edge: null });
      setTimeout(() => {
        const cy = canvas.current?.cy();
        cy?.$(':selected').unselect();
        cy?.getElementById(id).select();
      }, 50);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const expand = async (id: string, cap = EXPAND_CAP) => {
    const s = stateRef.current;
    const node = s.nodes[id];
    setBusy(`Expanding ${node?.label ?? id}…`);
    try {
      const g = await api.neighborhood([id], { limit: cap + 1, relationTypes: types, exclude: s.order.filter((x) => x !== id) });
      const withContext = await addWithContext(g);
      change((cur) => gs.markExpanded(gs.addGraph(cur, withContext), id));
      const added = withContext.newIds.length;
      if (added === 0) setNotice({ text: `${node?.label ?? id}: no more neighbours${types.length ? ' of the selected relationship types' : ''}.`, kind: 'info' });
      else if (g.truncated) setNotice({ text: `Added ${added} of the most relevant neighbours of ${node?.label ?? id}; use its “+N more” handle for the rest.`, kind: 'warn' });
      else setNotice(null);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const showShared = async (id: string) => {
    // An address or identifier from the details panel: put it on the canvas, then everyone who shares it.
    if (!stateRef.current.nodes[id]) {
      const g = await addWithContext(await api.subgraph([id])).catch((e) => {
        fail(e);
        return null;
      });
      if (!g) return;
      change((s) => gs.addGraph(s, g));
      stateRef.current = gs.addGraph(stateRef.current, g);
    }
    await expand(id, SHARED_CAP);
  };

  const runPaths = async (q: PathQuery = pathQuery) => {
    if (!q.from || !q.to) return;
    setPathBusy(true);
    setPathError(null);
    try {
      const found = await api.paths({
        from: q.from.id,
        to: q.to.id,
        mode: q.mode,
        maxHops: q.maxHops,
        limit: q.mode === 'SHORTEST' ? 1 : q.limit,
        relationTypes: q.types,
        excludeIds: q.avoid.map((a) => a.id),
      });
      setPathResults(found);
      setPathActive(0);
      if (found.length) {
        const g = await addWithContext({ nodes: found.flatMap((p) => p.nodes), edges: found.flatMap((p) => p.edges), truncated: false });
        change((s) => gs.addGraph(s, g));
      }
    } catch (e) {
      setPathError(api.describeError(e));
      setPathResults(null);
    } finally {
      setPathBusy(false);
    }
  };

  const selectedNodes = selection.nodes.filter((id) => state.nodes[id]);
  const primary = selectedNodes.length === 1 ? state.nodes[selectedNodes[0]] : null;
  const edge = selection.edge ? state.edges[selection.edge] : undefined;
  const selectedEnd: PathEnd | null = primary && isPartyKind(primary.kind) ? { id: primary.id, name: primary.label } : null;

  const remove = () => selectedNodes.length && change((s) => gs.removeNodes(s, selectedNodes));
  const hide = () => selectedNodes.length && change((s) => gs.hideNodes(s, selectedNodes));
  const pin = () => selectedNodes.length && change((s) => gs.togglePin(s, selectedNodes));

  // Keyboard shortcuts (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select')) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        setHistory((h) => (e.shiftKey ? gs.redo(h) : gs.undo(h)));
        e.preventDefault();
      } else if (mod && e.key.toLowerCase() === 'y') {
        setHistory(gs.redo);
        e.preventDefault();
      } else if (mod) {
        return;
      } else if (e.key === '/') {
        searchInput.current?.focus();
        e.preventDefault();
      } else if (e.key === 'e' && primary) void expand(primary.id);
      else if (e.key === 'Delete' || e.key === 'Backspace') remove();
      else if (e.key === 'h') hide();
      else if (e.key === 'p') pin();
      else if (e.key === 'f') canvas.current?.fit();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const timelineItems = useMemo(
    () => state.order.filter((id) => isPartyKind(state.nodes[id].kind) && !state.nodes[id].placeholder).map((id) => ({ id, date: state.nodes[id].listedOn })),
    [state],
  );
  const highlight = useMemo(() => {
    const p = pathResults?.[pathActive];
    return p ? { nodes: p.nodes.map((n) => n.id), edges: p.edges.map((e) => e.id) } : null;
  }, [pathResults, pathActive]);
  const nodeCount = state.order.length;
  const edgeCount = Object.keys(state.edges).length;
  const remainingOfPrimary = primary ? gs.remaining(state, primary.id) : 0;
  const datasetNames = datasets?.map((d) => d.name) ?? [];

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
      <main className="main">
        <aside className="sidebar" aria-label="Search filters and paths">
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={tab === 'search'} onClick={() => setTab('search')}>
              Filters
            </button>
            <button role="tab" aria-selected={tab === 'paths'} onClick={() => setTab('paths')} data-testid="tab-paths">
              Paths
            </button>
          </div>
          {tab === 'search' && (
            <section className="panel" aria-label="Search filters">
              <h2>Search filters</h2>
              <label>
                Kind
                <select value={filters.kinds?.[0] ?? ''} onChange={(e) => setFilters({ ...filters, kinds: e.target.value ? [e.target.value] : [] })}>
                  <option value="">any kind</option>
                  {PARTY_KIND_LIST.map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </select>
              </label>
              <label>
                Dataset
                <select value={filters.datasets?.[0] ?? ''} onChange={(e) => setFilters({ ...filters, datasets: e.target.value ? [e.target.value] : [] })}>
                  <option value="">any dataset</option>
                  {datasetNames.map((d) => (
                    <option key={d}>{d}</option>
                  ))}
                </select>
              </label>
              <label>
                Programs
                <input
                  placeholder="e.g. DPRK3, CYBER2"
                  value={filters.programs?.join(', ') ?? ''}
                  onChange={(e) => setFilters({ ...filters, programs: e.target.value.split(',').map((x) => x.trim()).filter(Boolean) })}
                />
              </label>
              <label>
                Countries
                <input
                  placeholder="e.g. Korea, North; China"
                  value={filters.countries?.join('; ') ?? ''}
                  onChange={(e) => setFilters({ ...filters, countries: e.target.value.split(';').map((x) => x.trim()).filter(Boolean) })}
                />
              </label>
              <h2>Show relationships</h2>
              <div className="checks">
                {REL_TYPE_NAMES.map((t) => (
                  <label key={t}>
                    <input
                      type="checkbox"
                      checked={types.length === 0 || types.includes(t)}
                      onChange={(e) => {
                        const all = types.length === 0 ? [...REL_TYPE_NAMES] : types;
                        const next = e.target.checked ? [...all, t] : all.filter((x) => x !== t);
                        setTypes(next.length === REL_TYPE_NAMES.length ? [] : next);
                      }}
                    />{' '}
                    {REL_TYPES[t].name}
                  </label>
                ))}
              </div>
              <p className="muted small">Expansion follows only the relationship types shown.</p>
              {datasets && (
                <>
                  <h2>Data</h2>
                  <ul className="datasets">
                    {datasets.map((d) => (
                      <li key={d.name}>
                        <strong>{d.name}</strong> {d.release} · {d.entityCount.toLocaleString()} listed
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          )}
          {tab === 'paths' && (
            <PathPanel
              query={pathQuery}
              setQuery={setPathQuery}
              selected={selectedEnd}
              results={pathResults}
              active={pathActive}
              busy={pathBusy}
              error={pathError}
              onRun={() => void runPaths()}
              onShow={setPathActive}
              onClear={() => {
                setPathResults(null);
                setPathError(null);
              }}
            />
          )}
        </aside>
        <section className="stage" aria-label="Graph">
          <div className="toolbar" role="toolbar" aria-label="Canvas tools">
            <button onClick={() => primary && void expand(primary.id)} disabled={!primary} title="Expand the selected node (E or double-click)">
              Expand
            </button>
            <button onClick={hide} disabled={!selectedNodes.length} title="Hide the selection (H)">
              Hide
            </button>
            <button onClick={() => change(gs.showAll)} disabled={!state.hidden.length} title="Show hidden nodes">
              Show all{state.hidden.length ? ` (${state.hidden.length})` : ''}
            </button>
            <button onClick={pin} disabled={!selectedNodes.length} title="Pin / unpin: pinned nodes keep their place (P)">
              Pin
            </button>
            <button onClick={remove} disabled={!selectedNodes.length} title="Remove the selection (Delete)">
              Remove
            </button>
            <span className="sep" />
            <button onClick={() => setHistory(gs.undo)} disabled={!history.past.length} title="Undo (Ctrl+Z)" aria-label="Undo">
              ↶ Undo
            </button>
            <button onClick={() => setHistory(gs.redo)} disabled={!history.future.length} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
              ↷ Redo
            </button>
            <span className="sep" />
            <button onClick={() => canvas.current?.fit()} title="Fit to screen (F)">
              Fit
            </button>
            <button onClick={() => canvas.current?.zoom(1.25)} aria-label="Zoom in">
              +
            </button>
            <button onClick={() => canvas.current?.zoom(0.8)} aria-label="Zoom out">
              −
            </button>
            <label className="layout-select">
              <span className="visually-hidden">Layout</span>
              <select value={layout} onChange={(e) => setLayout(e.target.value)} aria-label="Layout">
                {LAYOUTS.map((l) => (
                  <option key={l.name} value={l.name}>
                    {l.label}
                  </option>
                ))}
              </select>
            </label>
            <button onClick={() => canvas.current?.relayout(true)} title="Lay out again">
              Re-layout
            </button>
            <span className="sep" />
            <div className="menu">
              <button aria-haspopup="menu" aria-expanded={exportOpen} onClick={() => setExportOpen(!exportOpen)} disabled={!nodeCount} data-testid="export-button">
                Export ▾
              </button>
              {exportOpen && (
                <div className="menu-list" role="menu" onClick={() => setExportOpen(false)}>
                  <button role="menuitem" onClick={() => download('sanctions-graph.png', canvas.current!.png())}>
                    Image (PNG)
                  </button>
                  <button role="menuitem" onClick={() => download('sanctions-graph.svg', `data:image/svg+xml;charset=utf-8,${encodeURIComponent(canvas.current!.svg())}`)}>
                    Image (SVG)
                  </button>
                  {api.EXPORT_FORMATS.map((f) => (
                    <button key={f.format} role="menuitem" data-format={f.format} onClick={() => downloadExport(state.order, f.format)}>
                      {f.label}
                    </button>
                  ))}
                  <button role="menuitem" onClick={() => void navigator.clipboard?.writeText(window.location.href).then(() => setNotice({ text: 'Link copied: it restores this graph.', kind: 'info' }))}>
                    Copy link to this graph
                  </button>
                </div>
              )}
            </div>
          </div>
          <div className="canvas-wrap">
            <GraphCanvas
              ref={canvas}
              state={state}
              theme={theme}
              layout={layout}
              types={types}
              highlight={highlight}
              timelineIds={timelineIds}
              onSelect={(nodes, edgeId) => setSelection({ nodes, edge: edgeId })}
              onExpand={(id) => void expand(id)}
            />
            {nodeCount === 0 && !restoring && (
              <div className="empty-state" data-testid="empty-state">
                <h1>Explore sanctioned networks</h1>
                <p>Search a name above, in any script, to put a party on the canvas. Double-click to expand its links, addresses and identifiers.</p>
                <p>
                  Try{' '}
                  <button className="link" onClick={() => void addEntity('ofac-43379', 'CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY')}>
                    Chinyong IT Cooperation Company
                  </button>
                  , a DPRK IT-worker front.
                </p>
              </div>
            )}
            {(busy || restoring) && (
              <div className="busy" role="status">
                <span className="spinner" /> {restoring ? 'Restoring the shared graph…' : busy}
              </div>
            )}
          </div>
          <footer className="statusbar">
            <span data-testid="counts">
              {nodeCount} nodes · {edgeCount} relationships{state.hidden.length ? ` · ${state.hidden.length} hidden` : ''}
            </span>
            {notice && (
              <span className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
                {notice.text}{' '}
                <button className="icon" aria-label="Dismiss" onClick={() => setNotice(null)}>
                  ×
                </button>
              </span>
            )}
          </footer>
          <div className="bottom">
            <Legend />
            <Timeline
              items={timelineItems}
              active={timelineKey}
              onPick={(key, ids) => {
                setTimelineKey(key);
                setTimelineIds(ids);
              }}
            />
          </div>
        </section>
        <aside className="right" aria-label="Details">
          <DetailsPanel
            node={edge ? null : primary}
            edge={edge ? { edge, source: state.nodes[edge.source]?.label ?? edge.source, target: state.nodes[edge.target]?.label ?? edge.target } : null}
            remaining={remainingOfPrimary}
            onShowShared={(id) => void showShared(id)}
            onExpand={(id) => void expand(id)}
            onShowMatch={(id, other) => {
              void (async () => {
                try {
                  const g = await addWithContext(await api.subgraph([id, other]));
                  change((s) => gs.addGraph(s, g));
                } catch (e) {
                  fail(e);
                }
              })();
            }}
            onUseInPath={(id, end) => {
              const n = state.nodes[id];
              setPathQuery({ ...pathQuery, [end]: { id, name: n?.label ?? id } });
              setTab('paths');
            }}
          />
          {selectedNodes.length > 1 && <p className="muted multi">{selectedNodes.length} nodes selected: Hide, Pin and Remove apply to all of them.</p>}
        </aside>
      </main>
    </div>
  );
}
