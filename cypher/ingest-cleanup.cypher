// Shared nodes and placeholders nothing points at any more.
CALL () {
  MATCH (n:Address) WHERE NOT (n)--() RETURN n
  UNION
  MATCH (n:Identifier) WHERE NOT (n)--() RETURN n
  UNION
  MATCH (n:Program) WHERE NOT (n)--() RETURN n
  UNION
  MATCH (n:Placeholder) WHERE NOT (n)--() RETURN n
}
DELETE n
RETURN count(n) AS removed
