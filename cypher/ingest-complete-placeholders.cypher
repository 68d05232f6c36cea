// Moves the links that point at a placeholder onto the party it stands for, then drops the placeholder.
UNWIND $pairs AS pair
MATCH (ph:Placeholder {id: pair.placeholder})
MATCH (real:Party {id: pair.real})
CALL (ph, real) {
  MATCH (x)-[r]->(ph)
  MERGE (x)-[r2:$(type(r)) {dataset: r.dataset, label: r.label}]->(real)
  SET r2 += properties(r)
  DELETE r
}
DETACH DELETE ph
RETURN count(*) AS completed
