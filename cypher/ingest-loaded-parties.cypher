// Which parties of a batch are loaded already, and which of those the release states differently: its
// digest of fields and labels differs, or the party was delisted from this dataset, is another dataset's
// or a placeholder (ingest/loader.ts then creates the others, ingest-create-parties, and stages these in
// drafts, ingest-draft-parties). Read in the batch's own transaction; loads run one at a time, so what
// it reads cannot change before the batch writes.
// CYPHER replan=skip: the plan does not depend on the store's statistics (see ingest-create-parties).
CYPHER replan=skip
UNWIND range(0, size($ids) - 1) AS i
MATCH (p:Party {id: $ids[i]})
USING INDEX p:Party(id)
RETURN i, p.digest IS NULL OR p.digest <> $digests[i] OR NOT $dataset IN coalesce(p.datasets, []) OR p:Placeholder AS changed
