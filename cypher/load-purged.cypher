// After a purge up to $upTo: nothing removed awaits its purge any more, unless a newer load has
// committed since (then its own purge clears the flag).
MATCH (c:LoadCounter {id: 'loads'})
WHERE c.seq = $upTo OR NOT EXISTS { MATCH (l:Load) WHERE l.seq > $upTo AND l.state IN ['finishing', 'committed'] }
SET c.dirty = false
