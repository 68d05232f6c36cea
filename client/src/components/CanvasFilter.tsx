/**
 * What the canvas shows, by node kind and by program: unticking one hides those nodes (and their
 * relationships) from view without taking them off the investigation, so ticking it again brings them
 * back where they were. Only the kinds and programs on the canvas are offered.
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
  if (!kinds.length) return null;
  const toggle = (key: keyof CanvasFilter, value: string, show: boolean) =>
    setFilter({ ...filter, [key]: show ? filter[key].filter((x) => x !== value) : [...filter[key], value] });
  return (
    <section className="panel canvas-filter" aria-label="Show on the canvas" data-testid="canvas-filter">
      <h3>
        Show on the canvas{filteredOut > 0 && <span className="muted"> ({filteredOut} hidden by these)</span>}
      </h3>
      <Checks legend="Kinds" values={kinds} hidden={filter.kinds} attr="data-kind" onToggle={(v, show) => toggle('kinds', v, show)} />
      {programs.length > 0 && <Checks legend="Programs" values={programs} hidden={filter.programs} attr="data-program" onToggle={(v, show) => toggle('programs', v, show)} />}
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
