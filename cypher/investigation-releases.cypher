// The release of each loaded dataset now: what a saved investigation is made on.
MATCH (d:Dataset)
WHERE d.release IS NOT NULL
RETURN d.name AS dataset, d.release AS release
ORDER BY dataset
