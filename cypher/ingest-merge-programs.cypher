// The sanctions programs a batch of parties lists, one row each (ingest/loader.ts: the first party of
// the batch that lists it gives the record), made if missing, hidden until the load commits (addedSeq),
// before the batch's parties are linked to them (ingest-create-parties, ingest-programs). A handful of
// rows per batch: the programs are few and shared by thousands of parties.
// CYPHER replan=skip: the plan does not depend on the store's statistics (see ingest-create-parties).
CYPHER replan=skip
UNWIND range(0, size($c.program) - 1) AS i
WITH $c AS c, i
MERGE (pr:Program {id: c.program[i]})
  ON CREATE SET pr.name = c.program[i], pr.dataset = $dataset, pr.release = $release, pr.record = c.record[i], pr.addedSeq = $seq
