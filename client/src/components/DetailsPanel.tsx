/**
 * Details of the selected node or edge: for a party every alias (type, strength), address, identifier,
 * program, date, nationality, remark, dataset and the provenance; for an address or identifier, who
 * shares it. Clicking an address or identifier puts everyone who uses it on the canvas. For any of them
 * (not a program) the exposure: the nearest sanctioned parties and the path to each (ExposureList).
 */
import { useEffect, useState } from 'react';
import * as api from '../api';
import { REL_TYPES } from '../../../server/core/model';
import { isPartyKind } from '../style';
import { KindIcon } from './Legend';
import { DocumentDates } from './DocumentDates';
import { Facts } from './Facts';
import { ExposureList } from './ExposureList';
import { OwnershipPanel } from './OwnershipPanel';
import { WatchButton } from './AlertsBadge';
import { useAsOfDate } from '../hooks/useAsOfDate';

interface Props {
  node: api.GraphNode | null;
  edge: { edge: api.GraphEdge; source: string; target: string } | null;
  remaining: number;
  onShowShared(id: string): void;
  /** Puts a program's node on the canvas with its members (hooks/useProgramHubs.ts); absent: programs are plain tags. */
  onShowColisted?(program: string): void;
  onExpand(id: string): void;
  onUseInPath(id: string, end: 'from' | 'to'): void;
  /** Puts a candidate match on the canvas with its POSSIBLY_SAME_AS edge. */
  onShowMatch(id: string, other: string): void;
  /** Puts a sanctioned party and the path to it from this node on the canvas. */
  onShowExposure(exposure: api.Exposure): void;
  /** Puts the parties of ownership chains on the canvas (OwnershipPanel's button; absent: no button). */
  onShowChains?(ids: string[], what: string): void;
  /** Groups the parties linked on the canvas to this address, identifier or program (grouping.ts; absent: no button). */
  onGroupLinked?(id: string): void;
}

/**
 * How many parties hold each of the party's identifiers and used each of its addresses (their degree in
 * the graph), read once per party with one subgraph request; empty until it answers.
 */
function useSharedCounts(entity: api.Entity | null): Record<string, number> {
  const [counts, setCounts] = useState<Record<string, number>>({});
  useEffect(() => {
    setCounts({});
    const ids = entity ? [...entity.addresses.map((a) => a.id), ...entity.identifiers.map((i) => i.id)] : [];
    if (!ids.length) return;
    let live = true;
    api
      .subgraph(ids)
      .then((g) => live && setCounts(Object.fromEntries(g.nodes.map((n) => [n.id, n.degree]))))
      .catch(() => {
        /* the counts are a hint: the list reads the same without them */
      });
    return () => {
      live = false;
    };
  }, [entity]);
  return counts;
}

/** "only this party" or "shared by N parties", beside an identifier or address. */
function Shared({ count }: { count: number | undefined }) {
  if (count === undefined) return null;
  return (
    <span className={count > 1 ? 'shared tag warn' : 'shared muted'} data-shared={count}>
      {count > 1 ? `shared by ${count} parties` : 'only this party'}
    </span>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function DetailsPanel({ node, edge, remaining, onShowShared, onShowColisted, onExpand, onUseInPath, onShowMatch, onShowExposure, onShowChains, onGroupLinked }: Props) {
  const [entity, setEntity] = useState<api.Entity | null>(null);
  const [reviewError, setReviewError] = useState<string | null>(null);

  /** Reviewing needs the server's REVIEW_API_KEY; asked once per browser session. */
  const review = async (other: string, decision: 'CONFIRMED' | 'REJECTED' | null) => {
    if (!entity) return;
    let key = sessionStorage.getItem('sg-review-key');
    if (!key) {
      key = window.prompt('Review API key (REVIEW_API_KEY of the server):') ?? '';
      if (!key) return;
    }
    try {
      const m = await api.reviewMatch(entity.id, other, decision, key);
      sessionStorage.setItem('sg-review-key', key);
      setReviewError(null);
      setEntity({ ...entity, possibleMatches: entity.possibleMatches.map((x) => (x.id === m.id ? m : x)) });
    } catch (e) {
      if (e instanceof api.ApiError && (e.code === 'FORBIDDEN' || e.code === 'UNAUTHENTICATED')) sessionStorage.removeItem('sg-review-key');
      setReviewError(api.describeError(e));
    }
  };
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const shared = useSharedCounts(entity);

  // Details are read for a party (a node's id fixes its kind).
  const partyId = node && isPartyKind(node.kind) ? node.id : null;
  // Read again when the toolbar's date changes: the party as of the new date.
  const asOfDate = useAsOfDate();
  useEffect(() => {
    setEntity(null);
    setError(null);
    if (!partyId) return;
    let live = true;
    setLoading(true);
    api
      .entity(partyId)
      .then((e) => live && setEntity(e))
      .catch((e) => live && setError(api.describeError(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [partyId, asOfDate]);

  if (edge) {
    const legend = REL_TYPES[edge.edge.type as keyof typeof REL_TYPES];
    return (
      <section className="details" aria-label="Details" data-testid="details">
        <h2>{legend?.name ?? edge.edge.type}</h2>
        <dl>
          <Row label="From">{edge.source}</Row>
          <Row label="To">{edge.target}</Row>
          <Row label="Type">{edge.edge.type}</Row>
          {edge.edge.label && <Row label="Source wording">{edge.edge.label}</Row>}
          {edge.edge.percentage && <Row label="Share">{edge.edge.percentage}</Row>}
          {edge.edge.dataset && <Row label="Dataset">{edge.edge.dataset} (release {edge.edge.release})</Row>}
          {edge.edge.record && <Row label="Record">{edge.edge.record}</Row>}
        </dl>
      </section>
    );
  }
  if (!node) {
    return (
      <section className="details empty" aria-label="Details" data-testid="details">
        <p>Select a node or a relationship to see its details.</p>
        <p className="muted">Double-click a node (or press E) to expand it. Shift+click or Shift-drag selects several, Ctrl+A all, Esc none.</p>
      </section>
    );
  }
  const actions = (
    <div className="actions">
      <button onClick={() => onExpand(node.id)} disabled={remaining === 0} title="Expand (E)">
        Expand{remaining ? ` (+${remaining})` : ''}
      </button>
      {isPartyKind(node.kind) && (
        <>
          <button onClick={() => onUseInPath(node.id, 'from')}>Path from here</button>
          <button onClick={() => onUseInPath(node.id, 'to')}>Path to here</button>
          <WatchButton id={node.id} />
        </>
      )}
    </div>
  );
  if (!isPartyKind(node.kind)) {
    return (
      <section className="details" aria-label="Details" data-testid="details">
        <h2>
          <KindIcon kind={node.kind} /> {node.label}
        </h2>
        <p className="muted">
          {node.kind} shared by {node.degree} {node.degree === 1 ? 'party' : 'parties'}.
        </p>
        <button className="primary" onClick={() => onShowShared(node.id)}>
          {node.kind === 'Program' ? 'Show co-listed parties' : 'Show everyone who shares it'}
        </button>
        {onGroupLinked && (
          <button onClick={() => onGroupLinked(node.id)} title="Draw the parties linked to it on the canvas as one node (G groups a selection)" data-testid="group-linked">
            Group the parties linked to it
          </button>
        )}
        {actions}
        {node.kind !== 'Program' && <ExposureList node={node} onShow={onShowExposure} />}
      </section>
    );
  }
  const e = entity;
  // Once read, the entity's (read as of the toolbar's date); the canvas node was read when it was drawn.
  const delistedOn = e ? e.delistedOn : node.delistedOn;
  return (
    <section className="details" aria-label="Details" data-testid="details">
      <h2>
        <KindIcon kind={node.kind} hollow={node.placeholder} /> {e?.name ?? node.label}
      </h2>
      <div className="status-tags">
        <span className="tag">{node.kind}</span>
        {node.placeholder ? (
          <span className="tag warn">referenced only: not listed itself</span>
        ) : delistedOn ? (
          <span className="tag muted">delisted {delistedOn}</span>
        ) : (
          <span className="tag sanctioned">listed</span>
        )}
      </div>
      {actions}
      <ExposureList node={node} onShow={onShowExposure} />
      {node.kind !== 'Person' && <OwnershipPanel node={node} onShow={onShowChains} />}
      {loading && <p className="muted">Loading details…</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {e && (
        <>
          <dl>
            <Row label="Id">{e.id}</Row>
            {e.programs.length > 0 && (
              <Row label="Programs">
                {e.programs.map((p) =>
                  onShowColisted ? (
                    <button key={p} className="tag program-tag" onClick={() => onShowColisted(p)} title={`Show co-listed parties: ${p} and its members on the canvas`} aria-label={`Show co-listed parties of ${p}`}>
                      {p}
                    </button>
                  ) : (
                    <span key={p} className="tag">{p}</span>
                  ),
                )}
              </Row>
            )}
            <Row label="Datasets">{e.datasets.length ? e.datasets.join(', ') : <span className="muted">none currently</span>}</Row>
            {e.listedOn && <Row label="Listed on">{e.listedOn}</Row>}
            {e.firstSeen && <Row label="First seen">release {e.firstSeen}</Row>}
            {e.delistedOn && <Row label="Delisted">{e.delistedOn}</Row>}
            {e.birthDates.length > 0 && <Row label="Born">{e.birthDates.join('; ')}</Row>}
            {e.birthPlaces.length > 0 && <Row label="Birthplace">{e.birthPlaces.join('; ')}</Row>}
            {e.nationalities.length > 0 && <Row label="Nationality">{[...new Set(e.nationalities)].join('; ')}</Row>}
            {e.gender && <Row label="Gender">{e.gender}</Row>}
            {e.titles.length > 0 && <Row label="Titles">{e.titles.join('; ')}</Row>}
            {e.vessel.map((v) => (
              <Row key={v.label} label={v.label}>{v.value}</Row>
            ))}
          </dl>
          {e.aliases.length > 0 && (
            <>
              <h3>Aliases ({e.aliases.length})</h3>
              <table className="aliases">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Type</th>
                    <th>Strength</th>
                  </tr>
                </thead>
                <tbody>
                  {e.aliases.map((a, i) => (
                    <tr key={i}>
                      <td>{a.name}</td>
                      <td>{a.type}</td>
                      <td>{a.quality ?? <span className="muted">not stated</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {e.addresses.length > 0 && (
            <>
              <h3>Addresses ({e.addresses.length})</h3>
              <ul className="facts">
                {e.addresses.map((a) => (
                  <li key={a.id}>
                    <button className="link" onClick={() => onShowShared(a.id)} title="Show everyone who used this address">
                      {a.full}
                    </button>{' '}
                    <Shared count={shared[a.id]} />
                  </li>
                ))}
              </ul>
            </>
          )}
          {e.identifiers.length > 0 && (
            <>
              <h3>Identifiers ({e.identifiers.length})</h3>
              <ul className="facts">
                {e.identifiers.map((i) => (
                  <li key={i.id}>
                    <span className="muted">{i.label ?? i.type}:</span>{' '}
                    <button className="link" onClick={() => onShowShared(i.id)} title="Show everyone who holds this identifier">
                      {i.value}
                    </button>
                    {i.country && <span className="muted"> ({i.country})</span>}
                    <DocumentDates issued={i.issued} expires={i.expires} /> <Shared count={shared[i.id]} />
                  </li>
                ))}
              </ul>
            </>
          )}
          {e.possibleMatches.length > 0 && (
            <>
              <h3>Possibly the same as ({e.possibleMatches.length})</h3>
              <ul className="matches" data-testid="possible-matches">
                {e.possibleMatches.map((m) => (
                  <li key={m.id} data-id={m.id}>
                    <div className="match-head">
                      <button className="link" onClick={() => onShowMatch(e.id, m.id)} title="Put it on the canvas next to this party">
                        {m.name}
                      </button>
                      <span className="score" title="Match score, 0 to 1">{m.score.toFixed(2)}</span>
                    </div>
                    <div className="muted small">
                      {m.kind} · {m.datasets.join(', ')}
                      {m.decision && (
                        <span className={m.decision === 'CONFIRMED' ? 'tag sanctioned' : 'tag muted'}>
                          {m.decision === 'CONFIRMED' ? 'confirmed same' : 'rejected'}{m.decidedBy ? ` by ${m.decidedBy}` : ''}
                        </span>
                      )}
                    </div>
                    <Facts facts={m.features} />
                    <div className="actions">
                      <button onClick={() => void review(m.id, m.decision === 'CONFIRMED' ? null : 'CONFIRMED')}>{m.decision === 'CONFIRMED' ? 'Undo confirm' : 'Confirm'}</button>
                      <button onClick={() => void review(m.id, m.decision === 'REJECTED' ? null : 'REJECTED')}>{m.decision === 'REJECTED' ? 'Undo reject' : 'Reject'}</button>
                    </div>
                  </li>
                ))}
              </ul>
              {reviewError && <p className="error" role="alert">{reviewError}</p>}
            </>
          )}
          {e.remarks && (
            <>
              <h3>Remarks</h3>
              <p className="remarks">{e.remarks}</p>
            </>
          )}
          <h3>Provenance</h3>
          <dl>
            {e.record && <Row label="Record">{e.record}</Row>}
            {e.release && <Row label="Release">{e.release}</Row>}
          </dl>
        </>
      )}
    </section>
  );
}
