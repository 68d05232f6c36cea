// How many of the named indexes (a constraint's backing index has the constraint's name) are online:
// applySchema (server/core/neo4j/database.ts) runs schema.cypher only when one is missing or not online.
SHOW INDEXES YIELD name, state
WHERE name IN $names AND state = 'ONLINE'
RETURN count(*) AS online
