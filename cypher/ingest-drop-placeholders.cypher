// Drops placeholders whose links have been moved onto the party they stand for.
UNWIND $pairs AS pair
MATCH (ph:Placeholder {id: pair.placeholder})
DETACH DELETE ph
RETURN count(*) AS completed
