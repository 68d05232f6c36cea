// Rolling back a load: the nodes it added (parties, placeholders, addresses, identifiers, programs) and
// its drafts (its parts of release snapshots: load-rollback-release-parts).
CALL () {
  MATCH (n:Party) WHERE n.addedSeq = $seq RETURN n
  UNION
  MATCH (n:Address) WHERE n.addedSeq = $seq RETURN n
  UNION
  MATCH (n:Identifier) WHERE n.addedSeq = $seq RETURN n
  UNION
  MATCH (n:Program) WHERE n.addedSeq = $seq RETURN n
  UNION
  MATCH (n:Draft {load: $seq}) RETURN n
}
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
