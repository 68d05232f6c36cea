// Parties of a release. A new one is created at once, hidden until the load commits (addedSeq). One
// already loaded is left as readers see it: when the release states it differently (its digest of
// fields and labels differs, it was delisted or a placeholder), the new fields wait in a Draft node that
// the final transaction applies (ingest-apply-drafts). Labels come from the model's allow-list
// (server/core/model.ts partyLabels), passed as parameters.
// The rows come as columns, one list per field ($c.name[i] is row i's name: ingest/loader.ts columns):
// Bolt then packs a field's name once per batch, not once per party; packing the parameters was the
// largest cost of the load in Node. The map below names every field of a party node
// (server/core/party-node.ts toNode; the loader refuses a field it does not list). A null field is not
// stored: `SET n += {x: null}` sets nothing on a new node or a draft.
UNWIND range(0, size($c.id) - 1) AS i
WITH $c AS c, i
WITH c.id[i] AS id, c.labels[i] AS labels,
     {id: c.id[i], kind: c.kind[i], name: c.name[i], nameKey: c.nameKey[i], aliasNames: c.aliasNames[i],
      latinNames: c.latinNames[i], aliasTypes: c.aliasTypes[i], aliasQualities: c.aliasQualities[i],
      programs: c.programs[i], birthDates: c.birthDates[i], birthPlaces: c.birthPlaces[i],
      nationalities: c.nationalities[i], citizenships: c.citizenships[i], gender: c.gender[i], titles: c.titles[i],
      remarks: c.remarks[i], listedOn: c.listedOn[i], vesselCallSign: c.vesselCallSign[i], vesselType: c.vesselType[i],
      vesselTonnage: c.vesselTonnage[i], vesselGrossTonnage: c.vesselGrossTonnage[i], vesselFlag: c.vesselFlag[i],
      vesselOwner: c.vesselOwner[i], dataset: c.dataset[i], release: c.release[i], record: c.record[i],
      digest: c.digest[i]} AS props
OPTIONAL MATCH (p:Party {id: id})
USING INDEX p:Party(id)
CALL (id, labels, props, p) {
  WITH id, labels, props, p WHERE p IS NULL
  CREATE (n:Party {id: id})
  SET n:$(labels)
  SET n += props
  SET n.addedSeq = $seq, n.datasets = [$dataset], n.formerDatasets = [], n.firstSeen = $release
}
CALL (id, labels, props, p) {
  WITH id, labels, props, p
  WHERE p IS NOT NULL AND (p.digest IS NULL OR p.digest <> props.digest OR NOT $dataset IN coalesce(p.datasets, []) OR p:Placeholder)
  MERGE (d:Draft {load: $seq, id: id})
  SET d += props, d.labels = labels
}
