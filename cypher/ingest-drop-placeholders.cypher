// Drops placeholders whose links have been moved onto the party they stand for.
UNWIND $pairs AS pair
MATCH (ph:Party {id: pair.placeholder})
USING INDEX ph:Party(id)
WHERE ph:Placeholder
DETACH DELETE ph
RETURN count(*) AS completed
