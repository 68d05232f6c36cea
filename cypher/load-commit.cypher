// The last statement of a load's final transaction: from now on readers see what it wrote. Only its own
// process commits it (a load rolled back as dead, whose process still ran, does not). What it marked as
// removed awaits its purge: readers filter until then (`dirty`, load-snapshot).
MATCH (l:Load {seq: $seq, state: 'open', owner: $owner})
SET l.state = 'finishing', l.committedAt = toString(datetime())
WITH l
MATCH (c:LoadCounter {id: 'loads'})
SET c.dirty = coalesce(c.dirty, false) OR $marked
RETURN l.seq AS seq
