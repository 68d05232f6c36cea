// How many other datasets have listed parties: with none, there is nothing to match against.
MATCH (d:Dataset)
WHERE d.name <> $dataset
RETURN count(d) AS others
