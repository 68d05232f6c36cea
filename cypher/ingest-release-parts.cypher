// Parts of a release snapshot (server/core/releases.ts RELEASE_PART parties, or link keys, each), written
// by load $seq before its final transaction: hidden until ingest-release names $seq the release's
// parts, deleted with the load when it is rolled back (load-rollback-added-nodes). A part of parties
// holds the first and last of its ids, so a few parties are found without reading the rest
// (release-party-lookup).
UNWIND $parts AS part
CREATE (p:ReleasePart)
SET p = part, p.release = $id, p.load = toInteger($seq), p.at = toInteger(part.at)
