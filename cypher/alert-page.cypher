// Alerts, the newest first (`key`: the load's number, then the order they were recorded in), after the
// cursor $after (a key) when given; $limit of them.
MATCH (a:Alert)
WHERE $after IS NULL OR a.key < $after
RETURN a {.*} AS a
ORDER BY a.key DESC
LIMIT $limit
