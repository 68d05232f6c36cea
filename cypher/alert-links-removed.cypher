// Links between parties the load $seq removed: kept as PAST_<type> by its purge, or, if the purge has
// not run, still marked removedSeq and not restated by the load (no link of the same ends, type and key
// that it added).
MATCH (a:Party)-[r]->(b:Party)
WHERE r.removedSeq = $seq
  AND (type(r) IN $pastTypes
       OR (type(r) IN $linkTypes AND NOT EXISTS {
         MATCH (a)-[n]->(b)
         WHERE n <> r AND type(n) = type(r) AND n.key = r.key AND n.addedSeq = $seq
       }))
RETURN a.id AS from, a.name AS fromName, replace(type(r), $pastPrefix, '') AS type, b.id AS to, b.name AS toName, r.label AS label
