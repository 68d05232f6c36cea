// One hop of a watch's radius (server/core/alerts.ts): the neighbours of the frontier not yet seen,
// through links between parties and shared addresses and identifiers ($types; programs are left out: a
// program joins thousands of parties), and through the links the load $seq removed (kept as PAST_<type>
// by its purge, or still marked removedSeq before it), so a removed link's ends are inside the radius
// they were in. At most $max of them (the caller says the radius was cut).
UNWIND $frontier AS eid
MATCH (n)
WHERE elementId(n) = eid
MATCH (n)-[r]-(m)
WHERE (type(r) IN $types OR (type(r) IN $pastTypes AND r.removedSeq = $seq)) AND NOT elementId(m) IN $seen
RETURN DISTINCT elementId(m) AS eid, m.id AS id, m:Party AS party
LIMIT $max
