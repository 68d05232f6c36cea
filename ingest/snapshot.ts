/**
 * The release snapshot of a spooled load (cypher/ingest-release.cypher; server/core/releases.ts says what
 * it is for), built without holding the release: a party's digest covers its own fields and the keys of
 * its addresses, identifiers and links, which arrive in different files and passes. So each pass of the
 * load writes one line per party and per fact end, keyed by party id, and the lines are sorted (in bounded
 * memory, on disk when they do not fit in one run: ingest/sort-lines.ts) to bring each party's together;
 * each group's digest is then what server/core/releases.ts partyDigest gives, as for a whole release
 * (partyDigests). A party's line holds its name and its digest as if it had no facts (the hashes of its
 * own fields, ownFieldHashes), not the party: writing, sorting and parsing the whole release once more as
 * JSON was most of the snapshot's time (1.5-5 s on the SDN list); a party's facts replace their parts of
 * it (a digest is RELEASE_FIELDS' hashes joined by ','), so a party with none is hashed once.
 *
 * The links come last in a load, and their lines go to a file of their own: once the parties' and facts'
 * passes are done (factsDone), their lines are sorted and each party's digest completed but for its links
 * while the links are written (Node's work beside the database's, not after it); then only the links'
 * lines are sorted, and the parties they name get their links' part.
 */
import type { PartyRecord } from '../server/core/model';
import { linkKey, ownFieldHashes, partyDigest, releaseId, RELEASE_FIELDS, type LinkKeyRow } from '../server/core/releases';
import { LineWriter } from './spool';
import { sortedLines } from './sort-lines';

export interface SnapshotRows {
  id: string;
  dataset: string;
  release: string;
  ids: string[];
  names: string[];
  digests: string[];
  linkKeys: string[];
}

type OwnHashes = ReturnType<typeof ownFieldHashes>;
type Facts = Parameters<typeof partyDigest>[1];

// A digest is RELEASE_FIELDS' hashes joined by ','; those of a party's facts are put in their places.
const ADDRESSES_AT = RELEASE_FIELDS.indexOf('addresses');
const IDENTIFIERS_AT = RELEASE_FIELDS.indexOf('identifiers');
const LINKS_AT = RELEASE_FIELDS.indexOf('links');
/** Own hashes of no party: partyDigest of them and a party's facts gives the facts' hashes at their places. */
const NO_OWN = Object.fromEntries(RELEASE_FIELDS.map((f) => [f, ''])) as unknown as OwnHashes;
/** A digest's parts as partyDigest makes them for `facts` (the own fields' parts empty). */
const factParts = (facts: Facts): string[] => partyDigest(NO_OWN, facts).split(',');
/** The parts of a party with no address, identifier or link. */
const NO_FACTS = factParts({ addresses: [], identifiers: [], links: [] });

/**
 * A party's digest as if it had no facts: partyDigest of its own hashes, with no hashing of its own (a
 * party with facts has their parts replaced once they are known: most parties of a list have none of
 * some kind, so their digests are hashed once, as the party passes).
 */
function digestWithoutFacts(own: OwnHashes): string {
  return RELEASE_FIELDS.map((f, i) => (own as Record<string, string>)[f] ?? NO_FACTS[i]).join(',');
}

/** The parties of the snapshot in the order of their sorted lines (their JSON-quoted ids), each digest with no links yet. */
interface Parties {
  ids: string[];
  names: string[];
  digests: string[];
}

/** What the load's passes tell the snapshot. */
export class SnapshotInput {
  private readonly out: LineWriter;
  private readonly linkOut: LineWriter;
  /** The parties' digests but links, computed from factsDone on (null before). */
  private parties: Promise<Parties> | null = null;
  readonly linkKeys = new Set<string>();
  constructor(private readonly file: string) {
    this.out = new LineWriter(file);
    try {
      this.linkOut = new LineWriter(`${file}.links`);
    } catch (err) {
      this.out.close();
      throw err;
    }
  }
  party(p: PartyRecord): void {
    this.out.line(`${JSON.stringify(p.id)}\tP\t${JSON.stringify([p.name, digestWithoutFacts(ownFieldHashes(p))])}`);
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
    for (const end of row.from === row.to ? [row.from] : [row.from, row.to]) this.linkOut.line(`${JSON.stringify(end)}\tL\t${JSON.stringify(key)}`);
  }

  /**
   * Every party, address and identifier has been told: their lines are sorted and the parties' digests
   * computed from now on, while the caller goes on (writing the links). Only links may be told after.
   */
  factsDone(): void {
    if (this.parties) return;
    this.out.close();
    this.parties = this.partiesOf();
    // A failure is thrown by rows; a load that fails before then is not told it twice (close).
    this.parties.catch(() => undefined);
  }

  /** Closes the lines' files, once the sort that factsDone started has ended (rows does; a load that ends before it, or needs no rows, calls this). */
  async close(): Promise<void> {
    try {
      this.out.close();
    } finally {
      this.linkOut.close();
    }
    await this.parties?.catch(() => undefined);
  }

  /** The snapshot's rows: parties in id order, each with its name and digest; the link keys sorted. */
  async rows(dataset: string, release: string): Promise<SnapshotRows> {
    this.factsDone();
    this.linkOut.close();
    const { ids, names, digests } = await this.parties!;
    await this.addLinks(sortedLines(`${this.file}.links`, `${this.file}.links`), ids, digests);
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

  /** The parties' lines sorted and grouped by party: each party's name and digest, with no links. */
  private async partiesOf(): Promise<Parties> {
    const ids: string[] = [];
    const names: string[] = [];
    const digests: string[] = [];
    let current: string | null = null;
    let party: [string, string] | null = null;
    let facts: { A: string[]; I: string[] } = { A: [], I: [] };
    const flush = () => {
      if (!party || current === null) return;
      ids.push(JSON.parse(current) as string);
      names.push(party[0]);
      let digest = party[1];
      if (facts.A.length > 0 || facts.I.length > 0) {
        const parts = digest.split(',');
        const f = factParts({ addresses: facts.A, identifiers: facts.I, links: [] });
        parts[ADDRESSES_AT] = f[ADDRESSES_AT];
        parts[IDENTIFIERS_AT] = f[IDENTIFIERS_AT];
        digest = parts.join(',');
      }
      digests.push(digest);
    };
    for await (const line of sortedLines(this.file, this.file)) {
      const t1 = line.indexOf('\t');
      const key = line.slice(0, t1);
      if (key !== current) {
        flush();
        current = key;
        party = null;
        facts = { A: [], I: [] };
      }
      const kind = line[t1 + 1];
      const value = JSON.parse(line.slice(t1 + 3)) as unknown;
      if (kind === 'P') party = value as [string, string];
      else facts[kind as 'A' | 'I'].push(value as string);
    }
    flush();
    return { ids, names, digests };
  }

  /**
   * The links' hash into the digests of the parties the sorted link lines name (`ids` in the lines'
   * order, that of their JSON-quoted ids: one walk through both). An end that is not a party of the
   * release (a placeholder, another dataset's party) has no digest.
   */
  private async addLinks(sortedLinks: AsyncIterable<string>, ids: string[], digests: string[]): Promise<void> {
    let at = 0;
    let quoted = ids.length > 0 ? JSON.stringify(ids[0]) : null;
    let current: string | null = null;
    let keys: string[] = [];
    const flush = () => {
      if (current === null) return;
      while (quoted !== null && quoted < current) quoted = ++at < ids.length ? JSON.stringify(ids[at]) : null;
      if (quoted !== current) return;
      const parts = digests[at].split(',');
      parts[LINKS_AT] = factParts({ addresses: [], identifiers: [], links: keys })[LINKS_AT];
      digests[at] = parts.join(',');
    };
    for await (const line of sortedLinks) {
      const t1 = line.indexOf('\t');
      const key = line.slice(0, t1);
      if (key !== current) {
        flush();
        current = key;
        keys = [];
      }
      keys.push(JSON.parse(line.slice(t1 + 3)) as string);
    }
    flush();
  }
}
