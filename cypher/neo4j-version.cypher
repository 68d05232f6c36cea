// Version of the connected Neo4j server.
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions[0] AS version, edition
