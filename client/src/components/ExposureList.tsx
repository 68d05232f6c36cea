/**
 * Network exposure of the selected node in the details panel: the sanctioned parties nearest to it within
 * N hops (Query.exposure: a party, placeholder, address or identifier), each with its distance, programs
 * and the path that leads there, step by step with the relationship and its provenance (list, release,
 * record) as the server words it. A click puts the party and the whole path on the canvas.
 */
import { useEffect, useState } from 'react';
import * as api from '../api';

interface Props {
  node: api.GraphNode;
  /** Puts the path (and so the sanctioned party at its end) on the canvas and selects the party. */
  onShow(exposure: api.Exposure): void;
}

/** Sanctioned as the exposure search counts it: listed by a loaded dataset, not delisted, under a program. */
export function isSanctioned(n: Pick<api.GraphNode, 'placeholder' | 'delistedOn' | 'programs'>): boolean {
  return !n.placeholder && !n.delistedOn && n.programs.length > 0;
}

/** Parties shown before "Show all". */
const SHOWN = 5;

const hops = (n: number) => `${n} ${n === 1 ? 'hop' : 'hops'}`;

export function ExposureList({ node, onShow }: Props) {
  const [maxHops, setMaxHops] = useState(3);
  const [found, setFound] = useState<{ id: string; maxHops: number; list: api.Exposure[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);
  /** Up to 25 parties, each with its path: the first few are shown unless all are asked for. */
  const [all, setAll] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    setFound(null);
    setError(null);
    api
      .exposure(node.id, maxHops, ctl.signal)
      .then((list) => setFound({ id: node.id, maxHops, list }))
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(api.describeError(e));
      });
    return () => ctl.abort();
  }, [node.id, maxHops, retry]);

  const listed = isSanctioned(node);
  const list = found?.id === node.id && found.maxHops === maxHops ? found.list : null;
  return (
    <section className="exposure" aria-label="Exposure" data-testid="exposure" data-state={error ? 'error' : list ? 'done' : 'loading'}>
      <h3>Exposure</h3>
      {listed && (
        <p className="tag sanctioned" data-testid="exposure-self">
          Listed itself ({node.programs.join(', ')}).
        </p>
      )}
      <label className="small muted exposure-hops">
        Within{' '}
        <select value={maxHops} onChange={(e) => setMaxHops(Number(e.target.value))} aria-label="Exposure: most hops" data-testid="exposure-hops">
          {Array.from({ length: api.MAX_EXPOSURE_HOPS }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {hops(n)}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="error" role="alert">
          Exposure could not be read: {error}{' '}
          <button className="link" onClick={() => setRetry(retry + 1)}>
            Try again
          </button>
        </p>
      )}
      {!error && !list && (
        <p className="muted" role="status">
          <span className="spinner" /> Looking for sanctioned parties within {hops(maxHops)}…
        </p>
      )}
      {list && list.length === 0 && (
        <p className="muted" data-testid="exposure-none">
          No {listed ? 'other ' : ''}sanctioned party within {hops(maxHops)} of {node.label} (links, shared addresses and identifiers; shared programs do not count).
        </p>
      )}
      {list && list.length > 0 && (
        <>
          <p className="muted small">
            {listed ? 'Other sanctioned' : 'Sanctioned'} parties within {hops(maxHops)}, nearest first ({list.length}):
          </p>
          <ol className="exposure-list">
            {(all ? list : list.slice(0, SHOWN)).map((x) => (
              <li key={x.entity.id} data-id={x.entity.id} data-distance={x.distance}>
                <div className="match-head">
                  <button className="link" onClick={() => onShow(x)} title="Put this party and the path to it on the canvas">
                    {x.entity.name}
                  </button>
                  <span className="distance">{hops(x.distance)}</span>
                </div>
                <div className="small">
                  {x.entity.programs.map((p) => (
                    <span key={p} className="tag">{p}</span>
                  ))}
                  <span className="muted">{x.entity.datasets.join(', ')}</span>
                </div>
                <ol className="evidence path-steps">
                  {x.explanation.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ol>
              </li>
            ))}
          </ol>
          {list.length > SHOWN && (
            <button className="link" onClick={() => setAll(!all)} data-testid="exposure-all">
              {all ? `Show the nearest ${SHOWN} only` : `Show all ${list.length}`}
            </button>
          )}
        </>
      )}
    </section>
  );
}
