// Constraints and indexes of the graph. Applied on every start and before every load; each statement
// is idempotent and names its constraint or index (applySchema finds them by name: schema-online).

// One node per key.
CREATE CONSTRAINT party_id IF NOT EXISTS FOR (n:Party) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT address_id IF NOT EXISTS FOR (n:Address) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT identifier_id IF NOT EXISTS FOR (n:Identifier) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT program_id IF NOT EXISTS FOR (n:Program) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataset_name IF NOT EXISTS FOR (n:Dataset) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT release_id IF NOT EXISTS FOR (n:Release) REQUIRE n.id IS UNIQUE;

// Lookups: link resolution by normalised name, filters by kind, dataset membership, identifier type.
CREATE INDEX party_name_key IF NOT EXISTS FOR (n:Party) ON (n.nameKey);
CREATE INDEX party_kind IF NOT EXISTS FOR (n:Party) ON (n.kind);
CREATE INDEX party_dataset IF NOT EXISTS FOR (n:Party) ON (n.dataset);
CREATE INDEX placeholder_name_key IF NOT EXISTS FOR (n:Placeholder) ON (n.nameKey);
CREATE INDEX identifier_type IF NOT EXISTS FOR (n:Identifier) ON (n.type);
CREATE INDEX address_country IF NOT EXISTS FOR (n:Address) ON (n.country);

// Full-text search over primary names, every alias, and their Latin transliterations.
CREATE FULLTEXT INDEX party_names IF NOT EXISTS FOR (n:Party) ON EACH [n.name, n.aliasNames, n.latinNames];

// Loads (ingest/loader.ts): their register and what they write, found again to commit, purge or roll back.
CREATE CONSTRAINT load_seq IF NOT EXISTS FOR (n:Load) REQUIRE n.seq IS UNIQUE;
CREATE CONSTRAINT load_counter_id IF NOT EXISTS FOR (n:LoadCounter) REQUIRE n.id IS UNIQUE;
CREATE INDEX load_state IF NOT EXISTS FOR (n:Load) ON (n.state);
CREATE INDEX draft_load IF NOT EXISTS FOR (n:Draft) ON (n.load);
CREATE INDEX draft_id IF NOT EXISTS FOR (n:Draft) ON (n.id);
// Release snapshots in parts (ingest-release-parts): read in order by release, found by load to roll back.
CREATE INDEX release_part IF NOT EXISTS FOR (n:ReleasePart) ON (n.release, n.load, n.kind, n.at);
CREATE INDEX release_part_load IF NOT EXISTS FOR (n:ReleasePart) ON (n.load);
CREATE INDEX party_added IF NOT EXISTS FOR (n:Party) ON (n.addedSeq);
CREATE INDEX party_removed IF NOT EXISTS FOR (n:Party) ON (n.removedSeq);
CREATE INDEX address_added IF NOT EXISTS FOR (n:Address) ON (n.addedSeq);
CREATE INDEX identifier_added IF NOT EXISTS FOR (n:Identifier) ON (n.addedSeq);
CREATE INDEX program_added IF NOT EXISTS FOR (n:Program) ON (n.addedSeq);
CREATE CONSTRAINT investigation_id IF NOT EXISTS FOR (n:Investigation) REQUIRE n.id IS UNIQUE;
