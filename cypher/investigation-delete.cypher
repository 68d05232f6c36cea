// Deletes a saved investigation; says how many were deleted (0 or 1).
MATCH (i:Investigation {id: $id})
DELETE i
RETURN count(*) AS deleted
