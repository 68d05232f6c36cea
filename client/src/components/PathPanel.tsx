/**
 * Path finding between two parties: pick each end from the canvas selection or by search, choose
 * shortest / all shortest / k shortest, max hops, relationship types and nodes to avoid. Paths are
 * drawn on the canvas and highlighted one at a time; the list steps through them.
 */
import { useState } from 'react';
import * as api from '../api';
import { REL_TYPES, REL_TYPE_NAMES } from '../../../server/core/model';
import { SearchBox } from './SearchBox';

export interface PathEnd {
  id: string;
  name: string;
}
export interface PathQuery {
  from: PathEnd | null;
  to: PathEnd | null;
  mode: api.PathMode;
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
  onShow(i: number): void;
  onClear(): void;
}

function describeTypes(types: string[]): string {
  if (types.length === 0 || types.length === REL_TYPE_NAMES.length) return 'all';
  const missing = REL_TYPE_NAMES.filter((t) => !types.includes(t));
  if (missing.length <= 2) return `all but ${missing.map((t) => REL_TYPES[t].name).join(', ')}`;
  return types.map((t) => REL_TYPES[t as keyof typeof REL_TYPES]?.name ?? t).join(', ');
}

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
            Use selected{selected ? `: ${selected.name.slice(0, 30)}` : ''}
          </button>
        </>
      )}
    </fieldset>
  );
}

export function PathPanel({ query, setQuery, selected, results, active, busy, error, onRun, onShow, onClear }: Props) {
  const [showTypes, setShowTypes] = useState(false);
  const set = (patch: Partial<PathQuery>) => setQuery({ ...query, ...patch });
  return (
    <section className="panel paths" aria-label="Paths" data-testid="path-panel">
      <End label="From" testId="path-from" value={query.from} selected={selected} onSet={(from) => set({ from })} />
      <End label="To" testId="path-to" value={query.to} selected={selected} onSet={(to) => set({ to })} />
      <div className="form-row">
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
        <label>
          Max hops{' '}
          <input type="number" min={1} max={6} value={query.maxHops} onChange={(e) => set({ maxHops: Math.min(6, Math.max(1, Number(e.target.value) || 1)) })} />
        </label>
        {query.mode !== 'SHORTEST' && (
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
            {a.name.slice(0, 30)}{' '}
            <button className="icon" aria-label={`Stop avoiding ${a.name}`} onClick={() => set({ avoid: query.avoid.filter((x) => x.id !== a.id) })}>
              ×
            </button>
          </span>
        ))}
        <button disabled={!selected || query.avoid.some((a) => a.id === selected.id)} onClick={() => selected && set({ avoid: [...query.avoid, selected] })}>
          + selected node
        </button>
      </div>
      <div className="actions">
        <button className="primary" disabled={!query.from || !query.to || busy} onClick={onRun} data-testid="find-paths">
          {busy ? 'Searching…' : 'Find paths'}
        </button>
        {results && <button onClick={onClear}>Clear</button>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {results && results.length === 0 && (
        <p className="muted" role="status">
          No path of at most {query.maxHops} hops{query.types.length ? ' over these relationship types' : ''}. Try more hops or fewer restrictions.
        </p>
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
              <li key={i} className={i === active ? 'active' : ''}>
                <button className="link" onClick={() => onShow(i)}>
                  {i + 1}. {p.length} {p.length === 1 ? 'hop' : 'hops'}: {p.nodes.map((n) => n.label.slice(0, 28)).join(' → ')}
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
