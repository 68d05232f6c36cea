/**
 * Saved investigations (server/core/investigations.ts): Query.investigations and Query.investigation
 * (reads, as every read), Mutation.saveInvestigation and Mutation.deleteInvestigation (the reviewer
 * role, recorded under the API key's owner). An investigation's canvas and its
 * changes are read by their own resolvers, only when asked for.
 */
import {
  deleteInvestigation,
  getInvestigation,
  investigationChanges,
  InvestigationInput,
  listInvestigations,
  saveInvestigation,
  StoredInvestigation,
} from '../core/investigations';
import { requireRole } from './auth';
import { Context, dbOf } from './context';
import type { Investigation, InvestigationChanges, Resolvers } from './generated/graphql';
import { subgraph } from './graph';
import { requestDb } from './request';

/**
 * What the root fields return: the stored investigation, whose `canvas` and `changes` their resolvers
 * below fill in (each a read of its own). The cast stands where a codegen mapper would (server/codegen.ts
 * maps Entity so); the resolvers of those two fields read from the stored form only.
 */
const asApi = (s: StoredInvestigation): Investigation => s as unknown as Investigation;
const stored = (i: Investigation): StoredInvestigation => i as unknown as StoredInvestigation;

async function save(ctx: Context, input: InvestigationInput): Promise<Investigation> {
  const principal = requireRole(ctx.caller, 'reviewer', 'Saving an investigation');
  const saved = await saveInvestigation(dbOf(ctx), input, principal.owner);
  // Recorded after the write succeeded, so the log never claims a save that did not happen.
  ctx.audit?.record(ctx.caller, { event: 'investigation', action: 'save', id: saved.id, name: saved.name, nodes: saved.nodeIds.length });
  return asApi(saved);
}

async function remove(ctx: Context, id: string): Promise<boolean> {
  requireRole(ctx.caller, 'reviewer', 'Deleting an investigation');
  const deleted = await deleteInvestigation(dbOf(ctx), id);
  if (deleted) ctx.audit?.record(ctx.caller, { event: 'investigation', action: 'delete', id });
  return deleted;
}

export const investigationResolvers: Resolvers = {
  Query: {
    investigations: async (_parent, _args, ctx) => (await listInvestigations(requestDb(ctx))).map(asApi),
    investigation: async (_parent, args, ctx) => {
      const found = await getInvestigation(requestDb(ctx), args.id);
      return found ? asApi(found) : null;
    },
  },
  Mutation: {
    saveInvestigation: (_parent, args, ctx) => save(ctx, args.input),
    deleteInvestigation: (_parent, args, ctx) => remove(ctx, args.id),
  },
  Investigation: {
    canvas: (inv, _args, ctx) => subgraph(requestDb(ctx), { ids: stored(inv).nodeIds }),
    changes: async (inv, _args, ctx) => (await investigationChanges(requestDb(ctx), stored(inv))) as InvestigationChanges,
  },
};
