// The node an exposure search starts from, by id (server/core/screening/exposure.ts): a party or
// placeholder, an identifier (its key) or an address (its key).
CALL () {
  MATCH (n:Party {id: $id}) RETURN n
  UNION
  MATCH (n:Identifier {id: $id}) RETURN n
  UNION
  MATCH (n:Address {id: $id}) RETURN n
}
WITH n
WHERE {{visible:n}}
RETURN elementId(n) AS eid
LIMIT 1
