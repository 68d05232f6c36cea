// Loads registered and neither committed nor rolled back: running, or left by a process that died.
MATCH (l:Load {state: 'open'})
RETURN l.seq AS seq, l.dataset AS dataset, l.release AS release, l.startedAt AS startedAt, l.beat AS beat,
       l.host AS host, l.owner AS owner
ORDER BY seq
