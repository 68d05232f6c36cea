/**
 * The Screen panel (toolbar "Screen", key S): is this party on a list, or how close is it to one?
 * - One party: name, kind, birth date, country and identifiers to Query.screen; the matches with their
 *   score, evidence, lists and nearest sanctioned party.
 * - A file (CSV or JSON lines; picked or dropped): streamed through POST /api/screen/bulk
 *   (useBulkScreen), rows shown as they arrive in a sortable table, a page at a time (100,000 rows
 *   must not be 100,000 table rows), error rows with their line and reason; Export writes the CLI's CSV.
 * A click on a match or a row puts the party and the path to its nearest sanctioned party on the canvas.
 */
import { useMemo, useState } from 'react';
import * as api from '../api';
import { REL_TYPES } from '../../../server/core/model';
import { BulkMatch, BulkRow, distanceOf, pathSteps, Sort, SortKey, sortRows } from '../bulk-screen';
import { download } from '../download';
import { useBulkScreen } from '../hooks/useBulkScreen';
import { parseIdentifiers } from '../screen-form';
import { isSanctioned } from './ExposureList';
import { Facts } from './Facts';

/** Table rows shown at once; the rest are a page away. */
export const PAGE_SIZE = 100;

const KINDS = ['', 'person', 'organization', 'company', 'vessel', 'aircraft'];

interface Props {
  open: boolean;
  onClose(): void;
  /** Puts these nodes on the canvas (with the relationships among them) and selects `select`. */
  onShow(ids: string[], select: string, what: string): void;
}

const relName = (t: string) => REL_TYPES[t as keyof typeof REL_TYPES]?.name ?? t;
const hops = (n: number) => `${n} ${n === 1 ? 'hop' : 'hops'}`;

function SingleScreen({ onShow }: Pick<Props, 'onShow'>) {
  const [form, setForm] = useState({ name: '', kind: '', birthDate: '', country: '', identifiers: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<api.ScreenResult | null>(null);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => setForm({ ...form, [k]: e.target.value });
  const identifiers = parseIdentifiers(form.identifiers);
  const empty = !form.name.trim() && !identifiers?.length;

  const run = async (e: React.FormEvent) => {
    e.preventDefault();
    if (empty) return;
    setBusy(true);
    setError(null);
    try {
      const input: api.ScreenInput = {
        name: form.name.trim() || null,
        kind: form.kind || null,
        birthDate: form.birthDate.trim() || null,
        country: form.country.trim() || null,
        identifiers: identifiers?.length ? identifiers : null,
      };
      setResult(await api.screen(input, 10));
    } catch (err) {
      setResult(null);
      setError(api.describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const show = (m: api.ScreenMatch) => {
    const near = m.exposure[0];
    onShow([m.entity.id, ...(near?.path.nodes.map((n) => n.id) ?? [])], m.entity.id, m.entity.name);
  };

  return (
    <div className="screen-single" data-testid="screen-single">
      <form onSubmit={(e) => void run(e)} aria-label="Screen one party">
        <div className="screen-form">
          <label>
            Name
            <input value={form.name} onChange={set('name')} maxLength={200} placeholder="e.g. Pioneer Bencont Star" data-testid="screen-name" />
          </label>
          <label>
            Kind
            <select value={form.kind} onChange={set('kind')} data-testid="screen-kind">
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {k || 'any'}
                </option>
              ))}
            </select>
          </label>
          <label>
            Birth date or year
            <input value={form.birthDate} onChange={set('birthDate')} maxLength={200} placeholder="1973, 1973-04-22" />
          </label>
          <label>
            Country
            <input value={form.country} onChange={set('country')} maxLength={200} placeholder="Korea, North" />
          </label>
          <label className="wide">
            Identifiers (one a line or “;” between; “type: value” or just the value)
            <textarea value={form.identifiers} onChange={set('identifiers')} rows={2} placeholder="email: someone@example.com; passport: 927233154" data-testid="screen-identifiers" />
          </label>
        </div>
        <button className="primary" type="submit" disabled={busy || empty} data-testid="screen-run">
          {busy ? 'Screening…' : 'Screen'}
        </button>
        {empty && <span className="muted small"> A name or an identifier is needed.</span>}
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="screen-matches" data-testid="screen-matches" data-count={result.matches.length}>
          {result.nameLookup === 'FULL_TEXT' && (
            <p className="notice warn small" role="status" data-testid="screen-full-text">
              The name index is being built (after a start or a load), so the name was looked up in the full-text index: a name in another script than the list&apos;s may be missed. Screen again shortly.
            </p>
          )}
          {result.identifiers.length > 0 && <Facts facts={result.identifiers} />}
          {result.matches.length === 0 ? (
            <p data-testid="screen-no-match">No listed or linked party scores {result.threshold} or more.</p>
          ) : (
            <ol className="matches">
              {result.matches.map((m) => (
                <li key={m.entity.id} data-id={m.entity.id}>
                  <div className="match-head">
                    <button className="link" onClick={() => show(m)} title="Put it and the path to its nearest sanctioned party on the canvas">
                      {m.entity.name}
                    </button>
                    <span className="score" title="Score, 0 to 0.999">{m.score.toFixed(3)}</span>
                  </div>
                  <div className="small">
                    <span className="muted">{m.entity.kind} · {m.entity.datasets.join(', ') || 'on no current list'}</span>{' '}
                    {m.entity.programs.map((p) => (
                      <span key={p} className="tag">{p}</span>
                    ))}
                    {m.entity.listedOn && <span className="muted"> listed {m.entity.listedOn}</span>}
                  </div>
                  <ExposureLine listed={isSanctioned(m.entity)} exposure={m.exposure[0] ? { distance: m.exposure[0].distance, name: m.exposure[0].entity.name, steps: m.exposure[0].explanation } : null} maxHops={3} />
                  <details>
                    <summary className="small">Why ({m.explanation.length})</summary>
                    <Facts facts={m.explanation} />
                  </details>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}

/** The nearest sanctioned party of a match in words: itself, or at N hops by this path, or none. */
function ExposureLine({ listed, exposure, maxHops }: { listed: boolean; exposure: { distance: number; name: string; steps: string[] } | null; maxHops: number }) {
  if (listed || exposure?.distance === 0) return <div className="small sanctioned-text">Listed itself.</div>;
  if (!exposure) return <div className="small muted">No sanctioned party within {hops(maxHops)}.</div>;
  return (
    <div className="small">
      Nearest sanctioned party: <strong>{exposure.name}</strong>, {hops(exposure.distance)}
      <ol className="evidence path-steps">
        {exposure.steps.map((s, i) => (
          <li key={i}>{s}</li>
        ))}
      </ol>
    </div>
  );
}

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'line', label: 'Line' },
  { key: 'ref', label: 'Ref' },
  { key: 'name', label: 'Input name' },
  { key: 'status', label: 'Status' },
  { key: 'score', label: 'Score' },
  { key: 'match', label: 'Match' },
];

function exposureCell(r: BulkRow, m: BulkMatch | null, maxHops: number): string {
  if (!m) return '';
  const d = distanceOf(r);
  if (d === null) return `none within ${hops(maxHops)}`;
  if (d === 0) return 'listed itself';
  return `${hops(d)}: ${m.exposure!.entity.name}`;
}

function BulkScreen({ onShow }: Pick<Props, 'onShow'>) {
  const run = useBulkScreen();
  const [sort, setSort] = useState<Sort>({ key: 'line', desc: false });
  const [page, setPage] = useState(0);
  const [picked, setPicked] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const sorted = useMemo(() => (sort.key === 'line' && !sort.desc ? run.rows : sortRows(run.rows, sort)), [run.rows, sort]);
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
  const at = Math.min(page, pages - 1);
  const visible = sorted.slice(at * PAGE_SIZE, (at + 1) * PAGE_SIZE);
  const pickedRow = picked === null ? null : (run.rows[picked] ?? null);

  const start = (f: File | undefined) => {
    if (!f) return;
    setPage(0);
    setPicked(null);
    run.start(f);
  };
  const sortBy = (key: SortKey) => {
    setSort(sort.key === key ? { key, desc: !sort.desc } : { key, desc: key === 'score' });
    setPage(0);
  };
  const pick = (r: BulkRow) => {
    setPicked(r.seq);
    const m = r.best;
    if (m) onShow([m.id, ...(m.exposure?.path.nodes.map((n) => n.id) ?? [])], m.id, m.name);
  };
  const exportCsv = () => {
    const blob = run.csv();
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    download(`${(run.file ?? 'screening').replace(/\.[^.]+$/, '')}-screened.csv`, url);
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  };

  return (
    <div className="screen-bulk" data-testid="screen-bulk" data-state={run.state}>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="screen-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          start(e.dataTransfer.files[0]);
        }}
      >
        <label>
          Drop a CSV or JSON-lines file here, or pick one:{' '}
          <input
            type="file"
            accept=".csv,.jsonl,.ndjson,.json,text/csv,application/x-ndjson"
            data-testid="screen-file"
            onChange={(e) => {
              start(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        <p className="muted small">
          Columns by header: ref, name, kind, birth_date, country, and identifier columns (email, phone, wallet, passport, …) or “identifiers”. Up to 100,000 rows.
        </p>
      </div>
      {run.state !== 'idle' && (
        <div className="bulk-status">
          <span role="status" data-testid="screen-progress">
            {run.file}: {run.screened} {run.screened === 1 ? 'row' : 'rows'} screened, {run.matched} {run.matched === 1 ? 'match' : 'matches'}, {run.errors}{' '}
            {run.errors === 1 ? 'error' : 'errors'}
            {run.state === 'running' && '…'}
            {run.state === 'done' && (run.end ? ` · done in ${run.end.seconds.toFixed(1)} s` : ' · done')}
            {run.state === 'cancelled' && ' · cancelled'}
          </span>
          {run.state === 'running' && (
            <button onClick={run.cancel} data-testid="screen-cancel">
              Cancel
            </button>
          )}
          <button onClick={exportCsv} disabled={run.state === 'running' || !run.rows.length} data-testid="screen-export" title="The results as the CLI writes them (CSV)">
            Export results
          </button>
        </div>
      )}
      {run.head?.input?.warnings.map((w) => (
        <p key={w} className="notice warn small" data-testid="screen-warning">
          {w}
        </p>
      ))}
      {run.problem && (
        <p className="error" role="alert" data-testid="screen-problem">
          {run.problem}
        </p>
      )}
      {run.rows.length > 0 && (
        <>
          <table className="bulk-table" data-testid="screen-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                    <button className="link" onClick={() => sortBy(c.key)} data-testid={`sort-${c.key}`}>
                      {c.label}
                      {sort.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}
                    </button>
                  </th>
                ))}
                <th>Lists / programs</th>
                <th aria-sort={sort.key === 'distance' ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                  <button className="link" onClick={() => sortBy('distance')} data-testid="sort-distance">
                    Exposure{sort.key === 'distance' ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              </tr>
            </thead>
            <tbody>
              {visible.map((r) => {
                const m = r.best;
                return (
                  <tr
                    key={r.seq}
                    className={`${r.status}${picked === r.seq ? ' picked' : ''}`}
                    data-line={r.line ?? ''}
                    data-status={r.status}
                    data-score={r.score ?? ''}
                    data-match={m?.id ?? ''}
                    onClick={() => pick(r)}
                  >
                    <td>{r.line}</td>
                    <td>{r.ref}</td>
                    <td>{r.name}</td>
                    <td>{r.status === 'no_match' ? 'no match' : r.status}</td>
                    {r.status === 'error' ? (
                      <td colSpan={4} className="error">
                        {r.error}
                      </td>
                    ) : (
                      <>
                        <td className="num">{r.score?.toFixed(3)}</td>
                        <td>
                          {m?.name}
                          {r.others > 0 && <span className="muted" title="Other matches: in the exported CSV"> +{r.others}</span>}
                        </td>
                        <td className="small">{m ? [...m.datasets, ...m.programs].join('; ') : ''}</td>
                        <td className="small">{exposureCell(r, m, run.head?.maxHops ?? 3)}</td>
                      </>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="pager">
            <button onClick={() => setPage(at - 1)} disabled={at === 0} aria-label="Previous page">
              ‹
            </button>
            <span data-testid="screen-page">
              Rows {at * PAGE_SIZE + 1}–{at * PAGE_SIZE + visible.length} of {sorted.length}
            </span>
            <button onClick={() => setPage(at + 1)} disabled={at >= pages - 1} aria-label="Next page">
              ›
            </button>
          </div>
        </>
      )}
      {pickedRow && <PickedRow row={pickedRow} maxHops={run.head?.maxHops ?? 3} />}
    </div>
  );
}

/** The picked row's best match: why it matched, and the path to its nearest sanctioned party. */
function PickedRow({ row, maxHops }: { row: BulkRow; maxHops: number }) {
  const m = row.best;
  if (!m) return null;
  const x = m.exposure;
  return (
    <div className="picked-row" data-testid="screen-picked">
      <strong>
        Line {row.line}: {m.name}
      </strong>{' '}
      <span className="muted">({m.score.toFixed(3)})</span>
      <ExposureLine listed={x?.distance === 0} exposure={x ? { distance: x.distance, name: x.entity.name, steps: pathSteps(x.path, relName) } : null} maxHops={maxHops} />
      <Facts facts={m.explanation} />
    </div>
  );
}

export function ScreenPanel({ open, onClose, onShow }: Props) {
  const [tab, setTab] = useState<'single' | 'file'>('single');
  return (
    <section className="screen-panel" aria-label="Screen" data-testid="screen-panel" hidden={!open}>
      <header>
        <h2>Screen</h2>
        <div className="tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'single'} onClick={() => setTab('single')} data-testid="screen-tab-single">
            One party
          </button>
          <button role="tab" aria-selected={tab === 'file'} onClick={() => setTab('file')} data-testid="screen-tab-file">
            A file
          </button>
        </div>
        <span className="muted small">Is a party on a list, or how close is it to one?</span>
        <button className="icon" onClick={onClose} aria-label="Close the Screen panel" title="Close (S)">
          ×
        </button>
      </header>
      {/* Both stay mounted: a file screening goes on (and keeps its results) while the other tab is shown. */}
      <div className="screen-body" hidden={tab !== 'single'}>
        <SingleScreen onShow={onShow} />
      </div>
      <div className="screen-body" hidden={tab !== 'file'}>
        <BulkScreen onShow={onShow} />
      </div>
    </section>
  );
}
