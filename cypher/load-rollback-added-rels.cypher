// Rolling back a load: the relationships it added (a scan: rollbacks are rare).
MATCH ()-[r]->()
WHERE r.addedSeq = $seq
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
