/** A document's dates beside an identifier in the details panel: " · issued 1996-02-28 · expires 2001-02-27". */
export function DocumentDates({ issued, expires }: { issued?: string | null; expires?: string | null }) {
  if (!issued && !expires) return null;
  // Shown as the source states them (an ISO date when it gives one): a partial or odd date is not guessed at.
  return (
    <span className="doc-dates muted" data-testid="document-dates" data-issued={issued ?? ''} data-expires={expires ?? ''}>
      {issued && ` · issued ${issued}`}
      {expires && ` · expires ${expires}`}
    </span>
  );
}
