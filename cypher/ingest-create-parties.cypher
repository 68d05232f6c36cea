// Parties of a release that are not loaded yet (ingest-loaded-parties says which are): created at once,
// hidden until the load commits (addedSeq). A plain CREATE: the load knows they are new, so the query
// does not read the parties it writes (one query that matched and then created or staged each party did;
// its plan still has three Eager operators, with static labels too, EXPLAIN). Labels come from the
// model's allow-list (server/core/model.ts partyLabels), passed as parameters and written by the CREATE
// too (a `SET n:$(...)` after it was an operator of its own: 14,767 db hits per 5,000 parties).
// The rows come as columns, one list per field ($c.name[i] is row i's name: ingest/loader.ts columns):
// Bolt then packs a field's name once per batch, not once per party; packing the parameters was the
// largest cost of the load in Node. The map below names every field of a party node
// (server/core/party-node.ts toNode; the loader refuses a field it does not list; ingest-draft-parties
// has the same map). The properties are written by the CREATE itself, where a null one is not stored
// (a `SET n += {...}` after it tried to remove each null field: a third of the db hits).
// A new party's programs are linked here too, from the node just made (no index seek for the party, no
// MERGE: a party created by this load has no SANCTION yet, and its programs are distinct per record);
// the Program nodes are made beforehand (ingest-merge-programs). Same relationship as ingest-programs.
// CYPHER replan=skip: a statement run batch after batch as the store grows is otherwise planned again
// when Neo4j's statistics have moved far enough (more than 10 s after the last plan), 30-400 ms of
// CPU each time; this plan does not depend on them (every lookup is a unique key or a hinted index).
CYPHER replan=skip
UNWIND range(0, size($c.id) - 1) AS i
WITH $c AS c, i
CREATE (n:Party:$(c.labels[i]) {id: c.id[i], kind: c.kind[i], name: c.name[i], nameKey: c.nameKey[i], aliasNames: c.aliasNames[i],
                 latinNames: c.latinNames[i], aliasTypes: c.aliasTypes[i], aliasQualities: c.aliasQualities[i],
                 programs: c.programs[i], birthDates: c.birthDates[i], birthPlaces: c.birthPlaces[i],
                 nationalities: c.nationalities[i], citizenships: c.citizenships[i], gender: c.gender[i], titles: c.titles[i],
                 remarks: c.remarks[i], listedOn: c.listedOn[i], vesselCallSign: c.vesselCallSign[i], vesselType: c.vesselType[i],
                 vesselTonnage: c.vesselTonnage[i], vesselGrossTonnage: c.vesselGrossTonnage[i], vesselFlag: c.vesselFlag[i],
                 vesselOwner: c.vesselOwner[i], dataset: coalesce(c.dataset[i], $dataset), release: coalesce(c.release[i], $release), record: c.record[i],
                 digest: c.digest[i], addedSeq: $seq, datasets: [$dataset], formerDatasets: [], firstSeen: $release})
WITH n, c.programs[i] AS programs, c.record[i] AS record
UNWIND programs AS program
WITH DISTINCT n, program, record
MATCH (pr:Program {id: program})
CREATE (n)-[:SANCTION {dataset: $dataset, addedSeq: $seq, release: $release, record: record}]->(pr)
