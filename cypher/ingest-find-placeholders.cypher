// Placeholders (parties referenced by name only) whose name is one of these normalised names.
MATCH (ph:Placeholder)
USING INDEX ph:Placeholder(nameKey)
WHERE ph.nameKey IN $keys AND {{visible:ph}}
RETURN ph.id AS id, ph.nameKey AS key
