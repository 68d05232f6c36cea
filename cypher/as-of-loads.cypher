// The committed loads (finishing: committed, still tidying up) with the dataset and release each wrote:
// what a read as of a date chooses from (server/core/as-of.ts). Rolled-back loads are forgotten.
MATCH (l:Load)
WHERE l.state IN ['finishing', 'committed']
RETURN l.seq AS seq, l.dataset AS dataset, l.release AS release
ORDER BY seq
