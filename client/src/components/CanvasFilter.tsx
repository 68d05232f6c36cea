/**
 * What the canvas shows, by node kind, by program, by listing date, by the dataset that lists each party
 * and by the dataset that states each relationship: unticking one (or narrowing the dates) hides those
 * nodes or relationships from view without taking them off the investigation, so ticking it again brings
 * them back where they were. Only the kinds, programs and datasets on the canvas are offered. Also how
 * programs are drawn: badges on their parties (the default) or hub nodes ("Programs as hubs").
 */
import type { Investigation } from '../graph-state';
import type { CanvasFilter } from '../elements';

interface Props {
  state: Investigation;
  filter: CanvasFilter;
  setFilter(f: CanvasFilter): void;
  /** Nodes the filter hides now. */
  filteredOut: number;
}

export function CanvasFilterPanel({ state, filter, setFilter, filteredOut }: Props) {
  const kinds = [...new Set(state.order.map((id) => state.nodes[id].kind))].sort();
  const programs = [...new Set(state.order.flatMap((id) => state.nodes[id].programs))].sort();
  const datasets = [...new Set(Object.values(state.edges).flatMap((e) => (e.dataset ? [e.dataset] : [])))].sort();
  const partyDatasets = [...new Set(state.order.flatMap((id) => state.nodes[id].datasets ?? []))].sort();
  const dates = state.order.map((id) => state.nodes[id].listedOn).filter((d): d is string => !!d).sort();
  if (!kinds.length) return null;
  const toggle = (key: 'kinds' | 'programs' | 'datasets' | 'partyDatasets', value: string, show: boolean) => {
    const now = filter[key] ?? [];
    setFilter({ ...filter, [key]: show ? now.filter((x) => x !== value) : [...now, value] });
  };
  return (
    <section className="panel canvas-filter" aria-label="Show on the canvas" data-testid="canvas-filter">
      <h3>
        Show on the canvas{filteredOut > 0 && <span className="muted"> ({filteredOut} hidden by these)</span>}
      </h3>
      <Checks legend="Kinds" values={kinds} hidden={filter.kinds} attr="data-kind" onToggle={(v, show) => toggle('kinds', v, show)} />
      {programs.length > 0 && <Checks legend="Programs" values={programs} hidden={filter.programs} attr="data-program" onToggle={(v, show) => toggle('programs', v, show)} />}
      <label className="program-hubs" title="On: a node for each program, linked to its members, and expansions bring programs. Off: each party shows its programs under its name ([DPRK2]); “Show co-listed parties” (a program in the details) brings a program and its members.">
        <input type="checkbox" checked={!!filter.programHubs} onChange={(e) => setFilter({ ...filter, programHubs: e.target.checked })} data-testid="program-hubs" /> Programs as hubs
      </label>
      {partyDatasets.length > 0 && (
        <Checks legend="Parties listed in" values={partyDatasets} hidden={filter.partyDatasets ?? []} attr="data-party-dataset" onToggle={(v, show) => toggle('partyDatasets', v, show)} />
      )}
      {dates.length > 0 && (
        <fieldset className="listed-range">
          <legend>Listed between</legend>
          <label>
            from
            <input type="date" value={filter.listedFrom ?? ''} min={dates[0].slice(0, 10)} max={dates[dates.length - 1].slice(0, 10)} onChange={(e) => setFilter({ ...filter, listedFrom: e.target.value || null })} data-testid="listed-from" />
          </label>
          <label>
            to
            <input type="date" value={filter.listedTo ?? ''} min={dates[0].slice(0, 10)} max={dates[dates.length - 1].slice(0, 10)} onChange={(e) => setFilter({ ...filter, listedTo: e.target.value || null })} data-testid="listed-to" />
          </label>
          <span className="muted small">
            Listing dates on the canvas: {dates[0]} to {dates[dates.length - 1]}. Nodes without one (addresses, identifiers, programs) stay.
          </span>
        </fieldset>
      )}
      {datasets.length > 0 && (
        <Checks legend="Relationships stated by" values={datasets} hidden={filter.datasets ?? []} attr="data-dataset" onToggle={(v, show) => toggle('datasets', v, show)} />
      )}
    </section>
  );
}

/** One tick box a value, ticked when shown. */
function Checks({ legend, values, hidden, attr, onToggle }: { legend: string; values: string[]; hidden: string[]; attr: string; onToggle(value: string, show: boolean): void }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {values.map((v) => (
        <label key={v}>
          <input type="checkbox" checked={!hidden.includes(v)} onChange={(e) => onToggle(v, e.target.checked)} {...{ [attr]: v }} /> {v}
        </label>
      ))}
    </fieldset>
  );
}
