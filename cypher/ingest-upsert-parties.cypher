// Parties of a release. A new one is created at once, hidden until the load commits (addedSeq). One
// already loaded is left as readers see it: when the release states it differently (its digest of
// fields and labels differs, it was delisted or a placeholder), the new fields wait in a Draft node that
// the final transaction applies (ingest-apply-drafts). Labels come from the model's allow-list
// (server/core/model.ts partyLabels), passed as parameters.
UNWIND $rows AS row
OPTIONAL MATCH (p:Party {id: row.id})
USING INDEX p:Party(id)
CALL (row, p) {
  WITH row, p WHERE p IS NULL
  CREATE (n:Party {id: row.id})
  SET n:$(row.labels)
  SET n += row.props
  SET n.addedSeq = $seq, n.datasets = [$dataset], n.formerDatasets = [], n.firstSeen = $release
}
CALL (row, p) {
  WITH row, p
  WHERE p IS NOT NULL AND (p.digest IS NULL OR p.digest <> row.props.digest OR NOT $dataset IN coalesce(p.datasets, []) OR p:Placeholder)
  MERGE (d:Draft {load: $seq, id: row.id})
  SET d += row.props, d.labels = row.labels
}
