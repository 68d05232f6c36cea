// One stored release of a dataset (see ingest-release): whether it is kept, and how many parties it lists.
// Its parties and link keys are read as rows (release-parties, release-link-keys), not as its arrays.
MATCH (r:Release {id: $id})
RETURN r.dataset AS dataset, r.date AS date, size(r.ids) AS parties
