// Candidate matches of one party, best first, with the other party's identity.
MATCH (p:Party {id: $id})-[m:POSSIBLY_SAME_AS]-(o:Party)
WHERE {{visible:p}} AND {{visible:o}}
RETURN o.id AS id, o.name AS name, o.kind AS kind, coalesce(o.datasets, []) AS datasets, m.score AS score,
       m.features AS features, m.decision AS decision, m.decidedBy AS decidedBy, m.decidedAt AS decidedAt, m.note AS note
ORDER BY m.score DESC, o.id
