// The last step of a rollback: the load's record goes. Its number is not given back: a process that
// still wrote under it (taken for dead) must never write into a later load.
MATCH (l:Load {seq: $seq})
DELETE l
