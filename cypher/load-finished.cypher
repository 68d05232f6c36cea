// A committed load has purged what it replaced and refreshed candidate matches: the next load may start.
MATCH (l:Load {seq: $seq})
WHERE l.state = 'finishing'
SET l.state = 'committed', l.finishedAt = toString(datetime())
RETURN l.seq AS seq
