/**
 * Watches and alerts (server/core/alerts.ts): Query.alerts and Query.watches (reads, as every read),
 * Mutation.watch and Mutation.unwatch (the reviewer role, recorded under the API key's owner).
 */
import { ALERT_PAGE, alertPage, listWatches, unwatchParty, WATCHES_MAX, watchParty, type StoredAlert, type StoredWatch } from '../core/alerts';
import { requireRole } from './auth';
import { Context, dbOf } from './context';
import { FIELD_COSTS } from './cost';
import type { Alert, Resolvers, Watch } from './generated/graphql';
import { requestDb } from './request';

/** The cost of these fields (cost.ts counts every field; each list of objects must have its size), added from here as investigations.ts does. */
Object.assign(FIELD_COSTS, {
  'Query.alerts': { reads: () => 2, size: () => 1 },
  'AlertPage.alerts': { size: (a: { first?: unknown }) => (typeof a.first === 'number' ? a.first : ALERT_PAGE.default) },
  'Query.watches': { reads: () => 1, size: () => WATCHES_MAX },
  // The party, the watches, up to 3 hops of its radius, its candidate matches, the write.
  'Mutation.watch': { reads: () => 7 },
  'Mutation.unwatch': { reads: () => 1 },
});

const asAlert = (a: StoredAlert): Alert => ({ ...a, id: a.key, __typename: 'Alert' }) as Alert;
const asWatch = (w: StoredWatch): Watch => ({ ...w, __typename: 'Watch' }) as Watch;

export const alertResolvers: Resolvers = {
  Query: {
    alerts: async (_parent, args, ctx) => {
      const page = await alertPage(requestDb(ctx), args.first, args.after);
      return { ...page, alerts: page.alerts.map(asAlert) };
    },
    watches: async (_parent, _args, ctx) => (await listWatches(requestDb(ctx))).map(({ matchKeys: _m, ...w }) => asWatch(w)),
  },
  Mutation: {
    watch: async (_parent, args, ctx: Context) => {
      const principal = requireRole(ctx.caller, 'reviewer', 'Watching a party');
      return asWatch(await watchParty(dbOf(ctx), args.id, args.radius, principal.owner));
    },
    unwatch: async (_parent, args, ctx: Context) => {
      requireRole(ctx.caller, 'reviewer', 'Unwatching a party');
      return unwatchParty(dbOf(ctx), args.id);
    },
  },
};
