// Benchmark baseline (bench/ingest-baseline.ts), not used by the application: Neo4j's own LOAD CSV
// writing the parties ingest-create-parties writes, with the same properties and labels, from a CSV the
// bench wrote from our parser's output. Lists are cells of items each led by $sep (an empty cell is an
// empty list, so a list of one empty string survives). No load number: the baseline has no readers to
// hide from, which is part of what the comparison measures.
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MERGE (n:Party {id: row.id})
  SET n:$(split(row.labels, ';'))
  SET n.kind = row.kind, n.name = row.name, n.nameKey = row.nameKey,
      n.aliasNames = CASE WHEN row.aliasNames IS NULL THEN [] ELSE split(substring(row.aliasNames, 1), $sep) END,
      n.latinNames = CASE WHEN row.latinNames IS NULL THEN [] ELSE split(substring(row.latinNames, 1), $sep) END,
      n.aliasTypes = CASE WHEN row.aliasTypes IS NULL THEN [] ELSE split(substring(row.aliasTypes, 1), $sep) END,
      n.aliasQualities = CASE WHEN row.aliasQualities IS NULL THEN [] ELSE split(substring(row.aliasQualities, 1), $sep) END,
      n.programs = CASE WHEN row.programs IS NULL THEN [] ELSE split(substring(row.programs, 1), $sep) END,
      n.birthDates = CASE WHEN row.birthDates IS NULL THEN [] ELSE split(substring(row.birthDates, 1), $sep) END,
      n.birthPlaces = CASE WHEN row.birthPlaces IS NULL THEN [] ELSE split(substring(row.birthPlaces, 1), $sep) END,
      n.nationalities = CASE WHEN row.nationalities IS NULL THEN [] ELSE split(substring(row.nationalities, 1), $sep) END,
      n.citizenships = CASE WHEN row.citizenships IS NULL THEN [] ELSE split(substring(row.citizenships, 1), $sep) END,
      n.titles = CASE WHEN row.titles IS NULL THEN [] ELSE split(substring(row.titles, 1), $sep) END,
      n.gender = row.gender, n.remarks = row.remarks, n.listedOn = row.listedOn,
      n.vesselCallSign = row.vesselCallSign, n.vesselType = row.vesselType, n.vesselTonnage = row.vesselTonnage,
      n.vesselGrossTonnage = row.vesselGrossTonnage, n.vesselFlag = row.vesselFlag, n.vesselOwner = row.vesselOwner,
      n.dataset = row.dataset, n.release = row.release, n.record = row.record, n.digest = row.digest,
      n.datasets = [$dataset], n.formerDatasets = [], n.firstSeen = $release
} IN TRANSACTIONS OF $batch ROWS
