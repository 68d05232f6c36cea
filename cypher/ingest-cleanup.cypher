// Shared nodes and placeholders nothing points at any more (after load-purge-*), in batches.
CALL () {
  MATCH (n:Address) WHERE NOT (n)--() RETURN n
  UNION
  MATCH (n:Identifier) WHERE NOT (n)--() RETURN n
  UNION
  MATCH (n:Program) WHERE NOT (n)--() RETURN n
  UNION
  MATCH (n:Placeholder) WHERE NOT (n)--() RETURN n
}
CALL (n) { DELETE n } IN TRANSACTIONS OF 5000 ROWS
RETURN count(*) AS removed
