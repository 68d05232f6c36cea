// After a commit, once no reader can still be using them: relationships removed by committed loads.
MATCH ()-[r]->()
WHERE r.removedSeq IS NOT NULL AND NOT r.removedSeq IN $open
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
