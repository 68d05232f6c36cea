/**
 * One party with its aliases, addresses, identifiers, provenance and degree (Query.entity), and the
 * per-request batching of party reads that search hits use.
 */
import type { PartyRecord } from '../core/model';
import { fromNode, type PartyNode } from '../core/party-node';
import { Database } from '../core/neo4j/database';
import { Context, dbOf } from './context';
import type { Entity, Resolvers } from './generated/graphql';

/** A party as read here: the schema's Entity but for its candidate matches (matches.ts resolves those). */
export type EntityView = Omit<Entity, 'possibleMatches' | '__typename'>;

/** How the Entity labels a vessel's details (PartyRecord vessel fields). */
const VESSEL_LABELS: Record<keyof NonNullable<PartyRecord['vessel']>, string> = {
  callSign: 'Call sign',
  type: 'Vessel type',
  tonnage: 'Tonnage',
  grossTonnage: 'Gross registered tonnage',
  flag: 'Flag',
  owner: 'Owner',
};

/**
 * A stored party node: what the loader wrote (party-node.ts PartyNode, read back with fromNode) and what
 * the load query maintains beside it.
 */
type StoredParty = Partial<PartyNode> & { datasets?: string[] | null; delistedOn?: string | null; firstSeen?: string | null };

type EntityRow = { party: StoredParty; addresses: EntityView['addresses']; identifiers: EntityView['identifiers']; degree: number; placeholder: boolean };

export async function getEntity(db: Database, id: string): Promise<EntityView | null> {
  return (await getEntities(db, [id])).get(id) ?? null;
}

/** Parties by id in one query; ids with no party are missing from the map. */
export async function getEntities(db: Database, ids: readonly string[]): Promise<Map<string, EntityView>> {
  const rows = await db.read<EntityRow>('api-entities', { ids: [...new Set(ids)] });
  return new Map(rows.map((r) => [r.party.id as string, toEntityView(r)]));
}

/** A stored party (node properties, its facts and degree) as the API's Entity. */
function toEntityView(row: EntityRow): EntityView {
  const p = fromNode(row.party);
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    aliases: p.aliases,
    addresses: row.addresses,
    identifiers: row.identifiers,
    programs: p.programs,
    datasets: row.party.datasets ?? [],
    birthDates: p.birthDates,
    nationalities: [...p.nationalities, ...p.citizenships],
    remarks: p.remarks,
    degree: row.degree,
    placeholder: row.placeholder,
    delistedOn: row.party.delistedOn ?? null,
    record: p.provenance.record || null,
    release: p.provenance.release || null,
    listedOn: p.listedOn ?? null,
    firstSeen: row.party.firstSeen ?? null,
    birthPlaces: p.birthPlaces,
    gender: p.gender,
    titles: p.titles,
    vessel: vesselDetails(p.vessel),
  };
}

function vesselDetails(vessel: PartyRecord['vessel']): EntityView['vessel'] {
  if (!vessel) return [];
  return (Object.keys(VESSEL_LABELS) as (keyof typeof VESSEL_LABELS)[]).flatMap((f) => (vessel[f] ? [{ label: VESSEL_LABELS[f], value: vessel[f] }] : []));
}

/** Collects the ids asked for in one tick of the event loop and reads them with one query. */
class EntityBatcher {
  private pending = new Map<string, { resolve: (e: EntityView | null) => void; reject: (e: unknown) => void }[]>();
  constructor(private db: Database) {}
  load(id: string): Promise<EntityView | null> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) setImmediate(() => void this.flush());
      const waiting = this.pending.get(id) ?? [];
      waiting.push({ resolve, reject });
      this.pending.set(id, waiting);
    });
  }
  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    try {
      const found = await getEntities(this.db, [...batch.keys()]);
      for (const [id, waiting] of batch) for (const w of waiting) w.resolve(found.get(id) ?? null);
    } catch (err) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(err);
    }
  }
}

const batchers = new WeakMap<Context, EntityBatcher>();

/** Reads a party through the request's batcher: the parties of one page of hits are one query. */
export function loadEntity(ctx: Context, id: string): Promise<EntityView | null> {
  let batcher = batchers.get(ctx);
  if (!batcher) batchers.set(ctx, (batcher = new EntityBatcher(dbOf(ctx))));
  return batcher.load(id);
}

export const entityResolvers: Resolvers = {
  Query: {
    entity: (_parent, args, ctx) => getEntity(dbOf(ctx), args.id),
  },
};
