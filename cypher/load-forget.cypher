// The last step of a rollback: the load's record goes, and its number is given back when it was the
// last one (loads register one at a time, so a failed load leaves the counter as it found it).
MATCH (l:Load {seq: $seq})
OPTIONAL MATCH (c:LoadCounter {id: 'loads'})
FOREACH (_ IN CASE WHEN c.seq = $seq THEN [1] ELSE [] END | SET c.seq = $seq - 1)
DELETE l
