// One page of the listed parties (at most $limit, in id order after $after) with what cross-list
// matching compares: the node properties named by $keys (read back with server/core/party-node.ts
// fromNode: names in all scripts, birth dates, nationalities, a vessel's flag), the dataset it is
// compared as (the first that lists it) and its identifiers. Placeholders and parties no dataset lists
// any more are left out. Paged so that the whole list is never one result (server/core/matching/refresh.ts).
MATCH (p:Party)
USING INDEX p:Party(id)
WHERE p.id > $after AND NOT p:Placeholder AND size(coalesce(p.datasets, [])) > 0 AND {{visible:p}}
WITH p ORDER BY p.id LIMIT toInteger($limit)
RETURN [k IN $keys | p[k]] AS values, p.datasets[0] AS dataset,
       [(p)-[ri:HAS_IDENTIFIER]->(i:Identifier) WHERE {{visible:ri}} | i {.type, .value, .country}] AS identifiers
