// First statement of every load: takes the write lock of the dataset's node for the rest of the
// transaction (a second load of the same dataset waits here until the first commits or rolls back), and
// returns what is loaded, for the release checks.
MERGE (d:Dataset {name: $dataset})
  ON CREATE SET d.releases = []
SET d.lockedBy = $release
RETURN d.release AS release, coalesce(d.releases, []) AS releases
