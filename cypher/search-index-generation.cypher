// Which load a name index's last visible load number names (server/core/search/live.ts): its start
// time. Load numbers start again after a database reset, so a number alone does not say the index
// still matches the store; the record of the load that took it does.
OPTIONAL MATCH (l:Load {seq: $seq})
RETURN l.startedAt AS startedAt
