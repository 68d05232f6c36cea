/**
 * What is refused before a GraphQL request takes (or waits for) an admission slot (admission.ts): a body
 * that is not one operation, a document that does not parse or validate, variables that do not fit it,
 * and a cost above MAX_QUERY_COST. None of these needs the database, so under load an honest client
 * that asked for too much learns it at once (400) instead of waiting in the queue for a 503 BUSY, and a
 * refused request never holds a slot that a good one could use.
 *
 * Apollo checks the same again when the request runs (the same rules, graphql.ts VALIDATION_RULES); the
 * cost is not counted twice (the context carries the query text counted here).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DocumentNode, getOperationAST, getVariableValues, GraphQLError, parse, validate } from 'graphql';
import type { ApiLimits } from '../core/settings';
import { apiSchema, checkCost, VALIDATION_RULES } from './graphql';

/** Documents already parsed and validated, by text: the explorer sends the same few over and over. */
const validated = new Map<string, DocumentNode>();
const CACHED_DOCUMENTS = 200;
/** Longer documents are checked each time rather than kept (bodies may be up to 100 kB). */
const CACHED_LENGTH = 20_000;

/** A refusal in the GraphQL shape Apollo answers with, HTTP 400. */
function refuse(res: Response, code: string, errors: readonly { message: string; locations?: unknown; extensions?: Record<string, unknown> }[]): void {
  res.status(400).json({
    errors: errors.map((e) => ({
      message: e.message,
      ...(e.locations ? { locations: e.locations } : {}),
      extensions: { ...e.extensions, code, http: undefined },
    })),
  });
}

/** The query text the request was checked with (for the context: graphql.ts does not count its cost again). */
export function checkedQuery(res: Response): string | undefined {
  return res.locals.costChecked as string | undefined;
}

/**
 * Checks a /graphql request (after express.json() and the refusal of batches). A request carrying only a
 * persisted query's hash passes: its text is unknown here, and Apollo's plugin counts its cost.
 */
export function precheckGraphQL(limits: ApiLimits): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const post = req.method === 'POST';
    const op: unknown = post ? req.body : req.query;
    if (typeof op !== 'object' || op === null || Array.isArray(op)) {
      refuse(res, 'BAD_REQUEST', [{ message: 'POST /graphql takes one operation as a JSON object {"query", "variables"} (content-type: application/json)' }]);
      return;
    }
    const { query, variables: rawVariables, operationName, extensions } = op as Record<string, unknown>;
    if (query === undefined && typeof extensions === 'object' && extensions !== null && 'persistedQuery' in extensions) return next();
    if (typeof query !== 'string' || query.trim() === '') {
      refuse(res, 'BAD_REQUEST', [{ message: 'A request must hold a non-empty "query" (the GraphQL document as text)' }]);
      return;
    }
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
      refuse(res, 'BAD_REQUEST', [{ message: '"operationName" must be a string' }]);
      return;
    }
    let variables: unknown = rawVariables ?? {};
    if (!post && typeof variables === 'string') {
      try {
        variables = JSON.parse(variables);
      } catch {
        refuse(res, 'BAD_REQUEST', [{ message: '"variables" must be a JSON object' }]);
        return;
      }
    }
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      refuse(res, 'BAD_REQUEST', [{ message: '"variables" must be a JSON object' }]);
      return;
    }

    const schema = apiSchema();
    let document = validated.get(query);
    if (!document) {
      try {
        document = parse(query);
      } catch (err) {
        refuse(res, 'GRAPHQL_PARSE_FAILED', [err as GraphQLError]);
        return;
      }
      const errors = validate(schema, document, VALIDATION_RULES);
      if (errors.length) {
        refuse(res, 'GRAPHQL_VALIDATION_FAILED', errors);
        return;
      }
      if (query.length <= CACHED_LENGTH) {
        if (validated.size >= CACHED_DOCUMENTS) validated.delete(validated.keys().next().value!);
        validated.set(query, document);
      }
    }
    const operation = getOperationAST(document, operationName ?? undefined);
    if (!operation) {
      const message = operationName ? `No operation named "${operationName}" in the document` : 'The document holds several operations: name the one to run in "operationName"';
      refuse(res, 'OPERATION_RESOLUTION_FAILURE', [{ message }]);
      return;
    }
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables as Record<string, unknown>);
    if (coerced.errors) {
      refuse(res, 'BAD_USER_INPUT', coerced.errors);
      return;
    }
    try {
      checkCost(schema, document, variables as Record<string, unknown>, operationName ?? undefined, limits);
    } catch (err) {
      refuse(res, 'QUERY_TOO_COSTLY', [err as GraphQLError]);
      return;
    }
    res.locals.costChecked = query;
    next();
  };
}
