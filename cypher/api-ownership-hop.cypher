// One hop up an ownership tree (server/core/ownership/stakes.ts): for each asset of the frontier, the
// OWNERSHIP links into it (owner -> asset, as FtM and OFAC's "Owned or Controlled By" are stored) with
// the source's percentage and dates, and each owner's listing facts. At most $scan links per asset (one
// more is read to tell that there were more): a company with thousands of shareholders costs what one
// with $scan does, and the answer says it was cut.
UNWIND $frontier AS eid
MATCH (a)
WHERE elementId(a) = eid
CALL (a) {
  MATCH (o:Party)-[r:OWNERSHIP]->(a)
  WHERE {{visible:r}} AND {{visible:o}}
  WITH o, r
  LIMIT $scan
  RETURN collect({
    rel: elementId(r), percentage: r.percentage, startDate: r.startDate, endDate: r.endDate,
    owner: o {eid: elementId(o), .id, .name, placeholder: o:Placeholder, programs: size(coalesce(o.programs, [])),
              datasets: size(coalesce(o.datasets, [])), formerDatasets: size(coalesce(o.formerDatasets, [])),
              .listedOn, .delistedOn}
  }) AS stakes
}
RETURN eid AS asset, a.id AS assetId, stakes
