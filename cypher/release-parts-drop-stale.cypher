// In a load's final transaction, once ingest-release has named load $seq's parts the release's: the
// parts of an earlier load of the same release (loaded again), which no reader is given from then on.
// In the same transaction, so a load killed after its commit leaves none behind. A reader still paging
// through them fails and says to try again (server/core/releases.ts pagedParts).
MATCH (p:ReleasePart {release: $id})
WHERE p.load <> $seq
DELETE p
RETURN count(p) AS dropped
