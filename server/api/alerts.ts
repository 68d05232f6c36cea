/**
 * Watches and alerts (server/core/alerts.ts): Query.alerts and Query.watches (reads, as every read),
 * Mutation.watch and Mutation.unwatch (the reviewer role, recorded under the API key's owner).
 */
import { alertPage, listWatches, unwatchParty, watchParty, type StoredAlert, type StoredWatch } from '../core/alerts';
import { requireRole } from './auth';
import { Context, dbOf } from './context';
import type { Alert, Resolvers, Watch } from './generated/graphql';
import { requestDb } from './request';

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
      const watch = await watchParty(dbOf(ctx), args.id, args.radius, principal.owner);
      ctx.audit?.record(ctx.caller, { event: 'watch', action: 'watch', id: args.id, radius: watch.radius });
      return asWatch(watch);
    },
    unwatch: async (_parent, args, ctx: Context) => {
      requireRole(ctx.caller, 'reviewer', 'Unwatching a party');
      const removed = await unwatchParty(dbOf(ctx), args.id);
      if (removed) ctx.audit?.record(ctx.caller, { event: 'watch', action: 'unwatch', id: args.id });
      return removed;
    },
  },
};
