// One stored release of a dataset (see ingest-release): whether a snapshot is kept (parties is null when
// not: a load by a version that kept none), how many parties and link keys it holds, and the load whose
// parts hold them (null: arrays on the node, a load by an earlier version). Its parties and link keys
// are read a page of parts at a time (release-parties, release-link-keys).
MATCH (r:Release {id: $id})
RETURN r.dataset AS dataset, r.date AS date, r.partsLoad AS load,
       CASE WHEN r.partsLoad IS NULL THEN size(r.ids) ELSE r.entityCount END AS parties,
       CASE WHEN r.partsLoad IS NULL THEN size(r.linkKeys) ELSE r.linkKeyCount END AS linkKeys
