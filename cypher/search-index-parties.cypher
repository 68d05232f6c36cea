// One page of the parties a reader sees, for the in-memory name index (server/core/search/live.ts): names,
// aliases and what search filters on (kind and labels, datasets, programs, and lowercase nationalities,
// citizenships and address countries, as cypher/api-search-candidates.cypher filters them). Paged by id.
MATCH (p:Party)
WHERE p.id > $after AND {{visible:p}}
WITH p ORDER BY p.id LIMIT $pageSize
RETURN p.id AS id, p.name AS name, coalesce(p.aliasNames, []) AS aliases, [p.kind] + labels(p) AS kinds,
       coalesce(p.datasets, []) AS datasets, coalesce(p.programs, []) AS programs,
       [c IN coalesce(p.nationalities, []) + coalesce(p.citizenships, []) | toLower(c)]
         + COLLECT { MATCH (p)-[ra:HAS_ADDRESS]->(a:Address) WHERE a.country IS NOT NULL AND {{visible:ra}} RETURN DISTINCT toLower(a.country) } AS countries
