/**
 * The GraphQL API: the schema-first contract in schema.graphql, the resolvers of each capability
 * (search.ts, entity.ts, graph.ts, paths.ts, releases.ts, matches.ts, screen.ts, exposure.ts; typed by the types codegen
 * generates from the schema) merged here, the bounds of every request (at most 10 root fields, a cost
 * budget counted by cost.ts, one deadline for its reads kept by request.ts), and errors mapped by code
 * onto `extensions.code` and an HTTP status at this one boundary.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  ASTVisitor,
  buildSchema,
  DocumentNode,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLSchema,
  Kind,
  SelectionSetNode,
  specifiedRules,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { AppError, TimeoutError } from '../core/errors';
import { log } from '../core/logger';
import { ApiLimits, apiLimits } from '../core/settings';
import { alertResolvers } from './alerts';
import type { Context } from './context';
import { queryCost } from './cost';
import { entityResolvers } from './entity';
import { exposureResolvers } from './exposure';
import { logServerFault, statusOf } from './errors';
import type { Resolvers } from './generated/graphql';
import { graphResolvers } from './graph';
import { investigationResolvers } from './investigations';
import { matchResolvers } from './matches';
import { ownershipResolvers } from './ownership';
import { pathResolvers } from './paths';
import { releaseResolvers } from './releases';
import { asOfContext, startRequest } from './request';
import { screenResolvers } from './screen';
import { searchResolvers } from './search';

export type { Context };

export const typeDefs = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');

/** Timeouts already logged: one read past the deadline fails every field waiting on it (a loader's batch). */
const loggedTimeouts = new WeakSet<object>();

/** Turns our errors into GraphQL errors with a stable code and the HTTP status that goes with it. */
function toGraphQLError(err: unknown): GraphQLError {
  if (err instanceof GraphQLError) return err;
  const status = statusOf(err);
  if (err instanceof TimeoutError) {
    // A request that asked for too much is not a fault of the server: one line, no stack.
    if (!loggedTimeouts.has(err)) log.warn(`GraphQL ${status}: ${err.message}`);
    loggedTimeouts.add(err);
  } else logServerFault('GraphQL', status, err);
  if (err instanceof AppError) {
    return new GraphQLError(err.message, { extensions: { code: err.code, http: { status: err.status === 400 ? 200 : err.status } } });
  }
  return new GraphQLError('Internal error; it has been logged', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

type FieldResolver = (parent: unknown, args: unknown, ctx: Context, info: unknown) => unknown;

/** Root fields whose `asOf` argument reads the network as of that date (server/core/as-of.ts). */
const AS_OF_FIELDS = new Set(['entity', 'neighborhood', 'paths']);

/** One resolver map of every capability's, each field resolver mapping its errors (toGraphQLError). */
function merge(...parts: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, FieldResolver>> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part) as [string, Record<string, FieldResolver>][]) {
      for (const [field, resolve] of Object.entries(fields)) {
        if (merged[type]?.[field]) throw new Error(`two resolvers for ${type}.${field}`);
        (merged[type] ??= {})[field] = async (parent, args, ctx, info) => {
          try {
            // A root field read as of a date gets a context whose reads are (request.ts asOfContext).
            const asOf = type === 'Query' && AS_OF_FIELDS.has(field) ? (args as { asOf?: string | null }).asOf : null;
            return await resolve(parent, args, asOf == null ? ctx : await asOfContext(ctx, asOf), info);
          } catch (err) {
            throw toGraphQLError(err);
          }
        };
      }
    }
  }
  return merged as Resolvers;
}

export const resolvers = merge(searchResolvers, entityResolvers, graphResolvers, pathResolvers, releaseResolvers, matchResolvers, screenResolvers, exposureResolvers, ownershipResolvers, investigationResolvers, alertResolvers);

/**
 * Root fields of one request. The schema is not recursive, so a query's depth is bounded by the schema
 * itself, and each root field is capped (first, limit, depth, maxHops); its cost (cost.ts, counted on
 * every field) bounds the rest. At most this many root fields also keeps the parallel reads of one
 * request few; they share its deadline (REQUEST_TIMEOUT).
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

/** The schema's types alone (no resolvers): what a request is checked against before it is admitted (precheck.ts). */
let typesOnly: GraphQLSchema | undefined;
export function apiSchema(): GraphQLSchema {
  typesOnly ??= buildSchema(typeDefs);
  return typesOnly;
}

/** The rules every document is validated with: GraphQL's own and the bound on root fields. */
export const VALIDATION_RULES: readonly ValidationRule[] = [...specifiedRules, rootFieldLimit];

/**
 * Throws QUERY_TOO_COSTLY (HTTP 400) when the operation costs more than the budget. Variables that do
 * not fit the operation are left to the caller (they are refused with their own message).
 */
export function checkCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined, limits: ApiLimits): void {
  let cost: number;
  try {
    cost = queryCost(schema, document, variables, operationName);
  } catch {
    // More selections than are counted (queryCost's maxNodes) once fragments are expanded.
    cost = Infinity;
  }
  if (cost > limits.maxQueryCost) {
    const said = Number.isFinite(cost) ? `costs ${cost}` : 'has too many fields to count';
    throw new GraphQLError(
      `This request ${said}; the budget of one request is ${limits.maxQueryCost} (MAX_QUERY_COST). Ask for fewer fields, ` +
        'smaller pages (first, limit) or fewer aliases, or split it. Every field counts, times the size of the lists ' +
        'it is in; each database read counts more.',
      { extensions: { code: 'QUERY_TOO_COSTLY', cost: Number.isFinite(cost) ? cost : null, budget: limits.maxQueryCost, http: { status: 400 } } },
    );
  }
}

/**
 * Bounds every request: its clock starts when it arrives (request.ts: one deadline for all its reads),
 * and once its operation is known, its cost (cost.ts) is counted with its variables and a request above
 * the budget is refused before anything runs. Over HTTP the cost was already counted before the request
 * took an admission slot (precheck.ts, which says so in the context); this counts what that did not see
 * (a persisted query sent by its hash, in-process calls).
 */
function requestLimits(limits: ApiLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      startRequest(contextValue, limits.requestTimeoutMs);
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          if (contextValue.costChecked !== undefined && contextValue.costChecked === request.query) return;
          const operation = getOperationAST(document, operationName);
          // Variables that do not fit the operation are refused by execution, which says why.
          if (operation && getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}).errors) return;
          checkCost(schema, document, request.variables ?? {}, operationName ?? undefined, limits);
        },
      };
    },
  };
}

/** The limits each server was made with: the app checks requests against the same ones before admitting them. */
const limitsOfServer = new WeakMap<ApolloServer<Context>, ApiLimits>();
export function limitsOf(server: ApolloServer<Context>): ApiLimits {
  return limitsOfServer.get(server) ?? apiLimits();
}

/** The API; `limits` (cost budget, request deadline) default to the settings of the environment. */
export function createGraphQLServer(limits: ApiLimits = apiLimits()): ApolloServer<Context> {
  const server = new ApolloServer<Context>({
    typeDefs,
    resolvers,
    introspection: true,
    // Apollo's default landing page loads its UI from the internet; an offline IDE comes with the explorer.
    plugins: [ApolloServerPluginLandingPageDisabled(), requestLimits(limits)],
    includeStacktraceInErrorResponses: false,
    validationRules: [rootFieldLimit],
  });
  limitsOfServer.set(server, limits);
  return server;
}
