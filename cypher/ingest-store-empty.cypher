// Whether the store holds no party at all (read from the count store, not by scanning), once a load is
// registered and what a dead load left is rolled back: then every party of the release is new (none to
// find: ingest-loaded-parties is skipped) and no loaded party can be a "Linked To" target
// (ingest-resolve-names is skipped). Loads run one at a time, so this holds until the load commits.
MATCH (p:Party)
RETURN count(p) = 0 AS empty
