/**
 * Designation timeline: how many of the parties on the canvas were listed in each year (or month).
 * Clicking a bar marks those parties on the canvas; clicking it again clears the mark.
 */
import { timelineBuckets } from '../timeline';

interface Props {
  items: { id: string; date: string | null }[];
  active: string | null;
  onPick(key: string | null, ids: string[]): void;
}

export function Timeline({ items, active, onPick }: Props) {
  const { buckets, undated } = timelineBuckets(items);
  if (items.length === 0) return null;
  const max = Math.max(1, ...buckets.map((b) => b.ids.length));
  const w = Math.max(6, Math.min(28, Math.floor(360 / Math.max(1, buckets.length))));
  return (
    <figure className="timeline" aria-label="Designation timeline" data-testid="timeline">
      <figcaption>
        Listed (designation date, or first release seen)
        {undated > 0 && <span className="muted"> · {undated} without a date</span>}
      </figcaption>
      {buckets.length === 0 ? (
        <p className="muted">No listing dates for what is on the canvas.</p>
      ) : (
        <div className="bars" role="list">
          {buckets.map((b) => (
            <button
              key={b.key}
              role="listitem"
              className={active === b.key ? 'bar active' : 'bar'}
              style={{ width: w }}
              title={`${b.label}: ${b.ids.length} listed`}
              aria-label={`${b.label}: ${b.ids.length} listed`}
              disabled={b.ids.length === 0}
              onClick={() => onPick(active === b.key ? null : b.key, active === b.key ? [] : b.ids)}
            >
              <span className="fill" style={{ height: `${Math.max(b.ids.length ? 8 : 0, (b.ids.length / max) * 100)}%` }} />
              {(buckets.length <= 12 || buckets.indexOf(b) % Math.ceil(buckets.length / 8) === 0) && <span className="tick">{b.label}</span>}
            </button>
          ))}
        </div>
      )}
    </figure>
  );
}
