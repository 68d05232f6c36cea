/**
 * Ownership of the selected company by sanctioned parties, in the details panel (Query.ownership): the
 * rule (OFAC's 50 percent rule or the EU's test), an optional date, the total held with the verdict,
 * a row per chain from a listed party down to the company with its arithmetic ("share unknown" where
 * the source gives no percentage), the arithmetic in sentences, control (listed directors), and a button
 * that draws the chains on the canvas.
 */
import { useEffect, useState } from 'react';
import * as api from '../api';
import { useAsOfDate } from '../hooks/useAsOfDate';

interface Props {
  node: api.GraphNode;
  /** Puts these parties (the chains' nodes) on the canvas with the relationships among them. */
  onShow?(ids: string[], what: string): void;
}

type Rule = 'OFAC' | 'EU';

const RULE_NAMES: Record<Rule, string> = { OFAC: "OFAC's 50% rule (50% or more)", EU: "the EU's test (more than 50%)" };

const pct = (n: number) => `${Math.round(n * 100) / 100}%`;

/** "49%", or "0% known, up to 100%" when unknown or ranged shares could add more. */
export function totalText(o: Pick<api.Ownership, 'total' | 'totalHigh'>): string {
  return o.totalHigh > o.total ? `${pct(o.total)} known, up to ${pct(o.totalHigh)}` : pct(o.total);
}

export function verdictText(o: Pick<api.Ownership, 'verdict' | 'rule'>): string {
  const rule = RULE_NAMES[o.rule as Rule] ?? o.rule;
  if (o.verdict === 'BLOCKED') return `Blocked under ${rule}`;
  if (o.verdict === 'POSSIBLY') return `Possibly blocked under ${rule}: unknown shares could reach it`;
  return `Not blocked under ${rule}`;
}

export function OwnershipPanel({ node, onShow }: Props) {
  const [rule, setRule] = useState<Rule>('OFAC');
  // The toolbar's As of date by default (and whenever it changes); its own input may set another.
  const toolbarDate = useAsOfDate();
  const [asOf, setAsOf] = useState(toolbarDate ?? '');
  useEffect(() => setAsOf(toolbarDate ?? ''), [toolbarDate]);
  const [answer, setAnswer] = useState<{ key: string; ownership: api.Ownership } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = `${node.id}|${rule}|${asOf}`;

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    api
      .ownership(node.id, rule, asOf || null, ctl.signal)
      .then((ownership) => setAnswer({ key, ownership }))
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(api.describeError(e));
      });
    return () => ctl.abort();
  }, [node.id, rule, asOf, key]);

  const o = answer?.key === key ? answer.ownership : null;
  const draw = () => {
    if (!o || !onShow) return;
    const ids = [...new Set(o.chains.flatMap((c) => c.path.nodes.map((n) => n.id)))];
    onShow(ids, `Ownership chains of ${node.label} (${o.chains.length})`);
  };
  return (
    <section className="ownership" aria-label="Ownership" data-testid="ownership" data-state={error ? 'error' : o ? 'done' : 'loading'}>
      <h3>Ownership</h3>
      <div className="ownership-controls small">
        <span role="group" aria-label="Ownership rule">
          {(['OFAC', 'EU'] as const).map((r) => (
            <button key={r} className={rule === r ? 'primary' : ''} aria-pressed={rule === r} onClick={() => setRule(r)} data-testid={`ownership-rule-${r}`}>
              {r}
            </button>
          ))}
        </span>{' '}
        <label>
          as of <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} aria-label="Ownership as of" data-testid="ownership-asof" />
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          Ownership could not be read: {error}
        </p>
      )}
      {!error && !o && (
        <p className="muted" role="status">
          <span className="spinner" /> Reading who owns {node.label}…
        </p>
      )}
      {o && (
        <>
          <table className="ownership-table" data-testid="ownership-table" data-verdict={o.verdict}>
            <tbody>
              <tr>
                <th scope="row">Held by sanctioned parties on {o.asOf}</th>
                <td data-testid="ownership-total">{totalText(o)}</td>
              </tr>
              <tr>
                <th scope="row">Verdict</th>
                <td data-testid="ownership-verdict" className={o.blocked ? 'tag sanctioned' : o.verdict === 'POSSIBLY' ? 'tag warn' : ''}>
                  {verdictText(o)}
                </td>
              </tr>
            </tbody>
          </table>
          {o.chains.length === 0 ? (
            <p className="muted small" data-testid="ownership-none">
              No party listed on {o.asOf} holds a stake in force in {node.label}, directly or through owners.
            </p>
          ) : (
            <table className="ownership-chains small" data-testid="ownership-chains">
              <thead>
                <tr>
                  <th>Owner</th>
                  <th>Share</th>
                  <th>Chain</th>
                </tr>
              </thead>
              <tbody>
                {o.chains.map((c, i) => (
                  <tr key={i} data-owner={c.path.nodes[0].id} data-unknown={c.share === null && c.counted === 0 ? 'true' : undefined}>
                    <td>{c.path.nodes[0].label}</td>
                    <td>{c.share !== null ? pct(c.share) : c.counted > 0 ? `${pct(c.counted)} counted` : 'share unknown'}</td>
                    <td>{c.arithmetic}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ol className="evidence small" data-testid="ownership-arithmetic">
            {o.arithmetic.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
          {o.truncated && <p className="warn small">A bound (6 hops, 200 owners of one company, 50 chains) left owners out: the total may be higher.</p>}
          {o.chains.length > 0 && onShow && (
            <button onClick={draw} data-testid="ownership-draw" title="Put the owners and the companies between them on the canvas">
              Draw the chains on the canvas
            </button>
          )}
        </>
      )}
    </section>
  );
}
