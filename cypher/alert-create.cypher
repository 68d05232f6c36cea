// Records a load's alerts. Their own label, no relationships: no load, purge or cleanup matches them.
UNWIND $rows AS row
CREATE (a:Alert)
SET a = row
