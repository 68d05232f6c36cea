// Once no reader can still be using them: placeholders that committed loads (numbers up to $upTo)
// replaced by the party they stood for.
MATCH (n:Party)
WHERE n.removedSeq IS NOT NULL AND n.removedSeq <= $upTo
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
