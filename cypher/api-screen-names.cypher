// Every party's names (primary and aliases): the population whose word counts screening measures a
// name's rarity by (server/api/screen.ts nameStats; read once per state of the lists).
MATCH (p:Party)
WHERE {{visible:p}}
RETURN p.name AS name, coalesce(p.aliasNames, []) AS aliases
