/** What an empty canvas says: how to start, and one network to try. */

/** The example: a DPRK IT-worker front (OFAC SDN 43379). */
export const EXAMPLE = { id: 'ofac-43379', name: 'CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY' };

export function EmptyState({ onTry }: { onTry(id: string, name: string): void }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <h1>Explore sanctioned networks</h1>
      <p>Search a name above, in any script, to put a party on the canvas. Double-click to expand its links, addresses and identifiers.</p>
      <p>
        Try{' '}
        <button className="link" onClick={() => onTry(EXAMPLE.id, EXAMPLE.name)}>
          Chinyong IT Cooperation Company
        </button>
        , a DPRK IT-worker front.
      </p>
    </div>
  );
}
