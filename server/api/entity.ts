/**
 * One party with its aliases, addresses, identifiers, provenance and degree (Query.entity), and the
 * per-request batching of party reads that search hits use.
 */
import { PartyKind } from '../core/model';
import { Database } from '../core/neo4j/database';
import { Context, dbOf } from './context';
import type { Entity, Resolvers } from './generated/graphql';

/** A party as read here: the schema's Entity but for its candidate matches (matches.ts resolves those). */
export type EntityView = Omit<Entity, 'possibleMatches' | '__typename'>;

const VESSEL_FIELDS: [string, string][] = [
  ['vesselCallSign', 'Call sign'],
  ['vesselType', 'Vessel type'],
  ['vesselTonnage', 'Tonnage'],
  ['vesselGrossTonnage', 'Gross registered tonnage'],
  ['vesselFlag', 'Flag'],
  ['vesselOwner', 'Owner'],
];

type EntityRow = { party: Record<string, unknown>; addresses: EntityView['addresses']; identifiers: EntityView['identifiers']; degree: number; placeholder: boolean };

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
  const p = row.party as Record<string, string | string[] | null>;
  const names = (p.aliasNames as string[] | null) ?? [];
  const types = (p.aliasTypes as string[] | null) ?? [];
  const qualities = (p.aliasQualities as string[] | null) ?? [];
  return {
    id: p.id as string,
    kind: p.kind as PartyKind,
    name: p.name as string,
    aliases: names.map((name, i) => ({ name, type: types[i] ?? 'a.k.a.', quality: qualities[i] || null })),
    addresses: row.addresses,
    identifiers: row.identifiers,
    programs: (p.programs as string[] | null) ?? [],
    datasets: (p.datasets as string[] | null) ?? [],
    birthDates: (p.birthDates as string[] | null) ?? [],
    nationalities: [...((p.nationalities as string[] | null) ?? []), ...((p.citizenships as string[] | null) ?? [])],
    remarks: (p.remarks as string | null) ?? null,
    degree: row.degree,
    placeholder: row.placeholder,
    delistedOn: (p.delistedOn as string | null) ?? null,
    record: (p.record as string | null) ?? null,
    release: (p.release as string | null) ?? null,
    listedOn: (p.listedOn as string | null) ?? null,
    firstSeen: (p.firstSeen as string | null) ?? null,
    birthPlaces: (p.birthPlaces as string[] | null) ?? [],
    gender: (p.gender as string | null) ?? null,
    titles: (p.titles as string[] | null) ?? [],
    vessel: VESSEL_FIELDS.flatMap(([prop, label]) => (p[prop] ? [{ label, value: String(p[prop]) }] : [])),
  };
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
