// Links between parties the load $seq added: written by it and not a restatement of a link it replaced
// (before the purge the old one is still there, marked removed by this load; after it, an unchanged
// restatement has taken the old one's addedSeq, load-purge-rels).
MATCH (a:Party)-[r]->(b:Party)
WHERE r.addedSeq = $seq AND type(r) IN $linkTypes
  AND NOT EXISTS {
    MATCH (a)-[o]->(b)
    WHERE o <> r AND type(o) = type(r) AND o.key = r.key AND o.removedSeq = $seq
  }
RETURN a.id AS from, a.name AS fromName, type(r) AS type, b.id AS to, b.name AS toName, r.label AS label
