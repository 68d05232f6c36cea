// Rolling back a load: what it marked as removed is current again.
CALL () {
  MATCH ()-[r]->() WHERE r.removedSeq = $seq RETURN r AS x
  UNION
  MATCH (n:Party) WHERE n.removedSeq = $seq RETURN n AS x
}
CALL (x) { REMOVE x.removedSeq } IN TRANSACTIONS OF 10000 ROWS
