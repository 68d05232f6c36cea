// The nodes of a subgraph, in the shape of the API's GraphNode.
MATCH (n)
WHERE elementId(n) IN $eids
RETURN elementId(n) AS eid, n.id AS id, labels(n) AS labels, n.kind AS kind,
       coalesce(n.name, n.full, n.value, n.id) AS label, {{degree:n}} AS degree,
       n:Placeholder AS placeholder, n.delistedOn AS delistedOn, coalesce(n.listedOn, n.firstSeen) AS listedOn,
       coalesce(n.programs, []) AS programs
