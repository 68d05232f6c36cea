// How many investigations are saved (the store is bounded).
MATCH (i:Investigation)
RETURN count(i) AS n
