/** Evidence as "label: value" lines (a match's features, a screen's explanation, how identifiers were read). */
export function Facts({ facts }: { facts: readonly { label: string; value: string }[] }) {
  return (
    <ul className="evidence">
      {facts.map((f, i) => (
        <li key={i}>
          <span className="muted">{f.label}:</span> {f.value}
        </li>
      ))}
    </ul>
  );
}
