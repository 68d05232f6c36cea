// The stored candidate matches touching a dataset, in the refresh's order (bench/matching-store.ts
// compares them with findCandidatesSpooled's by their SHA-256).
MATCH (a:Party)-[m:POSSIBLY_SAME_AS]->(b:Party)
WHERE m.decision IS NULL AND any(d IN coalesce(a.datasets, []) + coalesce(b.datasets, []) WHERE d = $dataset)
RETURN a.id AS a, b.id AS b, m.score AS score, m.features AS features
ORDER BY m.score DESC, a.id, b.id
