// Parties of a release that are loaded already and that it states differently (ingest-loaded-parties):
// left as readers see them; the new fields wait in a Draft node that the load's final transaction
// applies (ingest-apply-drafts). Rows as columns and the map of a party's fields as in
// ingest-create-parties; a null field is not stored (`SET d += {x: null}` sets nothing on a new node).
UNWIND range(0, size($c.id) - 1) AS i
WITH $c AS c, i
MERGE (d:Draft {load: $seq, id: c.id[i]})
SET d += {id: c.id[i], kind: c.kind[i], name: c.name[i], nameKey: c.nameKey[i], aliasNames: c.aliasNames[i],
          latinNames: c.latinNames[i], aliasTypes: c.aliasTypes[i], aliasQualities: c.aliasQualities[i],
          programs: c.programs[i], birthDates: c.birthDates[i], birthPlaces: c.birthPlaces[i],
          nationalities: c.nationalities[i], citizenships: c.citizenships[i], gender: c.gender[i], titles: c.titles[i],
          remarks: c.remarks[i], listedOn: c.listedOn[i], vesselCallSign: c.vesselCallSign[i], vesselType: c.vesselType[i],
          vesselTonnage: c.vesselTonnage[i], vesselGrossTonnage: c.vesselGrossTonnage[i], vesselFlag: c.vesselFlag[i],
          vesselOwner: c.vesselOwner[i], dataset: coalesce(c.dataset[i], $dataset), release: coalesce(c.release[i], $release), record: c.record[i],
          digest: c.digest[i]},
    d.labels = c.labels[i]
