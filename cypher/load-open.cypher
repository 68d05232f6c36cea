// Loads registered and not finished: running (`open`, hidden from readers), committed but still purging
// and refreshing matches (`finishing`), or left so by a process that died. The next load waits for them.
MATCH (l:Load)
WHERE l.state IN ['open', 'finishing']
RETURN l.seq AS seq, l.state AS state, l.dataset AS dataset, l.release AS release, l.startedAt AS startedAt,
       l.beat AS beat, l.host AS host, l.owner AS owner
ORDER BY seq
