// The candidate matches (POSSIBLY_SAME_AS) with an end among $ids, each pair once.
UNWIND $ids AS id
MATCH (p:Party {id: id})-[m:POSSIBLY_SAME_AS]-(q:Party)
WITH DISTINCT startNode(m) AS a, endNode(m) AS b, m
RETURN a.id AS from, a.name AS fromName, b.id AS to, b.name AS toName, m.score AS score
