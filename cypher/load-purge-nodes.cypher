// After a commit, once no reader can still be using them: placeholders a committed load replaced by the
// party they stood for.
MATCH (n:Party)
WHERE n.removedSeq IS NOT NULL AND NOT n.removedSeq IN $open
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
