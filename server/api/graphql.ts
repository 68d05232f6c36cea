/**
 * The GraphQL API: the schema-first contract in schema.graphql, resolvers that call the query
 * functions of queries.ts (never the driver), and errors mapped by code onto `extensions.code` and an
 * HTTP status at this one boundary.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, ValidationContext, ASTVisitor, Kind, SelectionSetNode } from 'graphql';
import crypto from 'node:crypto';
import { AppError, ForbiddenError, ServiceUnavailableError } from '../core/errors';
import { Database } from '../core/neo4j/database';
import { log } from '../core/logger';
import * as q from './queries';

export const typeDefs = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');

export interface Context {
  db: Database | null;
  /** The review API key of the settings (null: reviewing is switched off) and the one the request sent. */
  reviewApiKey?: string | null;
  requestApiKey?: string | null;
  /** Per-request batching of entity reads (a page of search hits is one query, not one per hit). */
  entities?: EntityBatcher;
}

/** Collects the ids asked for in one tick of the event loop and reads them with one query. */
class EntityBatcher {
  private pending = new Map<string, { resolve: (e: q.EntityView | null) => void; reject: (e: unknown) => void }[]>();
  constructor(private db: Database) {}
  load(id: string): Promise<q.EntityView | null> {
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
      const found = await q.getEntities(this.db, [...batch.keys()]);
      for (const [id, waiting] of batch) for (const w of waiting) w.resolve(found.get(id) ?? null);
    } catch (err) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(err);
    }
  }
}

/** Compares secrets in constant time. */
function safeEqual(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

function dbOf(ctx: Context): Database {
  if (!ctx.db) throw new ServiceUnavailableError('The database is starting or unreachable; retry shortly');
  return ctx.db;
}

/** Turns our errors into GraphQL errors with a stable code and the HTTP status that goes with it. */
function toGraphQLError(err: unknown): GraphQLError {
  if (err instanceof GraphQLError) return err;
  if (err instanceof AppError) {
    return new GraphQLError(err.message, { extensions: { code: err.code, http: { status: err.status === 400 ? 200 : err.status } } });
  }
  log.error(`GraphQL resolver failed: ${(err as Error).stack ?? err}`);
  return new GraphQLError('Internal error; it has been logged', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

function guard<A, R>(fn: (args: A, ctx: Context) => Promise<R>) {
  return async (_parent: unknown, args: A, ctx: Context): Promise<R> => {
    try {
      return await fn(args, ctx);
    } catch (err) {
      throw toGraphQLError(err);
    }
  };
}

export const resolvers = {
  Query: {
    search: guard((args: q.SearchArgs, ctx) => q.search(dbOf(ctx), args)),
    entity: guard((args: { id: string }, ctx) => q.getEntity(dbOf(ctx), args.id)),
    neighborhood: guard((args: Parameters<typeof q.neighborhood>[1], ctx) => q.neighborhood(dbOf(ctx), args)),
    subgraph: guard((args: Parameters<typeof q.subgraph>[1], ctx) => q.subgraph(dbOf(ctx), args)),
    paths: guard((args: Parameters<typeof q.paths>[1], ctx) => q.paths(dbOf(ctx), args)),
    datasets: guard((_args: Record<string, never>, ctx) => q.datasets(dbOf(ctx))),
    changes: guard((args: Parameters<typeof q.changes>[1], ctx) => q.changes(dbOf(ctx), args)),
  },
  Mutation: {
    reviewMatch: guard((args: Parameters<typeof q.reviewMatch>[1], ctx) => {
      if (!ctx.reviewApiKey) throw new ForbiddenError('Reviewing matches is switched off on this server: set REVIEW_API_KEY to enable it');
      if (!ctx.requestApiKey || !safeEqual(ctx.requestApiKey, ctx.reviewApiKey)) {
        throw new ForbiddenError('Reviewing matches needs the review API key in the x-api-key header');
      }
      return q.reviewMatch(dbOf(ctx), args);
    }),
  },
  Entity: {
    possibleMatches: async (e: { id: string }, _args: unknown, ctx: Context) => {
      try {
        return await q.possibleMatches(dbOf(ctx), e.id);
      } catch (err) {
        throw toGraphQLError(err);
      }
    },
  },
  SearchHit: {
    entity: async (hit: { id: string }, _args: unknown, ctx: Context) => {
      try {
        ctx.entities ??= new EntityBatcher(dbOf(ctx));
        const entity = await ctx.entities.load(hit.id);
        // A hit whose party vanished between the search and this read (a load committed meanwhile).
        if (!entity) throw new ServiceUnavailableError('The data changed during this request; retry it');
        return entity;
      } catch (err) {
        throw toGraphQLError(err);
      }
    },
  },
};

/**
 * Cost limit. The schema is not recursive, so a query's depth is bounded by the schema itself, and each
 * root field is capped (first, limit, depth, maxHops); what is left to bound is how many root fields one
 * request asks for (e.g. 500 aliased neighborhood calls).
 */
export const MAX_ROOT_FIELDS = 10;

function rootFieldLimit(context: ValidationContext): ASTVisitor {
  /** Root fields, looking through inline fragments and fragment spreads (each fragment counted once per use). */
  const count = (set: SelectionSetNode, depth = 0): number => {
    if (depth > 10) return MAX_ROOT_FIELDS + 1; // fragments nested this deep are refused outright
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += s.name.value.startsWith('__') ? 0 : 1;
      else if (s.kind === Kind.INLINE_FRAGMENT) n += count(s.selectionSet, depth + 1);
      else {
        const fragment = context.getFragment(s.name.value);
        if (fragment) n += count(fragment.selectionSet, depth + 1);
      }
    }
    return n;
  };
  return {
    OperationDefinition(node) {
      const fields = count(node.selectionSet);
      if (fields > MAX_ROOT_FIELDS) {
        context.reportError(
          new GraphQLError(`A request may ask for at most ${MAX_ROOT_FIELDS} root fields; this one asks for ${fields}. Split it.`, {
            nodes: [node],
          }),
        );
      }
    },
  };
}

export function createGraphQLServer(): ApolloServer<Context> {
  return new ApolloServer<Context>({
    typeDefs,
    resolvers,
    introspection: true,
    // Apollo's default landing page loads its UI from the internet; an offline IDE comes with the explorer.
    plugins: [ApolloServerPluginLandingPageDisabled()],
    includeStacktraceInErrorResponses: false,
    validationRules: [rootFieldLimit],
  });
}
