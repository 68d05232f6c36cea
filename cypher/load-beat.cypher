// A running load says it is alive (a load whose beat stops is taken for dead and rolled back).
MATCH (l:Load {seq: $seq, state: 'open'})
SET l.beat = timestamp()
RETURN l.seq AS seq
