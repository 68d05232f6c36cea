// Loaded (non-placeholder) parties with one of these normalised primary names.
MATCH (p:Party)
WHERE p.nameKey IN $keys AND NOT p:Placeholder AND {{visible:p}}
RETURN p.nameKey AS key, p.id AS id
ORDER BY p.id
