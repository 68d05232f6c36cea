// The last statement of a load's final transaction: from now on readers see what it wrote.
MATCH (l:Load {seq: $seq, state: 'open'})
SET l.state = 'committed', l.committedAt = toString(datetime())
RETURN l.seq AS seq
