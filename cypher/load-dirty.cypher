// Whether something committed loads removed still awaits its purge (a purge failed or was killed).
OPTIONAL MATCH (c:LoadCounter {id: 'loads'})
RETURN coalesce(c.dirty, false) AS dirty
