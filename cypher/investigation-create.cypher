// Creates a saved investigation. Its own label, no relationships: loads, purges and cleanups never match
// it (they match parties, facts, loads and their relationships by label).
CREATE (i:Investigation {id: $id})
SET i.owner = $by, i.createdAt = $at, i.name = $name, i.nodeIds = $nodeIds, i.positions = $positions,
    i.notes = $notes, i.releases = $releases, i.baseline = $baseline, i.updatedAt = $at, i.updatedBy = $by
RETURN i {.*} AS i
