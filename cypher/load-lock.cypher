// First statement of registering a load: the write lock of the load counter, held to the end of the
// transaction, makes registrations one at a time (ingest/loader.ts beginLoad).
MERGE (c:LoadCounter {id: 'loads'})
  ON CREATE SET c.seq = 0
SET c.lockedAt = timestamp()
RETURN c.seq AS seq
