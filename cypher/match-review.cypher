// A person's decision on a candidate match (or its withdrawal: decision null). The pair is stored a < b.
MATCH (a:Party {id: $a})-[m:POSSIBLY_SAME_AS]->(b:Party {id: $b})
SET m.decision = $decision, m.decidedBy = $by, m.decidedAt = CASE WHEN $decision IS NULL THEN null ELSE $at END,
    m.note = $note
RETURN a.id AS a, b.id AS b, m.score AS score, m.features AS features, m.decision AS decision,
       m.decidedBy AS decidedBy, m.decidedAt AS decidedAt, m.note AS note
