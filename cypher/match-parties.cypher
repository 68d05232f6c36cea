// Every listed party with what cross-list matching compares: names in all scripts, birth dates,
// nationalities (a vessel's flag counts as one), identifiers. Placeholders and parties no dataset lists any more are left out.
MATCH (p:Party)
WHERE NOT p:Placeholder AND size(coalesce(p.datasets, [])) > 0
RETURN p.id AS id, p.datasets[0] AS dataset, p.kind AS kind, [p.name] + coalesce(p.aliasNames, []) AS names,
       coalesce(p.birthDates, []) AS birthDates,
       coalesce(p.nationalities, []) + coalesce(p.citizenships, [])
         + CASE WHEN p.vesselFlag IS NULL THEN [] ELSE [p.vesselFlag] END AS nationalities,
       [(p)-[:HAS_IDENTIFIER]->(i:Identifier) | i {.type, .value, .country}] AS identifiers
