// Benchmark check (bench/ingest-baseline.ts): what a load left, so the two loads compared can be seen to
// have written the same graph: parties, placeholders, fact relationships (programs, addresses,
// identifiers) and links between parties (candidate matches left out: only our load computes them).
CALL () { MATCH (p:Party) RETURN count(p) AS parties, count(CASE WHEN p:Placeholder THEN 1 END) AS placeholders }
CALL () { MATCH ()-[r:SANCTION|HAS_ADDRESS|HAS_IDENTIFIER]->() RETURN count(r) AS facts }
CALL () { MATCH (:Party)-[r]->(:Party) WHERE type(r) <> 'POSSIBLY_SAME_AS' RETURN count(r) AS links }
RETURN parties, placeholders, facts, links
