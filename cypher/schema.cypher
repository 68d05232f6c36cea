// Constraints and indexes of the graph. Applied on every start and before every load; each statement
// is idempotent. Labels and property names are those of server/core/model.ts.

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
