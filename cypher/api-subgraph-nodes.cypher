// The nodes of a subgraph, in the shape of the API's GraphNode. A party's datasets: those that list it
// and those that delisted it (where it came from, for the explorer's filter by dataset).
MATCH (n)
WHERE elementId(n) IN $eids
RETURN elementId(n) AS eid, n.id AS id, labels(n) AS labels, n.kind AS kind,
       coalesce(n.name, n.full, n.value, n.id) AS label, {{degree:n}} AS degree,
       n:Placeholder AS placeholder, n.delistedOn AS delistedOn, coalesce(n.listedOn, n.firstSeen) AS listedOn,
       coalesce(n.programs, []) AS programs,
       CASE WHEN n:Party
         THEN coalesce(n.datasets, []) + [d IN coalesce(n.formerDatasets, []) WHERE NOT d IN coalesce(n.datasets, [])]
         ELSE [] END AS datasets
