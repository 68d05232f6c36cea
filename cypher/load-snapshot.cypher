// A reader's view of the loads (server/core/neo4j/database.ts visibleIn): the last load number first,
// then the loads not committed. Read in this order, a load registered in between is hidden either way.
// `clean`: no load is open and nothing committed loads removed awaits its purge (`dirty`), so there is
// nothing to hide (loads wait INGEST_READER_GRACE after registering, so a reader that started clean
// ends before a new load writes anything). `history`: a purge has kept some of what loads replaced
// (load-purge-rels, load-history): clean reads then leave it out by type.
OPTIONAL MATCH (c:LoadCounter {id: 'loads'})
WITH coalesce(c.seq, 0) AS seq, coalesce(c.dirty, false) AS dirty, coalesce(c.history, false) AS history
OPTIONAL MATCH (l:Load {state: 'open'})
WITH seq, dirty, history, collect(l.seq) AS hidden
RETURN seq, hidden, size(hidden) = 0 AND NOT dirty AS clean, history
