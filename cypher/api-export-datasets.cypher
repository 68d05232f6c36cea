// The datasets an export draws on: their titles, publishers and releases (for the export's README and
// the FtM publisher).
MATCH (d:Dataset)
WHERE d.name IN $names
RETURN d.name AS name, d.title AS title, d.publisher AS publisher, d.release AS release,
       coalesce(d.releases, []) AS releases, d.loadedAt AS loadedAt
ORDER BY name
