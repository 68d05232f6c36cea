/**
 * One party with its aliases, addresses, identifiers, provenance and degree (Query.entity), and the
 * per-request loader of parties that Query.entity and search hits (SearchHit.entity) read through.
 */
import DataLoader from 'dataloader';
import type { PartyRecord } from '../core/model';
import { fromNode, type PartyNode } from '../core/party-node';
import { Database } from '../core/neo4j/database';
import type { Entity, Resolvers, ResolversParentTypes } from './generated/graphql';
import { perRequest } from './request';
import { LIMITS } from './validate';

/**
 * A party as read here: the schema's Entity but for its candidate matches (matches.ts resolves those)
 * and its exposure (exposure.ts).
 */
export type EntityView = Omit<Entity, 'possibleMatches' | 'exposure' | '__typename'>;

/**
 * What resolvers return for an Entity. Codegen's mapper for Entity (server/codegen.ts) leaves out only
 * `possibleMatches`, so its type also asks for `exposure`, which Entity.exposure resolves on its own
 * (below) and no parent holds: this is the one place a view is passed as that type. With `exposure`
 * added to the mapper, EntityParent is EntityView and the cast goes.
 */
export type EntityParent = ResolversParentTypes['Entity'];
const asParent = (view: EntityView): EntityParent => view as EntityParent;

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
    aliases: p.aliases.slice(0, LIMITS.entityFacts),
    addresses: row.addresses.slice(0, LIMITS.entityFacts),
    identifiers: row.identifiers.slice(0, LIMITS.entityFacts),
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

/**
 * The request's loader of parties: every party asked for while the request's resolvers run in one tick
 * (a page of search hits, aliased entity fields) is read with one query, each id once.
 */
export const entityLoader = perRequest(
  (db) =>
    new DataLoader<string, EntityParent | null>(
      async (ids) => {
        const found = await getEntities(db, ids);
        return ids.map((id) => {
          const view = found.get(id);
          return view ? asParent(view) : null;
        });
      },
      { maxBatchSize: LIMITS.batchSize },
    ),
);

export const entityResolvers: Resolvers = {
  Query: {
    entity: (_parent, args, ctx) => entityLoader(ctx).load(args.id),
  },
};
