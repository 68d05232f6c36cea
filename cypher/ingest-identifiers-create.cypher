// ingest-identifiers for facts each stated once in this load (ingest/loader.ts factRuns: the release
// gives a party's facts as one run, and a fact repeated within the run goes to ingest-identifiers after
// this): the relationship is created, not merged. The MERGE's key includes this load's number, so it
// could only ever find a relationship this load made; with no repeat there is none, and a CREATE writes
// the same graph without reading each party's relationships and locking both ends to merge.
// CYPHER replan=skip: the plan does not depend on the store's statistics (see ingest-create-parties).
CYPHER replan=skip
UNWIND range(0, size($c.partyId) - 1) AS n
WITH $c AS c, n
MATCH (p:Party {id: c.partyId[n]})
USING INDEX p:Party(id)
MERGE (i:Identifier {id: c.key[n]})
  ON CREATE SET i.type = c.type[n], i.value = c.value[n], i.country = c.country[n],
                i.dataset = $dataset, i.release = $release, i.record = c.record[n], i.addedSeq = $seq
CREATE (p)-[:HAS_IDENTIFIER {dataset: $dataset, addedSeq: $seq, label: c.label[n], issued: c.issued[n], expires: c.expires[n],
                             release: $release, record: c.record[n]}]->(i)
