// The company an ownership verdict is about (server/core/ownership/stakes.ts), by id: its element id,
// its listing facts, and who directs it (DIRECTORSHIP director -> organisation: the EU's control test),
// at most $perNode directorships, with each director's listing facts and the link's dates and role.
MATCH (t:Party {id: $id})
WHERE {{visible:t}}
CALL (t) {
  OPTIONAL MATCH (d:Party)-[r:DIRECTORSHIP]->(t)
  WHERE {{visible:r}} AND {{visible:d}}
  WITH d, r
  LIMIT $perNode
  RETURN collect(CASE WHEN r IS NULL THEN null ELSE {
    rel: elementId(r), role: r.label, startDate: r.startDate, endDate: r.endDate,
    party: d {eid: elementId(d), .id, .name, placeholder: d:Placeholder, programs: size(coalesce(d.programs, [])),
              datasets: size(coalesce(d.datasets, [])), formerDatasets: size(coalesce(d.formerDatasets, [])),
              .listedOn, .delistedOn}
  } END) AS controls
}
RETURN t {eid: elementId(t), .id, .name, placeholder: t:Placeholder, programs: size(coalesce(t.programs, [])),
          datasets: size(coalesce(t.datasets, [])), formerDatasets: size(coalesce(t.formerDatasets, [])),
          .listedOn, .delistedOn} AS target,
       controls
