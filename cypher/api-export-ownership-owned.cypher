// The parties of an export that something owns (server/api/export-ownership.ts): of the ids given (the
// export's company-like parties), those with at least one OWNERSHIP link into them (owner -> asset, as
// FtM and OFAC's "Owned or Controlled By" are stored), whether or not the export holds that link. Only
// these need an ownership tree read; one query for the whole export, an existence test per id.
UNWIND $ids AS id
MATCH (a:Party {id: id})
WHERE {{visible:a}} AND EXISTS {
  MATCH (o:Party)-[r:OWNERSHIP]->(a)
  WHERE {{visible:r}} AND {{visible:o}}
}
RETURN DISTINCT a.id AS id
