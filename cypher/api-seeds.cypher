// Element ids of the parties to start from.
UNWIND $ids AS id
MATCH (p:Party {id: id})
RETURN elementId(p) AS eid
