// The relationships among the nodes of a subgraph.
MATCH (a)-[r]->(b)
WHERE elementId(a) IN $eids AND elementId(b) IN $eids AND ($types IS NULL OR type(r) IN $types) AND {{visible:r}}
RETURN elementId(r) AS id, a.id AS source, b.id AS target, type(r) AS type, r.label AS label,
       r.dataset AS dataset, r.release AS release, r.record AS record, r.percentage AS percentage
