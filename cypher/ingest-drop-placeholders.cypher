// Placeholders whose links have been moved onto the party they stand for: removed when the load commits
// (deleted once no reader can still be using them, load-purge-nodes).
UNWIND $pairs AS pair
MATCH (ph:Party {id: pair.placeholder})
USING INDEX ph:Party(id)
WHERE ph:Placeholder AND ph.removedSeq IS NULL
SET ph.removedSeq = $seq
RETURN count(*) AS completed
