/**
 * The explorer's date control: the network as of a date (the API's `asOf` on entity, neighborhood and
 * paths; api.ts setAsOf). Empty: today. What is on the canvas stays as it was read; the open details are
 * read again as of the new date (hooks/useAsOfDate.ts), and expanding and path searches read as of it
 * from then on.
 */
import { setAsOf } from '../api';
import { useAsOfDate } from '../hooks/useAsOfDate';

export function AsOfControl({ onChange }: { onChange?(date: string | null): void }) {
  // The date itself, not a copy: a link opened in this tab (url-state.ts asof) sets it too.
  const value = useAsOfDate() ?? '';
  return (
    <label className="as-of" title="Read the network as it stood on this date (empty: today); applies to the open details and to what you expand, open or search paths for next">
      As of
      <input
        type="date"
        value={value}
        max={new Date().toISOString().slice(0, 10)}
        aria-label="As of date"
        data-testid="as-of"
        onChange={(e) => {
          const date = e.target.value || null;
          setAsOf(date);
          onChange?.(date);
        }}
      />
    </label>
  );
}
