// The store holds history (load-purge-rels kept something a load replaced): from now on clean reads
// leave it out (load-snapshot `history`, server/core/neo4j/database.ts liveIn). Never unset but by a reset.
MATCH (c:LoadCounter {id: 'loads'})
SET c.history = true
