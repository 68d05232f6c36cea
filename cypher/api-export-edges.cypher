// The fields of an export's relationships that the subgraph (api-subgraph-edges) does not carry: a
// link's dates and source id, an identifier's issue and expiry dates. By element id (the subgraph's
// edge ids), one lookup each.
UNWIND $ids AS eid
MATCH ()-[r]->()
WHERE elementId(r) = eid AND {{visible:r}}
RETURN eid AS id, r.startDate AS startDate, r.endDate AS endDate, r.sourceId AS sourceId, r.issued AS issued, r.expires AS expires
