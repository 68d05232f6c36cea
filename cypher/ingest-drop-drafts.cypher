// After a load's final transaction (ingest/loader.ts): its drafts were applied there and nothing reads
// them; deleted in small transactions rather than in the final one, whose memory grows with what it
// changes. Drafts of earlier loads go too: a load killed after its commit left its own.
MATCH (d:Draft) WHERE d.load <= $seq
CALL (d) { DELETE d } IN TRANSACTIONS OF 5000 ROWS
