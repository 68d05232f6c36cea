// Registers a load under the next number; what it writes stays hidden until load-commit.
MATCH (c:LoadCounter {id: 'loads'})
SET c.seq = c.seq + 1
CREATE (l:Load {seq: c.seq, dataset: $dataset, release: $release, state: 'open', host: $host, owner: $owner,
                startedAt: toString(datetime()), beat: timestamp()})
RETURN l.seq AS seq
