/**
 * Path finding between two parties: pick each end from the canvas selection or by search, rank by
 * fewest hops (shortest / all shortest / k shortest) or by strongest evidence, choose max hops,
 * relationship types and nodes to avoid. Paths are drawn on the canvas and highlighted one at a time;
 * the list steps through them, each with why its ends are connected, and the highlighted one hop by
 * hop with each hop's weight and source (dataset, release, record).
 */
import { useEffect, useState } from 'react';
import * as api from '../api';
import { EVIDENCE_WEIGHTS, FACT_KINDS, REL_TYPES, REL_TYPE_NAMES } from '../../../server/core/model';
import { SearchBox } from './SearchBox';

export interface PathEnd {
  id: string;
  name: string;
}
export interface PathQuery {
  from: PathEnd | null;
  to: PathEnd | null;
  mode: api.PathMode;
  /** HOPS: fewest hops first (as `mode` says); EVIDENCE: strongest links first. */
  rank: api.PathRank;
  maxHops: number;
  limit: number;
  types: string[];
  avoid: PathEnd[];
}

interface Props {
  query: PathQuery;
  setQuery(q: PathQuery): void;
  selected: PathEnd | null;
  results: api.Path[] | null;
  active: number;
  busy: boolean;
  error: string | null;
  onRun(): void;
  /** Runs the query changed by `patch` (the offers after a search that found nothing). */
  onRetry(patch: Partial<PathQuery>): void;
  onShow(i: number): void;
  onClear(): void;
}

/** Program membership: left out of path searches by default (DEFAULT_PATH_REL_TYPES), offered when nothing is found. */
const PROGRAM_REL = FACT_KINDS.Program.relType;

function describeTypes(types: string[]): string {
  if (types.length === 0 || types.length === REL_TYPE_NAMES.length) return 'all';
  const missing = REL_TYPE_NAMES.filter((t) => !types.includes(t));
  if (missing.length <= 2) return `all but ${missing.map((t) => REL_TYPES[t].name).join(', ')}`;
  return types.map((t) => REL_TYPES[t as keyof typeof REL_TYPES]?.name ?? t).join(', ');
}

const RANKS: { rank: api.PathRank; label: string }[] = [
  { rank: 'HOPS', label: 'Fewest hops' },
  { rank: 'EVIDENCE', label: 'Strongest evidence' },
];

/** Weights as the server ranks by them (model.ts EVIDENCE_WEIGHTS), for the help line. */
const WEIGHTS_HELP = REL_TYPE_NAMES.filter((t) => EVIDENCE_WEIGHTS[t] > 0)
  .sort((a, b) => EVIDENCE_WEIGHTS[b] - EVIDENCE_WEIGHTS[a])
  .map((t) => `${REL_TYPES[t].name} ${EVIDENCE_WEIGHTS[t]}`)
  .join(', ');

const MODES: { mode: api.PathMode; label: string }[] = [
  { mode: 'ALL_SHORTEST', label: 'All shortest' },
  { mode: 'SHORTEST', label: 'One shortest' },
  { mode: 'K_SHORTEST', label: 'k shortest' },
];

function End({ label, value, selected, onSet, testId }: { label: string; value: PathEnd | null; selected: PathEnd | null; onSet(v: PathEnd | null): void; testId: string }) {
  return (
    <fieldset className="path-end" data-testid={testId}>
      <legend>{label}</legend>
      {value ? (
        <div className="chosen">
          <span className="chosen-name" data-id={value.id}>{value.name}</span>
          <button className="icon" aria-label={`Clear ${label}`} onClick={() => onSet(null)}>
            ×
          </button>
        </div>
      ) : (
        <>
          <SearchBox label={`${label}: search`} placeholder="Search a party…" compact filters={{}} onPick={(h) => onSet({ id: h.entity.id, name: h.entity.name })} />
          <button disabled={!selected} onClick={() => selected && onSet(selected)}>
            Use selected{selected ? `: ${selected.name}` : ''}
          </button>
        </>
      )}
    </fieldset>
  );
}

export function PathPanel({ query, setQuery, selected, results, active, busy, error, onRun, onRetry, onShow, onClear }: Props) {
  const [showTypes, setShowTypes] = useState(false);
  // What the user typed in Max hops, kept apart from the query: a number out of range is shown, refused
  // with a message and not sent, rather than silently clamped (typing 8 used to search 6 hops).
  const [hopsText, setHopsText] = useState(String(query.maxHops));
  useEffect(() => setHopsText(String(query.maxHops)), [query.maxHops]);
  const hops = Number(hopsText);
  const hopsError = Number.isInteger(hops) && hops >= 1 && hops <= api.MAX_HOPS ? null : `Max hops must be a whole number from 1 to ${api.MAX_HOPS} (the most the server searches).`;
  const set = (patch: Partial<PathQuery>) => setQuery({ ...query, ...patch });
  const evidence = query.rank === 'EVIDENCE';
  return (
    <section className="panel paths" aria-label="Paths" data-testid="path-panel">
      <End label="From" testId="path-from" value={query.from} selected={selected} onSet={(from) => set({ from })} />
      <End label="To" testId="path-to" value={query.to} selected={selected} onSet={(to) => set({ to })} />
      <fieldset className="form-row path-rank" data-testid="path-rank">
        <legend>Order paths by</legend>
        {RANKS.map((r) => (
          <label key={r.rank}>
            <input type="radio" name="path-rank" value={r.rank} checked={query.rank === r.rank} onChange={() => set({ rank: r.rank })} /> {r.label}
          </label>
        ))}
      </fieldset>
      {evidence && (
        <p className="muted" data-testid="evidence-help">
          Strongest first: a path is as strong as the product of its hops&apos; weights ({WEIGHTS_HELP}; a shared address or identifier is one hop). Shared programs are
          never followed: being listed under the same program is no connection.
        </p>
      )}
      <div className="form-row">
        {!evidence && (
          <label>
            Mode{' '}
            <select value={query.mode} onChange={(e) => set({ mode: e.target.value as api.PathMode })}>
              {MODES.map((m) => (
                <option key={m.mode} value={m.mode}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Max hops{' '}
          <input
            type="number"
            min={1}
            max={api.MAX_HOPS}
            value={hopsText}
            aria-invalid={!!hopsError}
            data-testid="max-hops"
            onChange={(e) => {
              setHopsText(e.target.value);
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 1 && n <= api.MAX_HOPS) set({ maxHops: n });
            }}
          />
        </label>
        {(evidence || query.mode !== 'SHORTEST') && (
          <label>
            At most{' '}
            <input type="number" min={1} max={50} value={query.limit} onChange={(e) => set({ limit: Math.min(50, Math.max(1, Number(e.target.value) || 1)) })} />
          </label>
        )}
      </div>
      <button className="link" aria-expanded={showTypes} onClick={() => setShowTypes(!showTypes)}>
        Relationship types: {describeTypes(query.types)}
      </button>
      {showTypes && (
        <div className="checks">
          {REL_TYPE_NAMES.map((t) => (
            <label key={t}>
              <input
                type="checkbox"
                disabled={evidence && EVIDENCE_WEIGHTS[t] <= 0}
                checked={query.types.includes(t)}
                onChange={(e) => set({ types: e.target.checked ? [...query.types, t] : query.types.filter((x) => x !== t) })}
              />{' '}
              {REL_TYPES[t].name}
            </label>
          ))}
        </div>
      )}
      <div className="avoid">
        <span>Avoid:</span>
        {query.avoid.map((a) => (
          <span key={a.id} className="tag">
            {a.name}{' '}
            <button className="icon" aria-label={`Stop avoiding ${a.name}`} onClick={() => set({ avoid: query.avoid.filter((x) => x.id !== a.id) })}>
              ×
            </button>
          </span>
        ))}
        <button disabled={!selected || query.avoid.some((a) => a.id === selected.id)} onClick={() => selected && set({ avoid: [...query.avoid, selected] })}>
          + selected node
        </button>
      </div>
      {hopsError && (
        <p className="error" role="alert" data-testid="hops-error">
          {hopsError}
        </p>
      )}
      <div className="actions">
        <button className="primary" disabled={!query.from || !query.to || busy || !!hopsError} onClick={onRun} data-testid="find-paths">
          {busy ? 'Searching…' : 'Find paths'}
        </button>
        {results && <button onClick={onClear}>Clear</button>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {results && results.length === 0 && (
        <div className="no-path" role="status" data-testid="no-path">
          <p>
            No path of at most {query.maxHops} hops{query.types.length ? ' over these relationship types' : ''} between {query.from?.name} and {query.to?.name}. Both are
            on the canvas.
          </p>
          <div className="actions">
            {query.maxHops < api.MAX_HOPS ? (
              <button onClick={() => onRetry({ maxHops: query.maxHops + 1 })} disabled={busy} data-testid="more-hops">
                Search up to {query.maxHops + 1} hops
              </button>
            ) : (
              <span className="muted">{api.MAX_HOPS} hops is the most the server searches.</span>
            )}
            {!evidence && query.types.length > 0 && !query.types.includes(PROGRAM_REL) && (
              <button onClick={() => onRetry({ types: [...query.types, PROGRAM_REL] })} disabled={busy} data-testid="with-programs">
                Include shared programs
              </button>
            )}
          </div>
        </div>
      )}
      {results && results.length > 0 && (
        <div className="path-results" data-testid="path-results">
          <div className="stepper">
            <button onClick={() => onShow(Math.max(0, active - 1))} disabled={active === 0} aria-label="Previous path">
              ‹
            </button>
            <span role="status">
              Path {active + 1} of {results.length}
            </span>
            <button onClick={() => onShow(Math.min(results.length - 1, active + 1))} disabled={active >= results.length - 1} aria-label="Next path">
              ›
            </button>
          </div>
          <ol>
            {results.map((p, i) => (
              <li key={i} className={i === active ? 'active' : ''} data-testid="path-item">
                <button className="link" onClick={() => onShow(i)}>
                  {i + 1}. {p.length} {p.length === 1 ? 'hop' : 'hops'}, strength {p.strength.toFixed(2)}: {p.nodes.map((n) => n.label).join(' → ')}
                </button>
                <p className="muted path-why" data-testid="path-why" style={{ margin: '2px 0 4px', overflowWrap: 'anywhere' }}>
                  Why: {p.why}
                </p>
                {i === active && (
                  <ul className="path-hops" data-testid="path-hops" style={{ paddingLeft: 16, overflowWrap: 'anywhere' }}>
                    {p.hops.map((h, j) => (
                      <li key={j}>
                        {h.text} <span className="muted">(weight {h.weight})</span>
                        <br />
                        <cite className="muted" data-testid="hop-citation">
                          {h.citation}
                        </cite>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
