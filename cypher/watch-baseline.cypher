// After a load's alerts: the candidate matches now inside the watch's radius, and the load it was checked at.
MATCH (w:Watch {id: $id})
SET w.matchKeys = $matchKeys, w.checkedSeq = $seq
