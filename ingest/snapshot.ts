/**
 * The release snapshot of a spooled load (cypher/ingest-release.cypher; server/core/releases.ts says what
 * it is for), built without holding the release: a party's digest covers its own fields and the keys of
 * its addresses, identifiers and links, which arrive in different files and passes. So each pass of the
 * load writes one line per party and per fact end, keyed by party id, and the lines are sorted on disk
 * (ingest/sort-lines.ts, in bounded memory) to bring each party's together; each group's digest is then
 * computed by server/core/releases.ts partyDigest, as for a whole release (partyDigests). A party's line
 * holds its name and the hashes of its own fields (ownFieldHashes), not the party: writing, sorting and
 * parsing the whole release once more as JSON was most of the snapshot's time (1.5-5 s on the SDN list).
 */
import type { PartyRecord } from '../server/core/model';
import { linkKey, ownFieldHashes, partyDigest, releaseId, type LinkKeyRow } from '../server/core/releases';
import { LineWriter, readLines } from './spool';
import { sortLines } from './sort-lines';

export interface SnapshotRows {
  id: string;
  dataset: string;
  release: string;
  ids: string[];
  names: string[];
  digests: string[];
  linkKeys: string[];
}

/** What the load's passes tell the snapshot. */
export class SnapshotInput {
  private readonly out: LineWriter;
  readonly linkKeys = new Set<string>();
  constructor(private readonly file: string) {
    this.out = new LineWriter(file);
  }
  party(p: PartyRecord): void {
    this.out.line(`${JSON.stringify(p.id)}\tP\t${JSON.stringify([p.name, ownFieldHashes(p)])}`);
  }
  address(partyId: string, key: string): void {
    this.out.line(`${JSON.stringify(partyId)}\tA\t${JSON.stringify(key)}`);
  }
  identifier(partyId: string, key: string): void {
    this.out.line(`${JSON.stringify(partyId)}\tI\t${JSON.stringify(key)}`);
  }
  link(row: LinkKeyRow): void {
    const key = linkKey(row);
    this.linkKeys.add(key);
    for (const end of row.from === row.to ? [row.from] : [row.from, row.to]) this.out.line(`${JSON.stringify(end)}\tL\t${JSON.stringify(key)}`);
  }

  /** Closes the lines' file (rows does; a load that ends before it, or needs no rows, calls this). */
  close(): void {
    this.out.close();
  }

  /** The snapshot's rows: parties in id order, each with its name and digest; the link keys sorted. */
  async rows(dataset: string, release: string): Promise<SnapshotRows> {
    this.out.close();
    const sorted = `${this.file}.sorted`;
    await sortLines(this.file, sorted);
    const ids: string[] = [];
    const names: string[] = [];
    const digests: string[] = [];
    let current: string | null = null;
    let party: [string, ReturnType<typeof ownFieldHashes>] | null = null;
    let facts: { A: string[]; I: string[]; L: string[] } = { A: [], I: [], L: [] };
    const flush = () => {
      if (!party || current === null) return;
      ids.push(JSON.parse(current) as string);
      names.push(party[0]);
      digests.push(partyDigest(party[1], { addresses: facts.A, identifiers: facts.I, links: facts.L }));
    };
    for await (const line of readLines(sorted)) {
      const t1 = line.indexOf('\t');
      const key = line.slice(0, t1);
      if (key !== current) {
        flush();
        current = key;
        party = null;
        facts = { A: [], I: [], L: [] };
      }
      const kind = line[t1 + 1];
      const value = JSON.parse(line.slice(t1 + 3)) as unknown;
      if (kind === 'P') party = value as [string, ReturnType<typeof ownFieldHashes>];
      else facts[kind as 'A' | 'I' | 'L'].push(value as string);
    }
    flush();
    // The lines were ordered by their JSON-quoted ids (escapes change the order of a few); the snapshot
    // lists ids in JavaScript's order of the ids themselves.
    let inOrder = true;
    for (let i = 1; i < ids.length && inOrder; i++) inOrder = ids[i - 1] < ids[i];
    const order = inOrder ? null : ids.map((_, i) => i).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    const inIdOrder = (xs: string[]) => (order ? order.map((i) => xs[i]) : xs);
    const linkKeys = [...this.linkKeys].sort();
    this.linkKeys.clear();
    return { id: releaseId(dataset, release), dataset, release, ids: inIdOrder(ids), names: inIdOrder(names), digests: inIdOrder(digests), linkKeys };
  }
}
