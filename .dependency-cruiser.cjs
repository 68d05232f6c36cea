/**
 * The layers import one way (README, "Architecture"):
 *
 *   client/src ──> server/core/model.ts (the vocabulary only)
 *   server/main.ts (composition: start Neo4j, load the demo, serve) ──> server/api, ingest
 *   server/api ──> server/core          ingest ──> server/core
 *   server/core ──> nothing of ours above it
 *
 * `npm test` runs `npm run depcheck`, which fails on any import against these rules.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-the-bottom',
      comment: 'server/core is shared by the API and ingest: it imports neither of them (nor the composition root).',
      severity: 'error',
      from: { path: '^server/core/' },
      to: { path: '^(server/api/|server/main\\.ts|ingest/|client/|bench/|test/)' },
    },
    {
      name: 'api-never-imports-ingest',
      comment: 'The API reads the graph; loading lists is ingest\'s. What both need lives in server/core.',
      severity: 'error',
      from: { path: '^server/api/' },
      to: { path: '^(ingest/|server/main\\.ts|client/|bench/|test/)' },
    },
    {
      name: 'ingest-never-imports-api',
      comment: 'Ingest writes the graph through server/core; it never needs the API.',
      severity: 'error',
      from: { path: '^ingest/' },
      to: { path: '^(server/api/|server/main\\.ts|client/|bench/|test/)' },
    },
    {
      name: 'client-sees-only-the-model',
      comment: 'The explorer talks to the server over HTTP only; from server code it may read the model (legend, allow-lists).',
      severity: 'error',
      from: { path: '^client/src/' },
      to: { path: '^(server/|ingest/|bench/|test/)', pathNot: '^server/core/model\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles hide which module is the lower one.',
      severity: 'error',
      from: { path: '^(server|ingest|client/src)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|client/dist|\\.data)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mts', '.js'] },
  },
};
