// A committed load and the previous committed load of its dataset, with both releases' snapshots
// (ingest-release): who the list names after the load and who it named before. No previous load: null.
MATCH (l:Load {seq: $seq})
OPTIONAL MATCH (p:Load {dataset: l.dataset})
WHERE p.seq < l.seq AND p.state IN ['finishing', 'committed']
WITH l, p
ORDER BY p.seq DESC
LIMIT 1
OPTIONAL MATCH (now:Release {id: l.dataset + '@' + l.release})
OPTIONAL MATCH (before:Release {id: p.dataset + '@' + p.release})
RETURN l.dataset AS dataset, l.release AS release, p.release AS previous,
       coalesce(now.ids, []) AS ids, coalesce(now.names, []) AS names,
       coalesce(before.ids, []) AS beforeIds, coalesce(before.names, []) AS beforeNames
