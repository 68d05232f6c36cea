// Whether the store holds any placeholder (a party named by a link and not loaded yet): when it holds
// none before a load writes its links, no party of the release can complete one, and the load skips
// looking for them (ingest/loader.ts). Hidden ones count too: a placeholder is a placeholder.
MATCH (ph:Placeholder)
RETURN count(ph) > 0 AS any
