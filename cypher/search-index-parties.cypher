// One page of the parties a reader sees, for the in-memory name index (server/core/search/live.ts): names,
// aliases and what search filters on (kind and labels, datasets, programs, nationalities, citizenships and
// address countries, as cypher/api-search-candidates.cypher filters them), and what screening compares a
// candidate by (server/api/screen.ts): birth dates and identifiers (type, value, country) as
// cypher/api-entities.cypher reads them, and the listing facts a screen states of a match (listing date,
// first release, delisting; a placeholder is told by its label among the kinds). Paged by id.
MATCH (p:Party)
WHERE p.id > $after AND {{visible:p}}
WITH p ORDER BY p.id LIMIT $pageSize
RETURN p.id AS id, p.name AS name, coalesce(p.aliasNames, []) AS aliases, [p.kind] + labels(p) AS kinds,
       coalesce(p.datasets, []) AS datasets, coalesce(p.programs, []) AS programs,
       coalesce(p.birthDates, []) AS birthDates,
       coalesce(p.nationalities, []) + coalesce(p.citizenships, []) AS nationalities,
       COLLECT { MATCH (p)-[ra:HAS_ADDRESS]->(a:Address) WHERE a.country IS NOT NULL AND a.country <> '' AND {{visible:ra}} RETURN DISTINCT a.country } AS addressCountries,
       COLLECT { MATCH (p)-[ri:HAS_IDENTIFIER]->(i:Identifier) WHERE {{visible:ri}} RETURN DISTINCT [i.type, i.value, i.country] } AS identifiers,
       p.listedOn AS listedOn, p.firstSeen AS firstSeen, p.delistedOn AS delistedOn
