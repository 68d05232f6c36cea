// How many alerts are stored.
MATCH (a:Alert)
RETURN count(a) AS total
