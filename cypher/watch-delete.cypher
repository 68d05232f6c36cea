// Stops watching a party; its alerts stay (they record what happened).
MATCH (w:Watch {id: $id})
DELETE w
RETURN count(*) AS deleted
