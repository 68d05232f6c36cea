// Every watch, the first made first.
MATCH (w:Watch)
RETURN w {.*} AS w
ORDER BY w.createdAt, w.id
