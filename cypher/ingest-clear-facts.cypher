// Removes what an earlier load of this dataset said about these parties; the new release re-states it.
UNWIND $ids AS id
MATCH (p:Party {id: id})-[r]->()
WHERE r.dataset = $dataset
DELETE r
