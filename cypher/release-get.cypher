// One stored release of a dataset (see ingest-release).
MATCH (r:Release {id: $id})
RETURN r.dataset AS dataset, r.date AS date, r.ids AS ids, r.names AS names, r.digests AS digests, r.linkKeys AS linkKeys
