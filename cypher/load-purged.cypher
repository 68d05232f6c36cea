// After a purge with no load open: everything committed loads removed is gone (load-snapshot's `clean`).
MATCH (c:LoadCounter {id: 'loads'})
WHERE NOT EXISTS { MATCH (:Load {state: 'open'}) }
SET c.purged = c.seq
