// Ids of the parties a dataset currently lists.
MATCH (p:Party)
WHERE $dataset IN p.datasets AND {{visible:p}}
RETURN p.id AS id
