// Deletes every relationship, in batches: run before database-reset on a large store. DETACH DELETE of
// 10,000 nodes at a time also deletes every relationship of those nodes in the same inner transaction,
// which for the program hubs of x16 scale data (71,152 relationships on one node) went over the
// transaction memory limit; relationships first, 10,000 at a time, keep every transaction small.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
