// The party a watch is on (any party, listed, delisted or a placeholder): where its radius starts.
MATCH (p:Party {id: $id})
RETURN elementId(p) AS eid, p.id AS id, p.name AS name
