// Candidate matches of several parties at once (every Entity.possibleMatches of a request in one
// query), each party's best first and at most $perParty of them, with the other party's identity.
UNWIND $ids AS id
MATCH (p:Party {id: id})-[m:POSSIBLY_SAME_AS]-(o:Party)
WHERE {{visible:p}} AND {{visible:o}}
WITH id, m, o
ORDER BY m.score DESC, o.id
WITH id, collect({id: o.id, name: o.name, kind: o.kind, datasets: coalesce(o.datasets, []), score: m.score,
                  features: m.features, decision: m.decision, decidedBy: m.decidedBy, decidedAt: m.decidedAt,
                  note: m.note}) AS matches
RETURN id, matches[..$perParty] AS matches
