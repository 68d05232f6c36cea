/**
 * The Filters tab: search filters (kind, dataset, programs, countries), which relationship types the
 * canvas shows and expansion follows, and the datasets loaded.
 */
import type * as api from '../api';
import { PARTY_KIND_LIST } from '../style';
import { REL_TYPES, REL_TYPE_NAMES } from '../../../server/core/model';

interface Props {
  filters: api.SearchFilters;
  setFilters(f: api.SearchFilters): void;
  /** Relationship types shown; empty = all. */
  types: string[];
  setTypes(t: string[]): void;
  datasets: api.Dataset[] | null;
}

export function FiltersPanel({ filters, setFilters, types, setTypes, datasets }: Props) {
  return (
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
          {(datasets ?? []).map((d) => (
            <option key={d.name}>{d.name}</option>
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
  );
}
