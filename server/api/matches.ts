/**
 * Candidate matches between lists (POSSIBLY_SAME_AS, computed by server/core/matching after each
 * load): a party's candidates with their evidence (Entity.possibleMatches), and a person's review of
 * one (Mutation.reviewMatch, the API's only write, behind the review API key).
 */
import crypto from 'node:crypto';
import { BadInputError, ForbiddenError } from '../core/errors';
import { describeStoredFeatures } from '../core/matching/describe';
import { PartyKind } from '../core/model';
import { Database } from '../core/neo4j/database';
import { Context, dbOf } from './context';
import type { MatchDecision, PossibleMatch, Resolvers } from './generated/graphql';

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

/**
 * Records a person's decision on a candidate match (CONFIRMED / REJECTED, or null to withdraw it). The
 * only write the API does; the caller has been authorised with the review API key.
 */
export async function reviewMatch(
  db: Database,
  args: { a: string; b: string; decision?: MatchDecision | null; note?: string | null; reviewer?: string | null },
): Promise<PossibleMatch> {
  if (args.a === args.b) throw new BadInputError('a and b must be two different parties');
  if ((args.note?.length ?? 0) > 2000) throw new BadInputError('note must be at most 2000 characters');
  if ((args.reviewer?.length ?? 0) > 200) throw new BadInputError('reviewer must be at most 200 characters');
  // Stored once per pair, a < b.
  const [a, b] = args.a < args.b ? [args.a, args.b] : [args.b, args.a];
  const [row] = await db.write<{ a: string; b: string; score: number; features: string; decision: string | null; decidedBy: string | null; decidedAt: string | null; note: string | null }>(
    'match-review',
    { a, b, decision: args.decision?.toLowerCase() ?? null, by: args.reviewer ?? 'api', at: new Date().toISOString(), note: args.note ?? null },
  );
  if (!row) throw new BadInputError(`${args.a} and ${args.b} are not a candidate match (see Entity.possibleMatches)`);
  const other = (await possibleMatches(db, args.a)).find((m) => m.id === args.b);
  if (!other) throw new BadInputError(`${args.a} and ${args.b} are not a candidate match`);
  return other;
}

/** Compares secrets in constant time. */
function safeEqual(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

/** Reviewing needs the server's review API key in the request's x-api-key header. */
function authoriseReview(ctx: Context): void {
  if (!ctx.reviewApiKey) throw new ForbiddenError('Reviewing matches is switched off on this server: set REVIEW_API_KEY to enable it');
  if (!ctx.requestApiKey || !safeEqual(ctx.requestApiKey, ctx.reviewApiKey)) {
    throw new ForbiddenError('Reviewing matches needs the review API key in the x-api-key header');
  }
}

export const matchResolvers: Resolvers = {
  Entity: {
    possibleMatches: (entity, _args, ctx) => possibleMatches(dbOf(ctx), entity.id),
  },
  Mutation: {
    reviewMatch: (_parent, args, ctx) => {
      authoriseReview(ctx);
      return reviewMatch(dbOf(ctx), args);
    },
  },
};
