// bench/commit-drafts.ts: the most heap Neo4j estimates an open transaction uses, this one left out
// (the bench's store has no other client).
SHOW TRANSACTIONS YIELD transactionId, estimatedUsedHeapMemory, currentQuery
WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS'
RETURN max(estimatedUsedHeapMemory) AS bytes
