// One saved investigation.
MATCH (i:Investigation {id: $id})
RETURN i {.*} AS i
