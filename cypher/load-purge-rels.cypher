// Once no reader can still be using them: relationships removed by committed loads (numbers up to $upTo;
// a load's own marks, or a newer one's, are not touched).
MATCH ()-[r]->()
WHERE r.removedSeq IS NOT NULL AND r.removedSeq <= $upTo
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
