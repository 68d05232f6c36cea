// Replaces a saved investigation's canvas, name, notes and baseline; no row when there is none of that id
// (deleted meanwhile: not recreated). Its owner and creation time stay.
MATCH (i:Investigation {id: $id})
SET i.name = $name, i.nodeIds = $nodeIds, i.positions = $positions, i.notes = $notes,
    i.releases = $releases, i.baseline = $baseline, i.updatedAt = $at, i.updatedBy = $by
RETURN i {.*} AS i
