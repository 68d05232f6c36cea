/**
 * Candidate matches between lists (POSSIBLY_SAME_AS, computed by server/core/matching after each
 * load): a party's candidates with their evidence (Entity.possibleMatches), and a person's review of
 * one (Mutation.reviewMatch, the API's only write, for API keys with the reviewer role).
 */
import DataLoader from 'dataloader';
import neo4j from 'neo4j-driver';
import { BadInputError } from '../core/errors';
import { describeStoredFeatures } from '../core/matching/describe';
import { PartyKind } from '../core/model';
import { Database } from '../core/neo4j/database';
import { requireRole } from './auth';
import { Context, dbOf } from './context';
import type { MatchDecision, PossibleMatch, Resolvers } from './generated/graphql';
import { perRequest } from './request';
import { LIMITS } from './validate';

export type { PossibleMatch };

type MatchRow = Omit<PossibleMatch, 'features' | 'featuresJson' | 'decision' | 'kind'> & { kind: PartyKind; features: string; decision: string | null };

function toPossibleMatch(r: MatchRow): PossibleMatch {
  return {
    ...r,
    features: describeStoredFeatures(r.features),
    featuresJson: r.features,
    decision: r.decision === 'confirmed' ? 'CONFIRMED' : r.decision === 'rejected' ? 'REJECTED' : null,
  };
}

export async function possibleMatches(db: Database, id: string): Promise<PossibleMatch[]> {
  return (await db.read<MatchRow>('api-possible-matches', { id })).map(toPossibleMatch);
}

/** The candidates of several parties in one query, each party's best LIMITS.possibleMatches. */
export async function possibleMatchesOf(db: Database, ids: readonly string[]): Promise<Map<string, PossibleMatch[]>> {
  const rows = await db.read<{ id: string; matches: MatchRow[] }>('api-possible-matches-of', {
    ids: [...new Set(ids)],
    perParty: neo4j.int(LIMITS.possibleMatches),
  });
  return new Map(rows.map((r) => [r.id, r.matches.map(toPossibleMatch)]));
}

/** The request's loader of candidates: the candidates of every party of the answer are one query. */
const matchLoader = perRequest(
  (db) =>
    new DataLoader<string, PossibleMatch[]>(
      async (ids) => {
        const found = await possibleMatchesOf(db, ids);
        return ids.map((id) => found.get(id) ?? []);
      },
      { maxBatchSize: LIMITS.batchSize },
    ),
);

/**
 * Records a person's decision on a candidate match (CONFIRMED / REJECTED, or null to withdraw it). The
 * only write the API does; `reviewer` is the owner of the API key the caller was authorised with.
 */
export async function reviewMatch(
  db: Database,
  args: { a: string; b: string; decision?: MatchDecision | null; note?: string | null },
  reviewer: string,
): Promise<PossibleMatch> {
  if (args.a === args.b) throw new BadInputError('a and b must be two different parties');
  if ((args.note?.length ?? 0) > 2000) throw new BadInputError('note must be at most 2000 characters');
  // Stored once per pair, a < b.
  const [a, b] = args.a < args.b ? [args.a, args.b] : [args.b, args.a];
  const [row] = await db.write<{ a: string; b: string; score: number; features: string; decision: string | null; decidedBy: string | null; decidedAt: string | null; note: string | null }>(
    'match-review',
    { a, b, decision: args.decision?.toLowerCase() ?? null, by: reviewer, at: new Date().toISOString(), note: args.note ?? null },
  );
  if (!row) throw new BadInputError(`${args.a} and ${args.b} are not a candidate match (see Entity.possibleMatches)`);
  const other = (await possibleMatches(db, args.a)).find((m) => m.id === args.b);
  if (!other) throw new BadInputError(`${args.a} and ${args.b} are not a candidate match`);
  return other;
}

/**
 * Reviewing needs an API key with the reviewer role; the review is recorded under the key's owner (the
 * `reviewer` argument a caller may still send is ignored) and in the audit log.
 */
async function reviewAs(ctx: Context, args: { a: string; b: string; decision?: MatchDecision | null; note?: string | null }): Promise<PossibleMatch> {
  const principal = requireRole(ctx.caller, 'reviewer', 'Reviewing matches');
  const { a, b, decision, note } = args;
  const result = await reviewMatch(dbOf(ctx), { a, b, decision, note }, principal.owner);
  ctx.audit?.record(ctx.caller, { event: 'review', a, b, decision: decision ?? null, note: note ?? null });
  return result;
}

export const matchResolvers: Resolvers = {
  Entity: {
    possibleMatches: (entity, _args, ctx) => matchLoader(ctx).load(entity.id),
  },
  Mutation: {
    reviewMatch: (_parent, args, ctx) => reviewAs(ctx, args),
  },
};
