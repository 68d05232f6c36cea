// True when no dataset has been loaded.
OPTIONAL MATCH (d:Dataset)
RETURN count(d) = 0 AS empty
