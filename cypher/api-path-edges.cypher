// Relationships by element id, in the shape of the API's GraphEdge.
MATCH (a)-[r]->(b)
WHERE elementId(r) IN $rids
RETURN elementId(r) AS id, a.id AS source, b.id AS target, type(r) AS type, r.label AS label,
       r.dataset AS dataset, r.release AS release, r.record AS record, r.percentage AS percentage
