// Once no reader can still be using them: relationships removed by committed loads (numbers up to $upTo;
// a load's own marks, or a newer one's, are not touched) leave today's graph, and are kept as history
// for reads as of a date (server/core/as-of.ts):
// - one the removing load stated again unchanged (same ends, type, key and fields; only its provenance,
//   release and record, and who stated it may differ) is one statement that lasted: the restatement
//   takes the number of the load that first added it (addedSeq), and the old one goes. So reloading a
//   release adds no history, and a link stated in every release is one relationship.
// - any other becomes a PAST_<type> relationship between the same nodes with the same properties
//   (added and removed load numbers among them): no query of today's graph matches it
//   (server/core/neo4j/database.ts liveIn), and the addresses, identifiers and programs it reaches stay
//   (ingest-cleanup removes only nodes nothing points at).
MATCH (a)-[r]->(b)
WHERE r.removedSeq IS NOT NULL AND r.removedSeq <= $upTo AND NOT type(r) STARTS WITH 'PAST_'
CALL (a, r, b) {
  OPTIONAL CALL (a, r, b) {
    MATCH (a)-[n]->(b)
    WHERE type(n) = type(r) AND n.addedSeq = r.removedSeq AND n <> r
      AND all(k IN keys(r) WHERE k IN $provenance OR r[k] = n[k])
      AND all(k IN keys(n) WHERE k IN $provenance OR n[k] = r[k])
    RETURN n
    LIMIT 1
  }
  FOREACH (_ IN CASE WHEN n IS NOT NULL THEN [1] ELSE [] END | SET n.addedSeq = coalesce(r.addedSeq, 0))
  FOREACH (_ IN CASE WHEN n IS NULL THEN [1] ELSE [] END |
    CREATE (a)-[past:$('PAST_' + type(r))]->(b)
    SET past = properties(r)
  )
  DELETE r
  RETURN n IS NULL AS archived
} IN TRANSACTIONS OF 10000 ROWS
RETURN count(CASE WHEN archived THEN 1 END) AS archived
